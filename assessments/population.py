"""Who a cycle counts, and whether each was on time: one rule for every page, export, review and reminder.

**Population** of a cycle at an instant `at` (now by default):

- the member states the cycle covers at `at` (coverage in force then),
- that were members of the Union on the cycle's reference date (its start),
- each with its latest version submitted by `at`, or none.

A version returned for clarification still counts until a newer one is submitted; a draft never counts.

**Withheld**: a member state's latest version marked TLP:RED is for the reviewers it names only, so the figures
every reviewer reads (the coordinated review, its per-member-state tables, the comparison and their exports) leave it
out and say it is withheld: the member state submitted (its lateness is judged as any other's), but its answers are
not counted. `withheld()` is that rule, in one place.

**Lateness**: the deadline is met or missed by a member state's *first* version, against its effective deadline at
`at`: the extension in force then, else the cycle's submission milestone. An extension granted after a late
submission makes it on time on every page at once (and the reviews built before it stale). Those inputs are read in
one place, `lateness()`, for every page (the population's, a version's and its receipt, the member state's home).

Everything is read in a fixed number of queries, whatever the number of member states, and afresh by each page:
nothing a population shows is kept, so a change shows on the next request. Pages read it as models
(`cycle_population`); what only records it (a review's request, the review page's "changed since") reads the same
rule as plain values (`population_values`), some ten times faster at 10,000 member states.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Min, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentVersion, NationalAssessment
from portal.markings import Marking
from portal.models import Milestone, Reopening, deadline_of, deadlines_in_force


class Timeliness(TextChoices):
    ON_TIME = "on_time", _("Submitted on time")
    LATE = "late", _("Submitted late")
    OVERDUE = "overdue", _("Not submitted, overdue")
    NOT_DUE = "not_due", _("Not yet due")
    EXTENDED = "extended", _("Extended, not yet due")


SUBMITTED_STATES = (Timeliness.ON_TIME, Timeliness.LATE)


def judge(first_submitted_at, deadline, at):
    """The one lateness rule: the first submission against the effective deadline, as of `at`."""
    if first_submitted_at is not None and first_submitted_at <= at:
        if deadline is None or deadline.is_met_by(first_submitted_at):
            return Timeliness.ON_TIME
        return Timeliness.LATE
    if deadline is not None and deadline.has_passed(at):
        return Timeliness.OVERDUE
    return Timeliness.NOT_DUE


def withheld(version):
    """Whether the EU figures leave `version` out: TLP:RED, read by the reviewers it names only (see above)."""
    return version is not None and withheld_marking(version.marking)


def withheld_marking(marking):
    """The same rule, on a version's marking read as a value."""
    return marking == Marking.RED


@dataclass(frozen=True)
class Lateness:
    """One member state in one cycle at an instant: what its lateness is judged from, and the judgement."""

    first_submitted_at: datetime.datetime | None  # its first version submitted by then
    deadline: object  # its effective portal.deadlines.Deadline then, or None: the cycle has no submission milestone
    extension: object  # the Extension in force then, or None
    state: str


def lateness(cycles, member_state_ids, *, at, first=None):
    """{(cycle id, member state id): Lateness} of each member state in each of `cycles` at the instant `at`.

    The one place lateness inputs are read: each member state's effective deadline (the extension in force at `at`,
    else the cycle's submission milestone) and its first version submitted by `at`. Three queries, whatever the
    numbers of cycles and member states; two when the caller has read the versions submitted by `at` already and
    gives their first instants (`first`: {(cycle id, member state id): the earliest submitted_at}).

    Each cycle's submission milestone, read here, is the cycle's `submission_milestone` from then on: a page that
    shows it asks no second time.
    """
    cycle_ids = [c.pk for c in cycles]
    # No ordering: one milestone per cycle (a constraint), and the models' ordering would join the cycles.
    milestones = {m.cycle_id: m for m in Milestone.objects.filter(cycle__in=cycle_ids, tracks_submission=True)
                  .order_by()}
    for cycle in cycles:
        cycle.__dict__.setdefault("submission_milestone", milestones.get(cycle.pk))  # its cached_property
    extensions = deadlines_in_force(list(milestones.values()), at) if milestones else {}
    if first is None:
        first = {(row["assessment__cycle"], row["assessment__member_state"]): row["first"] for row in (
            AssessmentVersion.objects.filter(assessment__cycle__in=cycle_ids, submitted_at__lte=at,
                                             assessment__member_state__in=member_state_ids)
            .values("assessment__cycle", "assessment__member_state").annotate(first=Min("submitted_at")).order_by())}
    found = {}
    for cycle_id in cycle_ids:
        milestone = milestones.get(cycle_id)
        for member_state_id in member_state_ids:
            deadline, extension = deadline_of(milestone, member_state_id, extensions) if milestone else (None, None)
            first_at = first.get((cycle_id, member_state_id))
            found[cycle_id, member_state_id] = Lateness(first_at, deadline, extension, judge(first_at, deadline, at))
    return found


