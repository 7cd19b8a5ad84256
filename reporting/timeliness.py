"""The timeliness dashboard: the cycle's population as of a day, and the figures reviewers quote.

Who is expected and whether each was on time come from assessments.population (one rule for every page);
this module only counts. "Expected" is the population; submitted + missing + not yet due add up to it.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from assessments.population import Timeliness, cycle_population
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


def dashboard(cycle, *, at):
    members = cycle_population(cycle, at=at)
    return Dashboard(cycle=cycle, as_of=at, milestone=cycle.submission_milestone, members=members,
                     figures=figures_of(members))
