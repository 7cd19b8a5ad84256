"""Core of the portal: member states, authorities, users and roles, cycles and milestones."""

import datetime
import secrets
from functools import cached_property
from zoneinfo import ZoneInfo

import dataclasses

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

BRUSSELS = ZoneInfo("Europe/Brussels")
END_OF_DAY = datetime.time(23, 59, 59)


class MemberStateQuerySet(models.QuerySet):
    def members_on(self, day):
        """Member states that belonged to the Union on `day` (membership is a period)."""
        return self.filter(Q(joined__lte=day), Q(left__isnull=True) | Q(left__gt=day))


class MemberState(models.Model):
    # ISO 3166-1 and the EU's own codes differ for Greece (GR/EL) and the UK (GB/UK).
    iso_code = models.CharField(_("ISO 3166-1 code"), max_length=2, unique=True)
    eu_code = models.CharField(_("EU code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    joined = models.DateField(_("member since"))
    left = models.DateField(_("member until (exclusive)"), null=True, blank=True)

    objects = MemberStateQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("member state")
        verbose_name_plural = _("member states")
        constraints = [
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gt=models.F("joined")),
                name="member_state_left_after_joined",
            ),
            models.CheckConstraint(condition=Q(iso_code__regex=r"^[A-Z]{2}$"), name="member_state_iso_code_format"),
            models.CheckConstraint(condition=Q(eu_code__regex=r"^[A-Z]{2}$"), name="member_state_eu_code_format"),
        ]

    def __str__(self):
        return self.name

    def is_member_on(self, day):
        return self.joined <= day and (self.left is None or day < self.left)


class AuthorityKind(models.TextChoices):
    CYBERSECURITY = "cybersecurity", _("National cybersecurity authority")
    REGULATOR = "regulator", _("National regulatory authority")
    MINISTRY = "ministry", _("Ministry")
    SECURITY_SERVICE = "security_service", _("Security or intelligence service")
    OTHER = "other", _("Other")


class Authority(models.Model):
    Kind = AuthorityKind

    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="authorities")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AuthorityKind.choices)

    class Meta:
        ordering = ["member_state__name", "name"]
        verbose_name = _("national authority")
        verbose_name_plural = _("national authorities")
        constraints = [
            models.UniqueConstraint(fields=["member_state", "name"], name="authority_unique_name_per_member_state"),
            models.CheckConstraint(condition=Q(kind__in=AuthorityKind.values), name="authority_kind_valid"),
        ]

    def __str__(self):
        return f"{self.name} ({self.member_state.eu_code})"


class Role(models.TextChoices):
    """Roles are Django groups of these names, created by a migration."""

    REPORTER = "reporter", _("Reporter")
    LEAD_REPORTER = "lead reporter", _("Lead reporter")
    REVIEWER = "reviewer", _("Reviewer")
    ADMIN = "admin", _("Admin")


def new_calendar_token():
    return secrets.token_urlsafe(32)


class User(AbstractUser):
    # At most one national authority: the member state a filer works for.
    # Reviewers (Commission, ENISA) and admins belong to none.
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("authority")
    )
    # The secret in the user's private calendar feed URL; resetting it revokes old subscriptions.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token, editable=False)
    time_zone = models.CharField(_("your time zone"), max_length=64, default="Europe/Brussels")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def roles(self):
        if not self.is_authenticated or not self.pk:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    @property
    def member_state(self):
        return self.authority.member_state if self.authority_id else None

    @property
    def member_state_id(self):
        return self.authority.member_state_id if self.authority_id else None

    @property
    def is_portal_admin(self):
        return self.is_superuser or Role.ADMIN in self.roles

    @property
    def is_reviewer(self):
        return Role.REVIEWER in self.roles

    @property
    def is_lead_reporter(self):
        return self.authority_id is not None and Role.LEAD_REPORTER in self.roles

    @property
    def is_authority_staff(self):
        """Reporters and lead reporters: they file for their own member state."""
        return self.authority_id is not None and bool(self.roles & {Role.REPORTER, Role.LEAD_REPORTER})


class CycleStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ReportingCycle(models.Model):
    Status = CycleStatus

    title = models.CharField(_("title"), max_length=200, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("starts on"))
    member_states = models.ManyToManyField(MemberState, related_name="cycles", verbose_name=_("member states covered"))
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

    class QuerySet(models.QuerySet):
        def open(self):
            return self.filter(status=ReportingCycle.Status.OPEN)

        def covering(self, member_state):
            return self.filter(member_states=member_state)

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="cycle_year_plausible"),
            models.CheckConstraint(condition=Q(status__in=CycleStatus.values), name="cycle_status_valid"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def reminder_schedule(self):
        return sorted({int(day) for day in self.reminder_days.split(",") if day.strip()}, reverse=True)

    @cached_property
    def submission_milestone(self):
        return next((m for m in self.milestones.all() if m.tracks_submission), None)

    def lock_reason(self, member_state, now=None):
        """Why the member state's draft may not be edited now, or None. Reopening for the state overrides."""
        now = now or timezone.now()
        reopening = self.reopenings.filter(member_state=member_state).first()
        if reopening and (reopening.until is None or now < reopening.until):
            return None
        if not self.is_open:
            return EditLock(_("The reporting cycle was closed by an admin."), self.closed_at)
        milestone = self.submission_milestone
        if self.lock_on_deadline and milestone:
            due = milestone.effective_due_for(member_state)
            if now > due:
                return EditLock(_("The submission deadline has passed."), due)
        return None


@dataclasses.dataclass(frozen=True)
class EditLock:
    reason: str
    since: datetime.datetime | None


class Reopening(models.Model):
    """An admin let one member state edit its draft although the cycle is closed or its deadline passed."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="reopenings")
    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="+")
    until = models.DateTimeField(_("open until"), null=True, blank=True,
                                 help_text=_("Leave empty to keep it open until an admin closes it again."))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "member_state"], name="reopening_one_per_cycle_and_state"),
            models.CheckConstraint(condition=~Q(reason=""), name="reopening_reason_given"),
        ]


class MilestoneScope(models.TextChoices):
    MEMBER_STATE = "member_state", _("Each member state")
    EU = "eu", _("EU level")


class Milestone(models.Model):
    Scope = MilestoneScope

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="milestones")
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    scope = models.CharField(_("scope"), max_length=20, choices=MilestoneScope.choices)
    due_date = models.DateField(_("due date"))
    # "By 15 July" means the end of that day in Brussels.
    due_time = models.TimeField(_("due time (Brussels)"), default=END_OF_DAY)
    # Several EU-level steps came late: the date actually met is kept apart
    # from the due date, and only EU-level steps have one.
    met_on = models.DateField(_("met on"), null=True, blank=True)
    # The one milestone of a cycle that a national submission in the portal
    # meets (NRA-SUBMIT in 2019): lateness is judged against it.
    tracks_submission = models.BooleanField(_("met by the national submission"), default=False)

    class Meta:
        ordering = ["cycle", "due_date", "due_time", "code"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="milestone_unique_code_per_cycle"),
            models.CheckConstraint(condition=Q(scope__in=MilestoneScope.values), name="milestone_scope_valid"),
            models.CheckConstraint(
                condition=Q(met_on__isnull=True) | Q(scope="eu"), name="milestone_met_on_only_for_eu_steps"
            ),
            models.UniqueConstraint(
                fields=["cycle"], condition=Q(tracks_submission=True), name="milestone_one_submission_milestone_per_cycle"
            ),
            models.CheckConstraint(
                condition=Q(tracks_submission=False) | Q(scope="member_state"),
                name="milestone_submission_is_per_member_state",
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.title}"

    @property
    def due_at(self):
        """The deadline as an aware datetime, in Brussels whatever the server's zone."""
        return datetime.datetime.combine(self.due_date, self.due_time, tzinfo=BRUSSELS)

    @property
    def is_per_member_state(self):
        return self.scope == self.Scope.MEMBER_STATE

    def effective_due_for(self, member_state):
        """The member state's deadline: its extension where one was granted, else the milestone's."""
        extension = self.extensions.filter(member_state=member_state).first()
        return extension.due_at if extension else self.due_at


class Extension(models.Model):
    """A later deadline granted to one member state for one milestone."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="extensions")
    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="extensions")
    due_date = models.DateField(_("extended until"))
    due_time = models.TimeField(_("due time (Brussels)"), default=END_OF_DAY)
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.UniqueConstraint(fields=["milestone", "member_state"], name="extension_one_per_milestone_and_state"),
            models.CheckConstraint(condition=~Q(reason=""), name="extension_reason_given"),
        ]

    def __str__(self):
        return f"{self.member_state.eu_code} {self.milestone.code} until {self.due_date}"

    @property
    def due_at(self):
        return datetime.datetime.combine(self.due_date, self.due_time, tzinfo=BRUSSELS)


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder before the deadline")
    OVERDUE = "overdue", _("Overdue notice")
    ADMIN_SUMMARY = "admin_summary", _("Summary of overdue member states, to admins")


class Notification(models.Model):
    """A ledger of sent notifications: its unique key makes every send happen at most once.

    The deadline is part of the key, so that a member state granted an extension
    is reminded again for its new date but never twice for the same one.
    """

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="notifications")
    member_state = models.ForeignKey(MemberState, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    days_before = models.PositiveSmallIntegerField(default=0)
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    deadline = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "member_state", "kind", "days_before", "recipient", "deadline"],
                name="notification_sent_once",
            ),
            # NULLs are distinct in a unique index: the admins' summary needs a key of its own.
            models.UniqueConstraint(
                fields=["milestone", "kind", "recipient", "deadline"], condition=Q(member_state__isnull=True),
                name="notification_summary_sent_once",
            ),
            models.CheckConstraint(condition=Q(kind__in=NotificationKind.values), name="notification_kind_valid"),
        ]
