"""The phase-out tracker: high-risk suppliers' ICT components in the key assets of mobile networks.

The Commission's proposal of 20 January 2026 (a revised Cybersecurity Act, DOMAIN.md "After 2020") would have
those components phased out within 36 months of the supplier's designation. A member state reports, per mobile
network operator × key asset class × designated supplier, whether components are present, the planned removal
date, the progress and the day they were removed. The designation date is the supplier's (an admin enters it in
the catalogue, `Supplier.designated_high_risk_on`), never typed per row.

Rows with `version` NULL are the draft; submitting copies them with the version, as the answers (models/answers.py).

Two rules live here and nowhere else: the deadline a designation implies (`phase_out_deadline`) and a row's status
as of an instant (`phase_out_status`). Every page, export and test asks them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models.assessment import AssessmentVersion, NationalAssessment
from assessments.models.catalogue import KeyAssetClass, Supplier
from portal.deadlines import BRUSSELS, Deadline, months_after

# The proposal's period, from the designation (Art. 3(2)(c) of Regulation 1182/71 where the day does not exist).
PHASE_OUT_MONTHS = 36


class PhaseOutStatus(models.TextChoices):
    REMOVED = "removed", _("Removed")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OVERDUE = "overdue", _("Overdue")


def phase_out_deadline(designated_on):
    """The deadline a designation implies: 36 months later to the day, until the end of that day in Brussels."""
    return Deadline(months_after(designated_on, PHASE_OUT_MONTHS))


def phase_out_status(*, designated_on, present, planned_on, removed_on, at):
    """A row's status at the instant `at`, or None when its supplier has no designation date (nothing is due).

    - removed: no components present, or removed on or before the day of `at` (Brussels);
    - overdue: the deadline has passed and they are not removed;
    - at risk: the planned removal is after the deadline's day, or there is no plan and the deadline is less than
      PHASE_OUT_PLAN_DUE_MONTHS months away (from the start of that day, Brussels);
    - on track: otherwise (a plan on or before the deadline, or no plan yet while the deadline is further away).
    """
    if designated_on is None:
        return None
    day = timezone.localtime(at, BRUSSELS).date()
    if not present or (removed_on is not None and removed_on <= day):
        return PhaseOutStatus.REMOVED
    deadline = phase_out_deadline(designated_on)
    if deadline.has_passed(at):
        return PhaseOutStatus.OVERDUE
    if planned_on is None:
        plan_due = months_after(deadline.day, -settings.PHASE_OUT_PLAN_DUE_MONTHS)
        return PhaseOutStatus.AT_RISK if day >= plan_due else PhaseOutStatus.ON_TRACK
    return PhaseOutStatus.AT_RISK if planned_on > deadline.day else PhaseOutStatus.ON_TRACK


class PhaseOutEntry(models.Model):
    """One operator's key asset class holding (or not) one designated supplier's components."""

    assessment = models.ForeignKey(NationalAssessment, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(AssessmentVersion, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    operator = models.CharField(_("mobile network operator"), max_length=100)
    asset_class = models.ForeignKey(KeyAssetClass, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("key asset class"))
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("high-risk supplier"))
    components_present = models.BooleanField(_("components present"), default=True)
    planned_removal_on = models.DateField(_("planned removal date"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    # Copied into a version's snapshot, after the three that identify the row.
    snapshot_fields = ("components_present", "planned_removal_on", "progress", "removed_on", "note")

    class Meta:
        ordering = ["operator", "asset_class__position", "supplier__name"]
        verbose_name = _("phase-out entry")
        verbose_name_plural = _("phase-out entries")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "operator", "asset_class", "supplier"],
                                    condition=Q(version__isnull=True), name="phase_out_one_draft_row"),
            models.UniqueConstraint(fields=["version", "operator", "asset_class", "supplier"],
                                    name="phase_out_one_row_per_version"),
            models.CheckConstraint(condition=~Q(operator=""), name="phase_out_operator_named"),
            models.CheckConstraint(condition=Q(progress__isnull=True) | Q(progress__gte=0, progress__lte=100),
                                   name="phase_out_progress_range"),
            # Removed means done: no progress below 100% beside a removal date.
            models.CheckConstraint(condition=Q(removed_on__isnull=True) | Q(progress__isnull=True) | Q(progress=100),
                                   name="phase_out_removed_is_complete"),
            # Nothing present, nothing to plan or remove.
            models.CheckConstraint(
                condition=Q(components_present=True) | Q(planned_removal_on__isnull=True, removed_on__isnull=True,
                                                         progress__isnull=True),
                name="phase_out_absent_has_no_plan"),
        ]

    def __str__(self):
        return f"{self.operator} – {self.asset_class} – {self.supplier}"

    @property
    def deadline(self):
        designated_on = self.supplier.designated_high_risk_on
        return phase_out_deadline(designated_on) if designated_on else None

    def status_at(self, at):
        return phase_out_status(designated_on=self.supplier.designated_high_risk_on,
                                present=self.components_present, planned_on=self.planned_removal_on,
                                removed_on=self.removed_on, at=at)
