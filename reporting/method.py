"""How the figures are computed, in words: shown on every review page, dashboard, comparison and export."""

from django.conf import settings
from django.utils.translation import gettext as _

from reporting.compare import OUTLIER_STEPS


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
          "risk levels are the lower median: with an even number of answers, the lower of the two middle answers, so "
          "that a median is always a level of the scale."),
        _("Ratings and risk levels are ordered levels, not measurements. Each is summed up first by its distribution "
          "(how many member states gave each level) and by how many rated it high or critical (for ratings of 1 to "
          "5: 4 or 5). Their means are means of coded levels, as each header says: risk levels low = 1, medium = 2, "
          "high = 3, critical = 4; capability, intent and sensitivity very low = 1 to very high = 5; likelihood and "
          "impact the values of the cycle's scale. Such a mean treats the steps between levels as equal: read it "
          "beside the distribution."),
        _("Comparison of member states: an answer is marked when it lies %(steps)s steps or more above or below the "
          "EU median; with an even number of answers, it must lie that far from both middle answers, so that taking "
          "the lower one never tips a mark.") % {"steps": OUTLIER_STEPS},
        _("Supplier shares: a member state's listed shares of a segment are its described market; the rest is "
          "“other or unknown”. The Herfindahl-Hirschman index is given as a range: at least the index of the listed "
          "shares, at most that plus the unknown remainder as one supplier. A segment a member state did not report "
          "is left out of that segment's means; a supplier it did not list in a segment it reported counts as 0%. "
          "A segment whose listed shares add up to more than 100% is flagged and left out of that segment's figures "
          "(no remainder and no index can be derived from it)."),
        _("Published reviews: member states' staff see no figure with fewer than %(n)s member states behind it (a "
          "count: those it counts; a mean: those whose answers it averages, for a supplier's mean share those where "
          "it has a share; a cell of a distribution: those in it); it shows “–”. Where such a figure could be worked "
          "out from others (a total minus the rest, a mean with its count or its distribution), more are hidden with "
          "it: at least two cells of every sum, standing together for at least %(n)s member states, the smallest "
          "first; a mean or median of a distribution with a hidden cell is hidden too. Each table's note names the "
          "hidden cells. Zero counts are shown.") % {"n": settings.REVIEW_MIN_GROUP_SIZE},
        _("Completeness (expected, included, missing, late) is shown in full to everyone: it describes who was asked "
          "and who sent an assessment when, not what any member state answered."),
    ]
