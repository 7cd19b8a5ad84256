"""Reporting cycles, the member states they cover, and reopenings for one member state.

Coverage and reopenings are history: a change ends a row (with who and when)
and starts another; nothing is deleted, so that figures "as of" a past day use
what was in force on that day.

**In force at an instant t**, the one rule of every history table (coverage here, reopenings, extensions in
milestones.py): a row is in force at t when it has started (start <= t) and has not ended (no end, or t < end).
Its start is inclusive and its end exclusive, so a coverage starting tomorrow is not in force today, and one ended
at t is no longer in force at t. Every page, export, task and API asks through the querysets' `in_force(at)`.
"""

import dataclasses
import datetime
from functools import cached_property

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import access
from portal.deadlines import BRUSSELS
from portal.models.member_states import ConcernsMemberState, MemberState


class CycleStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


def in_force(at, start="since", end="until"):
    """Rows of a history table in force at the instant `at`: started (start <= at), not yet ended (at < end)."""
    return Q(**{f"{start}__lte": at}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": at}))


class HistoryQuerySet(models.QuerySet):
    """A history table's rows; `starts` and `ends` name its columns of the rule above."""

    starts, ends = "since", "until"

    def in_force(self, at=None):
        """The rows in force at the instant `at` (now by default)."""
        return self.filter(in_force(at or timezone.now(), self.starts, self.ends))

    def not_ended(self):
        """The rows nobody has ended: in force now, or from a later start. What an admin changes or ends."""
        return self.filter(**{f"{self.ends}__isnull": True})


def _covering(member_state, at):
    """Cycles whose coverage of `member_state` is in force at `at`, as a filter (a subquery: no join, no DISTINCT)."""
    return Q(pk__in=CycleCoverage.objects.in_force(at).filter(member_state=member_state).values("cycle_id"))


class ReportingCycleQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=CycleStatus.OPEN)

    def covering(self, member_state, at=None):
        """Cycles that ask `member_state` at the instant `at` (now by default)."""
        return self.filter(_covering(member_state, at or timezone.now()))

    def current_for(self, member_state, at=None):
        """Cycles the member state files in: open and covering it, or reopened for it (closed for the others)."""
        at = at or timezone.now()
        reopened = Reopening.objects.in_force(at).filter(member_state=member_state).values("cycle_id")
        return self.covering(member_state, at).filter(Q(status=CycleStatus.OPEN) | Q(pk__in=reopened))

    def visible_to(self, user, at=None):
        """Every cycle for reviewers and admins; for authority staff, those covering their member state now."""
        own = _covering(user.member_state_id, at or timezone.now()) if user.is_authenticated else None
        readable = access.readable(user, access.Data.CYCLE, own=own)
        if readable is access.EVERYTHING:
            return self.all()  # reviewers and admins: no subquery to compile on every page
        return self.filter(readable)


