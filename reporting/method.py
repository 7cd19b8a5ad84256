"""How the figures are computed, in words: shown on every review page, dashboard, comparison and export."""

from django.conf import settings
from django.utils.translation import gettext as _


def method_note():
    """Paragraphs a statistician can sign; kept beside the code that computes (reporting/aggregate.py)."""
    return [
        _("Population: the member states the cycle asks on the day shown, that were members of the Union on the "
          "cycle's reference date; each counts with its latest submitted version (a version returned for "
          "clarification counts until a newer one is submitted; drafts never count)."),
        _("Lateness: a member state's first submission against its effective deadline (its extension where one is in "
          "force, else the milestone's). A deadline of a day ends at midnight Brussels time: a submission at "
          "23:59:59 is on time, one at 00:00:00 the next day is late."),
        _("Rounding: means and percentages are rounded half up, once, from exact sums. Medians of rating scales and "
          "risk levels are the lower median, so they are always a level of the scale."),
        _("Supplier shares: a member state's listed shares of a segment are its described market; the rest is "
          "“other or unknown”. The Herfindahl-Hirschman index is given as a range: at least the index of the listed "
          "shares, at most that plus the unknown remainder as one supplier. A segment a member state did not report "
          "is left out of that segment's means; a supplier it did not list in a segment it reported counts as 0%. "
          "A segment whose listed shares add up to more than 100% is flagged and left out of that segment's figures "
          "(no remainder and no index can be derived from it)."),
        _("Published reviews: figures over fewer than %(n)s member states are not shown to member states' staff.")
        % {"n": settings.REVIEW_MIN_GROUP_SIZE},
    ]
