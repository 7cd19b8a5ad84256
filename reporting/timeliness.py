"""Completeness and timeliness of national submissions: who sent what, when, against which deadline.

Everything is read in a fixed number of queries (cycle, member states,
milestones, extensions, first submissions) and computed in memory, so the
dashboard costs the same for 5 member states or 27.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from assessments.models import NationalAssessment
from portal.deadlines import due_for, effective_deadlines
from portal.models import Milestone


class State:
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    NOT_DUE = "not_due"
    EXTENDED = "extended"
    NOT_APPLICABLE = "not_applicable"

    LABELS = {
        ON_TIME: _("Submitted on time"),
        LATE: _("Submitted late"),
        OVERDUE: _("Not submitted, overdue"),
        NOT_DUE: _("Not yet due"),
        EXTENDED: _("Extended"),
        NOT_APPLICABLE: _("Not applicable"),
    }


@dataclass(frozen=True)
class Cell:
    state: str
    due: datetime.datetime | None = None
    submitted_at: datetime.datetime | None = None
    extension: object = None

    @property
    def label(self):
        return State.LABELS[self.state]

    @property
    def late_by(self):
        return self.submitted_at - self.due if self.state == State.LATE else None


def cell_for(member_state, milestone, due, extension, submitted_at, now):
    """The state of one member state against one national milestone, as of `now`."""
    if not member_state.is_member_on(milestone.due_date):
        return Cell(State.NOT_APPLICABLE)
    if submitted_at is not None and submitted_at <= now:
        state = State.ON_TIME if submitted_at <= due else State.LATE
        return Cell(state, due, submitted_at, extension)
    if now > due:
        return Cell(State.OVERDUE, due, None, extension)
    return Cell(State.EXTENDED if extension else State.NOT_DUE, due, None, extension)


@dataclass
class Figures:
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    not_due: int = 0
    counts: dict = field(default_factory=dict)

    def percent(self, value):
        return round(100 * value / self.expected, 1) if self.expected else 0.0

    @property
    def rows(self):
        return [(label, value, self.percent(value)) for label, value in (
            (_("Expected"), self.expected), (_("Submitted"), self.submitted), (_("On time"), self.on_time),
            (_("Late"), self.late), (_("Missing (overdue)"), self.missing), (_("Not yet due"), self.not_due))]


@dataclass
class Timeliness:
    cycle: object
    as_of: datetime.datetime
    milestones: list
    rows: list  # [(member state, [Cell per milestone])]
    figures: list  # [Figures per milestone]


def timeliness(cycle, *, now):
    milestones = list(
        Milestone.objects.filter(cycle=cycle, scope=Milestone.Scope.MEMBER_STATE, tracks_submission=True)
    )
    member_states = list(cycle.member_states.all())
    extensions = effective_deadlines(milestones)
    # The first version of each member state is the one that meets the deadline.
    first_submitted = dict(
        NationalAssessment.objects.filter(cycle=cycle)
        .annotate(first=Min("versions__submitted_at"))
        .values_list("member_state_id", "first")
    )
    figures = [Figures() for _ in milestones]
    rows = []
    for member_state in member_states:
        cells = []
        for milestone, fig in zip(milestones, figures):
            due, extension = due_for(milestone, member_state, extensions)
            cell = cell_for(member_state, milestone, due, extension, first_submitted.get(member_state.pk), now)
            cells.append(cell)
            if cell.state != State.NOT_APPLICABLE:
                fig.expected += 1
                fig.submitted += cell.state in (State.ON_TIME, State.LATE)
                fig.on_time += cell.state == State.ON_TIME
                fig.late += cell.state == State.LATE
                fig.missing += cell.state == State.OVERDUE
                fig.not_due += cell.state in (State.NOT_DUE, State.EXTENDED)
        rows.append((member_state, cells))
    return Timeliness(cycle, now, milestones, rows, figures)


