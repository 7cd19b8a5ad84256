"""Milestones of a cycle and extensions of a member state's deadline (kept as history)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from portal.deadlines import Deadline
from portal.models.cycles import HistoryQuerySet, ReportingCycle
from portal.models.member_states import ConcernsMemberState, MemberState


class MilestoneScope(models.TextChoices):
    MEMBER_STATE = "member_state", _("Each member state")
    EU = "eu", _("EU level")


DUE_TIME_HELP = _("Brussels time. Leave empty for the end of the day: on time until midnight.")


class Milestone(models.Model):
    Scope = MilestoneScope

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="milestones",
                              verbose_name=_("reporting cycle"))
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    scope = models.CharField(_("scope"), max_length=20, choices=MilestoneScope.choices)
    due_date = models.DateField(_("due date"))
    # Empty: "by 15 July" means until the end of that day in Brussels (see portal.deadlines).
    due_time = models.TimeField(_("due time (Brussels)"), null=True, blank=True, help_text=DUE_TIME_HELP)
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
            models.UniqueConstraint(fields=["cycle"], condition=Q(tracks_submission=True),
                                    name="milestone_one_submission_milestone_per_cycle"),
            models.CheckConstraint(
                condition=Q(tracks_submission=False) | Q(scope="member_state"),
                name="milestone_submission_is_per_member_state",
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.title}"

    @property
    def deadline(self):
        return Deadline(self.due_date, self.due_time)

    @property
    def is_per_member_state(self):
        return self.scope == self.Scope.MEMBER_STATE

    def deadline_for(self, member_state, at=None):
        """(Deadline, Extension or None): the member state's extension in force at `at`, else the milestone's."""
        extension = self.extensions.in_force(at).filter(member_state=member_state).order_by("-granted_at").first()
        return (extension.deadline if extension else self.deadline), extension


class ExtensionQuerySet(HistoryQuerySet):
    """In force (portal/models/cycles.py) from its grant until it is revoked or replaced."""

    starts, ends = "granted_at", "ended_at"


class Extension(ConcernsMemberState, models.Model):
    """A later deadline granted to one member state for one milestone. Revoked or replaced: ended, not deleted."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="extensions",
                                  verbose_name=_("milestone"))
    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="extensions",
                                     verbose_name=_("member state"))
    due_date = models.DateField(_("extended until"))
    due_time = models.TimeField(_("due time (Brussels)"), null=True, blank=True, help_text=DUE_TIME_HELP)
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("granted by"))
    # In force from this instant; the demo data sets it in the past, the admin pages to now.
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("ended by"))

    objects = ExtensionQuerySet.as_manager()

    class Meta:
        ordering = ["milestone", "member_state__protocol_order", "-granted_at"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.UniqueConstraint(fields=["milestone", "member_state"], condition=Q(ended_at__isnull=True),
                                    name="extension_one_current_per_milestone_and_state"),
            models.CheckConstraint(condition=~Q(reason=""), name="extension_reason_given"),
        ]

    def __str__(self):
        # The audit trail keeps this as the row's name, shown on the Activity page: a date as people write it.
        return f"{self.member_state.eu_code} {self.milestone.code} until {formats.date_format(self.due_date)}"

    @property
    def deadline(self):
        return Deadline(self.due_date, self.due_time)


def deadlines_in_force(milestones, at=None):
    """{(milestone id, member state id): Extension} in force at `at`, for the given milestones, in one query."""
    found = {}
    for extension in (Extension.objects.in_force(at).filter(milestone__in=[m.pk for m in milestones])
                      .order_by("granted_at")):
        found[(extension.milestone_id, extension.member_state_id)] = extension  # the latest granted wins
    return found


def deadline_of(milestone, member_state_id, extensions):
    """(Deadline, Extension or None) of one member state, from the result of `deadlines_in_force`."""
    extension = extensions.get((milestone.pk, member_state_id))
    return (extension.deadline if extension else milestone.deadline), extension