class ReportingCycle(models.Model):
    Status = CycleStatus

    title = models.CharField(_("title"), max_length=200, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    # The cycle's reference date: a member state is asked if it is a member on this day.
    starts_on = models.DateField(_("starts on"))
    status = models.CharField(_("status"), max_length=10, choices=CycleStatus.choices, default=CycleStatus.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # When set, a member state's draft locks once its effective submission deadline has passed.
    lock_on_deadline = models.BooleanField(_("lock drafts at the deadline"), default=False)
    # Days before the effective deadline on which reporters are reminded, comma-separated.
    reminder_days = models.CharField(
        _("reminder days"), max_length=50, default="14,7,1",
        validators=[RegexValidator(r"^\d{1,3}(,\d{1,3})*$", _("Whole numbers of days, separated by commas."))],
        help_text=_("Days before the deadline on which reporters are reminded, e.g. 14,7,1."),
    )
    # How many people who may submit must certify a draft's content before it becomes a version: 1, or 2 when the
    # cycle asks a second certifier (assessments/models/certification.py).
    certifiers_required = models.PositiveSmallIntegerField(
        _("certifiers required"), choices=[(1, _("One: the lead reporter who submits")),
                                           (2, _("Two: a second lead reporter certifies the same content"))],
        default=1,
        help_text=_("With two, a version is made only when two different lead reporters have certified the same "
                    "content of the draft."))
    # A cycle of the demo data set: `seed_demo` made it and restores it (portal/demo.py); it never touches a cycle
    # without this mark, and nothing else sets it.
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ReportingCycleQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="cycle_year_plausible"),
            models.CheckConstraint(condition=Q(status__in=CycleStatus.values), name="cycle_status_valid"),
            models.CheckConstraint(condition=Q(certifiers_required__in=[1, 2]), name="cycle_certifiers_one_or_two"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def starts_at(self):
        return datetime.datetime.combine(self.starts_on, datetime.time(0), tzinfo=BRUSSELS)

    @property
    def reminder_schedule(self):
        return sorted({int(day) for day in self.reminder_days.split(",") if day.strip()}, reverse=True)

    def covered_member_states(self, at=None):
        """The member states the cycle asks at the instant `at` (now by default): its coverage in force then."""
        return MemberState.objects.filter(pk__in=self.coverages.in_force(at).values("member_state_id"))

    def asked_member_states(self):
        """The member states whose coverage nobody has ended: asked now, or from the cycle's later start. What the
        admins' coverage page edits (a cycle that has not begun asks nobody yet, but will ask these)."""
        return MemberState.objects.filter(pk__in=self.coverages.not_ended().values("member_state_id"))

    def may_cover(self, member_state):
        """Only a member of the Union on the cycle's reference date can be asked."""
        return member_state.is_member_on(self.starts_on)

    @cached_property
    def submission_milestone(self):
        return next((m for m in self.milestones.all() if m.tracks_submission), None)

    def reopened_member_states(self, at=None):
        """The member states the cycle is reopened for at `at` (now): they may edit even when it is closed."""
        return MemberState.objects.filter(pk__in=self.reopenings.in_force(at).values("member_state_id"))

    def reopening_for(self, member_state, at=None):
        return self.reopenings.in_force(at).filter(member_state=member_state).first()

    def lock_reason(self, member_state, now=None):
        """Why the member state's draft may not be edited now, or None. Reopening for the state overrides."""
        now = now or timezone.now()
        if self.reopening_for(member_state, now):
            return None
        if not self.is_open:
            return EditLock(_("The reporting cycle was closed by an admin."), self.closed_at)
        milestone = self.submission_milestone
        if self.lock_on_deadline and milestone:
            deadline, _extension = milestone.deadline_for(member_state, at=now)
            if deadline.has_passed(now):
                return EditLock(_("The submission deadline has passed."), deadline.ends_at)
        return None


@dataclasses.dataclass(frozen=True)
class EditLock:
    reason: str
    since: datetime.datetime | None


class CycleCoverageQuerySet(HistoryQuerySet):
    starts, ends = "since", "until"


class CycleCoverage(ConcernsMemberState, models.Model):
    """A member state asked by a cycle, from `since` until `until` (removed), with who changed it."""

    # Verbose names: the Activity page names changed fields by them (portal/audit_words.py).
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="coverages",
                              verbose_name=_("reporting cycle"))
    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="coverages",
                                     verbose_name=_("member state"))
    # In force from: the cycle's start for the member states it was created with, the change otherwise.
    since = models.DateTimeField(_("asked since"))
    until = models.DateTimeField(_("asked until"), null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("added by"))
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("removed by"))
    # Said by the admin when a member state that has submitted is removed: what becomes of its submission.
    removal_reason = models.TextField(_("reason for the removal"), blank=True)

    objects = CycleCoverageQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "member_state__protocol_order", "since"]
        verbose_name = _("cycle coverage")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "member_state"], condition=Q(until__isnull=True),
                                    name="coverage_one_current_per_cycle_and_state"),
            models.CheckConstraint(condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                                   name="coverage_ends_after_it_starts"),
        ]

    def __str__(self):
        return f"{self.member_state} – {self.cycle}"


class ReopeningQuerySet(HistoryQuerySet):
    starts, ends = "granted_at", "ended_at"

    def in_force(self, at=None):
        """Granted and not withdrawn at `at` (the rule above), and not past its own `until` (exclusive too)."""
        at = at or timezone.now()
        return super().in_force(at).filter(Q(until__isnull=True) | Q(until__gt=at))


class Reopening(ConcernsMemberState, models.Model):
    """An admin let one member state edit its draft although the cycle is closed or its deadline passed."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="reopenings",
                              verbose_name=_("reporting cycle"))
    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("member state"))
    until = models.DateTimeField(_("open until"), null=True, blank=True,
                                 help_text=_("Leave empty to keep it open until an admin closes it again."))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("granted by"))
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    # Withdrawn or replaced: ended, never deleted.
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("ended by"))

    objects = ReopeningQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "-granted_at"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "member_state"], condition=Q(ended_at__isnull=True),
                                    name="reopening_one_current_per_cycle_and_state"),
            models.CheckConstraint(condition=~Q(reason=""), name="reopening_reason_given"),
        ]

    def __str__(self):
        return f"{self.member_state} – {self.cycle}"
