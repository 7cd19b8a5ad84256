"""The wire format of a section's page and its autosave (assessments/filing/section_post.py), read in one place."""

import pytest
from django.http import QueryDict

from assessments.filing.section_post import read_section_post, revision_of
from assessments.models import MeasureStatus, Section
from assessments.questionnaire.sections import section_rows

pytestmark = pytest.mark.django_db


def post(**fields):
    data = QueryDict(mutable=True)
    for name, value in fields.items():
        data[name.replace("__", ":")] = value
    return data


def test_an_autosave_names_its_rows_by_item_key_and_sends_its_base(draft):
    sent = post(**{"measures-4-note": "Audits planned.", "measures-4-item": "SM02", "base__measures-4-note": "",
                   "_revision": "7"})
    read = read_section_post(Section.MEASURES, sent, {"X-Autosave": "1"},
                             lambda: pytest.fail("rows named by item key need no read"))
    assert read.mine == {"measures.SM02.note": "Audits planned."}
    assert read.base == {"measures.SM02.note": ""}
    assert (read.base_revision, read.autosave, read.save_next) == (7, True, False)


def test_a_row_named_by_its_id_alone_is_found_among_the_sections_rows(draft):
    row = MeasureStatus.objects.get(assessment=draft, version=None, measure__code="SM01")
    read = read_section_post(Section.MEASURES, post(**{"measures-0-note": "Powers.", "measures-0-id": str(row.pk),
                                                       "save_next": "1"}),
                             {}, lambda: section_rows(Section.MEASURES, draft))
    assert read.mine == {"measures.SM01.note": "Powers."}
    assert (read.autosave, read.save_next, read.base_revision) == (False, True, -1)


@pytest.mark.parametrize("text, revision", [("0", 0), ("12", 12), ("", -1), ("-1", -1), ("1e3", -1), ("１２", -1),
                                            ("9" * 10, -1), ("999999999", 999_999_999)])
def test_a_revision_is_a_number_a_section_could_reach_or_unknown(text, revision):
    assert revision_of(text) == revision


def test_fields_of_other_sections_and_bookkeeping_are_left_out(draft):
    read = read_section_post(Section.SCOPE, post(**{"scope-summary": "Ours.", "measures-0-note": "Not here.",
                                                    "csrfmiddlewaretoken": "x", "scope-DELETE": "on"}),
                             {}, lambda: {})
    assert read.mine == {"scope.summary": "Ours."} and read.base is None
