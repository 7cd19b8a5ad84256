"""The reviewers' EU view of the phase-out tracker: per member state, its rows counted by status as of an instant.

What is counted is what the EU figures count (assessments.population): each member state's latest version submitted
by `at`, never a draft, and never one withheld (TLP:RED: only the reviewers it names read it, on its own page). Each
row's status comes from the one rule (`PhaseOutEntry.status_at`), with its supplier's designation as it stands now
(an admin's correction reaches every page at once). The earliest deadline is that of the rows not removed at `at`
(on track, at risk or overdue). A fixed number of queries (the population's and one), whatever the numbers of
member states and rows.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from assessments.models import PhaseOutEntry, PhaseOutStatus
from assessments.population import counted_of, cycle_population, withheld_of

STATUSES = list(PhaseOutStatus)


@dataclass
class Line:
    """One member state's rows (or the EU's, `member_state` None) as of the instant."""

    member_state: object = None
    version: object = None
    counts: dict = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    earliest_deadline: object = None  # a portal.deadlines.Deadline, or None when nothing is left to remove

    def add(self, status, deadline):
        self.counts[status] += 1
        if status != PhaseOutStatus.REMOVED and (self.earliest_deadline is None or deadline < self.earliest_deadline):
            self.earliest_deadline = deadline

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def in_order(self):
        return [self.counts[status] for status in STATUSES]


@dataclass
class Overview:
    cycle: object
    as_of: datetime.datetime
    lines: list
    eu: Line
    withheld: list = field(default_factory=list)  # member states whose latest version is TLP:RED


def phase_out_overview(cycle, *, at):
    """The member states of the cycle's population at `at`, each with its latest version's rows counted, and the
    EU's totals. Rows whose supplier has no designation (an admin removed it) have no status and are not counted."""
    members = cycle_population(cycle, at=at)
    lines = {version.pk: Line(version.assessment.member_state, version) for version in counted_of(members)}
    eu = Line()
    for entry in (PhaseOutEntry.objects.filter(version__in=list(lines)).select_related("supplier")
                  .only("version_id", "components_present", "planned_removal_on", "removed_on",
                        "supplier__designated_high_risk_on")):
        status = entry.status_at(at)
        if status is None:
            continue
        for line in (lines[entry.version_id], eu):
            line.add(status, entry.deadline)
    return Overview(cycle=cycle, as_of=at, lines=list(lines.values()), eu=eu,
                    withheld=[member_state.name for member_state in withheld_of(members)])


def overview_rows(overview):
    """The table as rows of plain values, for the CSV: the header, each member state, then the EU."""
    def deadline(line):
        return line.earliest_deadline.day.isoformat() if line.earliest_deadline else ""

    yield [_("Member state"), _("Version"), *[status.label for status in STATUSES], _("Rows"),
           _("Earliest deadline still to meet")]
    for line in overview.lines:
        yield [line.member_state.name, line.version.number, *line.in_order, line.total, deadline(line)]
    yield [_("EU total"), "", *overview.eu.in_order, overview.eu.total, deadline(overview.eu)]
