"""Handling markings (FIRST TLP 2.0): the labels as data, their order, colours and meaning in the portal.

A label is never translated and always in capitals (the standard says so); what it means in the portal is one
translatable sentence. Who may read marked content is written in portal/access.py (`marking_readable`,
`may_read_marking`), beside the other rules; this module only knows the labels.

`marking_of(*things)` is the one lookup of "what marking does this carry": a draft, a version, a review, a
publication, or several of them (the strictest wins, as on a page or in a file that shows them together). It reads
the `marking` field each of those rows carries, so it costs no query.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Marking(models.TextChoices):
    # Least strict first: the order is the TLP order, `rank()` reads it.
    CLEAR = "TLP:CLEAR", "TLP:CLEAR"
    GREEN = "TLP:GREEN", "TLP:GREEN"
    AMBER = "TLP:AMBER", "TLP:AMBER"
    AMBER_STRICT = "TLP:AMBER+STRICT", "TLP:AMBER+STRICT"
    RED = "TLP:RED", "TLP:RED"

    @property
    def rank(self):
        return ORDER.index(self)

    @property
    def colour(self):
        return COLOURS[self]

    @property
    def meaning(self):
        return MEANINGS[self]

    @property
    def css(self):
        """The class of its label on the page (static/css/portal.css)."""
        return "tlp-" + self.value.removeprefix("TLP:").lower().replace("+", "-")


ORDER = list(Marking)
DEFAULT = Marking.AMBER_STRICT  # a draft's and a version's, unless its team or lead reporter chooses otherwise
PUBLISHED_DEFAULT = Marking.GREEN  # a publication's: every covered member state's staff read it
PUBLISHED_AT_MOST = Marking.GREEN  # the most a publication to every member state's staff may carry

# On black, as TLP 2.0 gives them.
COLOURS = {
    Marking.RED: "#FF2B2B",
    Marking.AMBER_STRICT: "#FFC000",
    Marking.AMBER: "#FFC000",
    Marking.GREEN: "#33FF00",
    Marking.CLEAR: "#FFFFFF",
}

MEANINGS = {
    Marking.RED: _("For the member state's own staff and the reviewers named on the version only: not to be "
                   "shared with anyone else."),
    Marking.AMBER_STRICT: _("For the member state's own staff and the Commission's and ENISA's reviewers only."),
    Marking.AMBER: _("For the member state's own staff and the Commission's and ENISA's reviewers, and those "
                     "of their organisations who need to know in order to act on it."),
    Marking.GREEN: _("For the reporting community (every member state's staff, the Commission and ENISA): "
                     "not for publication."),
    Marking.CLEAR: _("No limit on disclosure."),
}


def strictest(*markings):
    """The strictest of `markings` (labels or Marking; None and empty ignored), or None when there is none."""
    found = [Marking(m) for m in markings if m]
    return max(found, key=lambda m: m.rank) if found else None


def at_most(marking, cap):
    """Whether content marked `marking` may go where at most `cap` is allowed (a publication, a capped export)."""
    return Marking(marking).rank <= Marking(cap).rank


def marking_of(*things):
    """The marking of what a page or a file shows: the strictest `marking` of `things` (rows carrying one, or
    iterables of them), or None when none carries a marking. No query: it reads the field each row holds."""
    found = []
    for thing in things:
        if thing is None:
            continue
        if isinstance(thing, (list, tuple, set)):
            found.append(marking_of(*thing))
        else:
            found.append(getattr(thing, "marking", None))
    return strictest(*found)
