"""The timeliness dashboard: the cycle's population as of a day, and the figures reviewers quote.

Who is expected and whether each was on time come from assessments.population (one rule for every page);
this module only counts. "Expected" is the population; submitted + missing + not yet due add up to it.
"""

import datetime
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.population import Timeliness, cycle_population
from portal.lib.durations import duration_in_words
from portal.templatetags.portal_tags import brussels, deadline
from reporting.rounding import percent


@dataclass
class Figures:
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    not_due: int = 0

    @property
    def rows(self):
        return [(label, value, percent(value, self.expected)) for label, value in (
            (_("Expected"), self.expected), (_("Submitted"), self.submitted), (_("On time"), self.on_time),
            (_("Late"), self.late), (_("Missing (overdue)"), self.missing), (_("Not yet due"), self.not_due))]


@dataclass
class Dashboard:
    cycle: object
    as_of: datetime.datetime
    milestone: object  # the cycle's submission milestone, or None
    members: list
    figures: Figures


def figures_of(members):
    figures = Figures(expected=len(members))
    for member in members:
        figures.on_time += member.state == Timeliness.ON_TIME
        figures.late += member.state == Timeliness.LATE
        figures.missing += member.state == Timeliness.OVERDUE
        figures.not_due += member.state == Timeliness.NOT_DUE
    figures.submitted = figures.on_time + figures.late
    return figures


@dataclass(frozen=True)
class Row:
    """One member state's line of the dashboard, its words worked out once (a tag or filter per cell was most of the
    page's time)."""

    name: str
    css: str
    state: str  # "Submitted late by 3 days"
    notes: list  # the small lines below: when submitted, extended until, reopened until


def rows(members):
    return [Row(name=member.member_state.name, css=member.css_state, state=_state(member), notes=_notes(member))
            for member in members]


def _state(member):
    if member.is_late:
        return f"{member.label} " + gettext("by %(by)s") % {"by": duration_in_words(member.late_by)}
    return str(member.label)


def _notes(member):
    notes = []
    if member.first_submitted_at:
        notes.append(brussels(member.first_submitted_at, "SHORT_DATETIME_FORMAT"))
    if member.extension:
        notes.append(gettext("extended until %(until)s") % {"until": deadline(member.deadline, "SHORT_DATE_FORMAT")})
    if member.reopening:
        until = member.reopening.until
        notes.append(gettext("reopened until %(until)s") % {"until": formats.date_format(
            timezone.localtime(until), "SHORT_DATETIME_FORMAT")} if until else gettext("reopened"))
    return notes


def dashboard(cycle, *, at):
    members = cycle_population(cycle, at=at)
    return Dashboard(cycle=cycle, as_of=at, milestone=cycle.submission_milestone, members=members,
                     figures=figures_of(members))
