"""The TLP 2.0 labels as data: their order, colours and meaning, and the one lookup of a marking."""

from types import SimpleNamespace

from django.utils import translation

from portal import access, markings
from portal.markings import Marking, at_most, marking_of, strictest


def test_the_labels_are_in_tlp_order_in_capitals_and_never_translated():
    assert [m.value for m in markings.ORDER] == ["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"]
    with translation.override("fr"):
        assert [str(m.label) for m in Marking] == [m.value for m in Marking]
        assert str(Marking.CLEAR.meaning) == "Aucune limite de diffusion."


def test_the_colours_are_tlp_20s_on_black():
    assert (Marking.RED.colour, Marking.AMBER.colour, Marking.AMBER_STRICT.colour, Marking.GREEN.colour,
            Marking.CLEAR.colour) == ("#FF2B2B", "#FFC000", "#FFC000", "#33FF00", "#FFFFFF")


def test_strictest_and_at_most():
    assert strictest("TLP:GREEN", None, "TLP:AMBER+STRICT", "TLP:AMBER") == Marking.AMBER_STRICT
    assert strictest() is None and strictest(None, "") is None
    assert at_most("TLP:GREEN", "TLP:GREEN") and at_most("TLP:CLEAR", "TLP:GREEN")
    assert not at_most("TLP:AMBER", "TLP:GREEN") and not at_most("TLP:RED", "TLP:AMBER+STRICT")


def test_marking_of_reads_the_rows_and_lists_it_is_given():
    rows = [SimpleNamespace(marking="TLP:GREEN"), SimpleNamespace(marking="TLP:AMBER")]
    assert marking_of(rows) == Marking.AMBER
    assert marking_of(SimpleNamespace(marking="TLP:RED"), rows) == Marking.RED
    assert marking_of(None, [], SimpleNamespace()) is None


def test_a_publication_carries_green_at_most():
    assert [m for m in Marking if access.may_publish_marked(m)] == [Marking.CLEAR, Marking.GREEN]
