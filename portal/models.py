"""Core of the portal: member states, authorities, users and roles, cycles and milestones."""

import datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractUser
from django.db import models
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


class User(AbstractUser):
    # At most one national authority: the member state a filer works for.
    # Reviewers (Commission, ENISA) and admins belong to none.
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("authority")
    )

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