@dataclass
class Member:
    """One member state of a cycle's population, as of an instant."""

    member_state: object
    assessment: object = None
    latest: object = None  # the latest AssessmentVersion submitted by then (its snapshot not loaded)
    first_submitted_at: datetime.datetime | None = None
    deadline: object = None  # portal.deadlines.Deadline, or None when the cycle has no submission milestone
    extension: object = None
    reopening: object = None
    state: str = Timeliness.NOT_DUE

    @property
    def has_submitted(self):
        return self.latest is not None

    @property
    def is_withheld(self):
        return withheld(self.latest)

    @property
    def is_late(self):
        return self.state == Timeliness.LATE

    @property
    def is_overdue(self):
        return self.state == Timeliness.OVERDUE

    @property
    def late_by(self):
        return self.first_submitted_at - self.deadline.ends_at if self.is_late else None

    @property
    def label(self):
        if self.state == Timeliness.NOT_DUE and self.extension is not None:
            return Timeliness.EXTENDED.label
        return Timeliness(self.state).label

    @property
    def css_state(self):
        return Timeliness.EXTENDED.value if self.state == Timeliness.NOT_DUE and self.extension else self.state


def _member(member_state, lateness, **kwargs):
    return Member(member_state=member_state, first_submitted_at=lateness.first_submitted_at,
                  deadline=lateness.deadline, extension=lateness.extension, state=lateness.state, **kwargs)


def counted_member_states(cycle, at):
    """The member states a population counts at `at`: those the cycle covers then that were members of the Union on
    its reference date (its start)."""
    return cycle.covered_member_states(at).members_on(cycle.starts_on)


def _submitted_by(cycle, at):
    """The cycle's versions submitted by `at`, each member state's latest last."""
    return AssessmentVersion.objects.filter(assessment__cycle=cycle, submitted_at__lte=at).order_by(
        "assessment_id", "number")


def cycle_population(cycle, *, at=None):
    """[Member] of the cycle at `at`, in the member states' order. Six queries, whatever their number: the versions
    submitted by `at`, read for each member state's latest, give its first too (lateness)."""
    at = at or timezone.now()
    member_states = list(counted_member_states(cycle, at))
    assessments = {a.pk: a for a in NationalAssessment.objects.filter(cycle=cycle).order_by()}
    latest, first = {}, {}
    for version in _submitted_by(cycle, at).defer("snapshot"):  # each assessment's versions by number
        latest[version.assessment_id] = version
        key = (cycle.pk, assessments[version.assessment_id].member_state_id)
        first[key] = min(first.get(key, version.submitted_at), version.submitted_at)
    judged = lateness([cycle], [m.pk for m in member_states], at=at, first=first)
    assessments = {a.member_state_id: a for a in assessments.values()}
    reopened = {r.member_state_id: r for r in Reopening.objects.in_force(at).filter(cycle=cycle)
                .order_by("-granted_at")}  # as its models' ordering, without joining the cycles
    members = []
    for member_state in member_states:
        assessment = assessments.get(member_state.pk)
        version = latest.get(assessment.pk) if assessment else None
        if assessment is not None:
            assessment.member_state, assessment.cycle = member_state, cycle  # no query per member state later
        if version is not None:
            version.assessment = assessment
        members.append(_member(member_state, judged[cycle.pk, member_state.pk], assessment=assessment,
                               latest=version, reopening=reopened.get(member_state.pk)))
    return members


@dataclass(frozen=True)
class Counted:
    """One member state of a cycle's population as plain values: what records a population needs."""

    member_state_id: int
    eu_code: str
    version_id: int | None  # its latest version submitted by then, or None
    number: int | None
    sha256: str | None
    withheld: bool  # its latest version is left out of the figures (`withheld()`)
    lateness: Lateness


def population_values(cycle, *, at=None):
    """[Counted] of the cycle at `at`, by EU code: `cycle_population`'s rule, read as values (no model is built).
    Four queries, whatever the number of member states."""
    at = at or timezone.now()
    member_states = dict(counted_member_states(cycle, at).values_list("pk", "eu_code"))
    latest, first = {}, {}
    for member_state_id, pk, number, sha256, marking, submitted_at in _submitted_by(cycle, at).values_list(
            "assessment__member_state_id", "pk", "number", "sha256", "marking", "submitted_at"):
        latest[member_state_id] = (pk, number, sha256, withheld_marking(marking))  # by number: the latest last
        first[cycle.pk, member_state_id] = min(first.get((cycle.pk, member_state_id), submitted_at), submitted_at)
    judged = lateness([cycle], list(member_states), at=at, first=first)
    return sorted((Counted(pk, eu_code, *latest.get(pk, (None, None, None, False)), judged[cycle.pk, pk])
                   for pk, eu_code in member_states.items()), key=lambda counted: counted.eu_code)


def member_timeliness(assessment, *, at=None):
    """The lateness of one member state's assessment, by the same rule (for its overview, versions, receipt)."""
    judged = lateness([assessment.cycle], [assessment.member_state_id], at=at or timezone.now())
    return _member(assessment.member_state, judged[assessment.cycle_id, assessment.member_state_id],
                   assessment=assessment)


def counted_versions(cycle, *, at=None):
    """The versions the EU figures count: the latest of each member state of the population, unless withheld."""
    return counted_of(cycle_population(cycle, at=at))


def counted_of(members):
    """Of a population's members, the versions counted (their latest, unless withheld)."""
    return [member.latest for member in members if member.latest is not None and not member.is_withheld]


def withheld_of(members):
    """Of a population's members, those whose latest version is withheld from the figures (TLP:RED)."""
    return [member.member_state for member in members if member.is_withheld]
