"""A member state's national assessment for a cycle, its sections, versions and workflow."""

from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.questionnaire import Section


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for clarification")
    ACCEPTED = "accepted", _("Accepted")


EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)


class NationalAssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Authority staff see their own member state's; reviewers see those ever submitted; admins all."""
        if user.is_portal_admin:
            return self
        if user.is_authority_staff:
            return self.filter(member_state_id=user.member_state_id)
        if user.is_reviewer:
            return self.filter(versions__isnull=False).distinct()
        return self.none()


class NationalAssessment(models.Model):
    cycle = models.ForeignKey("portal.ReportingCycle", on_delete=models.PROTECT, related_name="assessments")
    member_state = models.ForeignKey("portal.MemberState", on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NationalAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("national assessment")
        verbose_name_plural = _("national assessments")
        ordering = ["cycle", "member_state__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "member_state"], name="assessment_one_per_cycle_and_state"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="assessment_status_valid"),
        ]

    def __str__(self):
        return f"{self.member_state} – {self.cycle}"

    @cached_property
    def edit_lock(self):
        """Why the cycle does not accept edits from this member state now (closed, deadline passed), or None."""
        return self.cycle.lock_reason(self.member_state)

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES and self.edit_lock is None

    def is_editable_by(self, user):
        return self.is_editable and user.is_authority_staff and user.member_state_id == self.member_state_id

    def may_submit(self, user):
        return self.is_editable_by(user) and user.is_lead_reporter


class SectionState(models.Model):
    """The draft state of one section: its revision for optimistic locking, and unsaved input.

    Every save names the revision it started from and succeeds only if the
    section is still at that revision (a conditional UPDATE), so a colleague's
    save in between is never overwritten silently.
    """

    assessment = models.ForeignKey(NationalAssessment, on_delete=models.CASCADE, related_name="section_states")
    section = models.CharField(max_length=20, choices=Section.choices)
    revision = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(null=True, blank=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "section"], name="section_state_unique"),
            models.CheckConstraint(condition=Q(section__in=Section.values), name="section_state_section_valid"),
        ]


class UnsavedInput(models.Model):
    """What a filer typed into a section that could not be applied (invalid, or refused in a conflict).

    Kept per user, so that nothing typed is ever lost: the section page shows it
    again, with its errors, until the filer corrects it or discards it.
    """

    section_state = models.ForeignKey(SectionState, on_delete=models.CASCADE, related_name="unsaved_inputs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField()
    # The section revision the input started from: if the section moved on
    # since, the filer is shown both versions and chooses.
    base_revision = models.PositiveIntegerField()
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["section_state", "user"], name="unsaved_input_one_per_user")]


class AssessmentVersion(models.Model):
    """An immutable, submitted snapshot. Its answer rows carry `version`; `snapshot` holds them as JSON."""

    assessment = models.ForeignKey(NationalAssessment, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    sha256 = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    # The member state's effective deadline when it submitted (an extension if granted).
    due_at = models.DateTimeField(null=True, blank=True)
    is_late = models.BooleanField(default=False)

    class Meta:
        ordering = ["assessment", "number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="version_sha256_hex"),
        ]

    def __str__(self):
        return f"{self.assessment} v{self.number}"


class Transition(models.Model):
    """Every change of an assessment's status: who, when, from, to, why."""

    assessment = models.ForeignKey(NationalAssessment, on_delete=models.CASCADE, related_name="transitions")
    version = models.ForeignKey(AssessmentVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    from_status = models.CharField(max_length=12, choices=Status.choices)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "at", "pk"]


class PointStatus(models.TextChoices):
    DRAFT = "draft", _("Not sent yet")
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    RESOLVED = "resolved", _("Resolved")


class ClarificationPoint(models.Model):
    """A reviewer's question on a submitted version: a section, optionally one question and field of it.

    Points are written as drafts and sent together, which returns the
    assessment; the member state answers each in a thread and may change the
    answer; the reviewer resolves them.
    """

    assessment = models.ForeignKey(NationalAssessment, on_delete=models.CASCADE, related_name="clarifications")
    version = models.ForeignKey(AssessmentVersion, on_delete=models.PROTECT, related_name="clarifications")
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    # The catalogue code (R4, SM03, core...) or field of the question; blank for the whole section.
    item = models.CharField(_("question"), max_length=40, blank=True)
    field = models.CharField(_("field"), max_length=40, blank=True)
    message = models.TextField(_("why"))
    status = models.CharField(_("status"), max_length=10, choices=PointStatus.choices, default=PointStatus.OPEN)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "raised_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(message=""), name="clarification_message_given"),
            models.CheckConstraint(condition=Q(status__in=PointStatus.values), name="clarification_status_valid"),
            models.CheckConstraint(condition=Q(resolved_at__isnull=True) | Q(status="resolved"),
                                   name="clarification_resolved_consistent"),
        ]


class ClarificationMessage(models.Model):
    """One message in a point's thread: the member state's answer, or the reviewer's follow-up."""

    point = models.ForeignKey(ClarificationPoint, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("answer"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["point", "at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="clarification_message_text_given")]


def attachment_path(instance, filename):
    # The stored name is not the uploaded one: it cannot collide or traverse.
    return f"attachments/{instance.assessment_id}/{instance.sha256}"


class Attachment(models.Model):
    assessment = models.ForeignKey(NationalAssessment, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Removed from the draft; kept because a submitted version may cite it.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0, size__lte=20 * 1024 * 1024), name="attachment_size_limit"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="attachment_sha256_hex"),
        ]
