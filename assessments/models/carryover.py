"""A draft started from the member state's answers of an earlier cycle, and which of them nobody has read since.

Prefilling copies the answers of one earlier submitted version (`Prefill.source`) into a new cycle's draft, matched
by catalogue code. Every non-empty value it copies is a `CarriedAnswer` until someone edits that field or confirms
that it still holds, so that last year's text is never submitted unread.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.assessment import AssessmentVersion, NationalAssessment, SectionState


class Prefill(models.Model):
    """Where a draft started: an earlier version of the same member state (checked by the service that makes it,
    `assessments.services.carryover`), and the answers of it that could not come along (`left_behind`:
    [{"section", "key": stable key, "reason": LeftBehind, "message": the form's words when a value was refused}])."""

    assessment = models.OneToOneField(NationalAssessment, on_delete=models.CASCADE, related_name="prefill")
    source = models.ForeignKey(AssessmentVersion, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    carried = models.PositiveIntegerField(_("answers carried over"))
    left_behind = models.JSONField(default=list, blank=True)


class LeftBehind(models.TextChoices):
    NOT_ASKED = "not_asked", _("no longer asked in this cycle")
    REFUSED = "refused", _("no longer a valid answer in this cycle")


class Settled(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed as still holding")
    EDITED = "edited", _("edited")


class CarriedAnswerQuerySet(models.QuerySet):
    def unconfirmed(self):
        return self.filter(settled="")


class CarriedAnswer(models.Model):
    """One value copied by a prefill (by stable key, see assessments/questionnaire/sections.py); unconfirmed while
    `settled` is blank. Editing the field (any accepted change of its value: a save, a merge, an import, a restore)
    settles it as edited; "still holds" settles it as confirmed. Rows are never deleted: they say who read what, and
    when."""

    section_state = models.ForeignKey(SectionState, on_delete=models.CASCADE, related_name="carried")
    key = models.CharField(max_length=300)
    # The question the value answers: a catalogue code (R4, SM03), a supplier's name, or "" for the scope section.
    item = models.CharField(max_length=200, blank=True)
    settled = models.CharField(max_length=10, choices=Settled.choices, blank=True)
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    settled_at = models.DateTimeField(null=True, blank=True)

    objects = CarriedAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["section_state", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["section_state", "key"], name="carried_answer_once_per_key"),
            models.CheckConstraint(condition=Q(settled__in=[*Settled.values, ""]), name="carried_answer_settled_valid"),
            # Settled exactly when it says when.
            models.CheckConstraint(condition=Q(settled="", settled_at__isnull=True)
                                   | (~Q(settled="") & Q(settled_at__isnull=False)),
                                   name="carried_answer_settled_has_time"),
        ]
        indexes = [
            # The overview's and the submit page's count of unconfirmed answers per section.
            models.Index(fields=["section_state"], condition=Q(settled=""), name="carried_answer_unconfirmed"),
        ]
