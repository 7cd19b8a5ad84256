"""Reviewers' questions on a submitted version, and the threads that answer them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models.assessment import AssessmentVersion, NationalAssessment
from assessments.models.questionnaire import Section
from portal import access, markings
from portal.markings import Marking


class PointStatus(models.TextChoices):
    DRAFT = "draft", _("Not sent yet")
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    RESOLVED = "resolved", _("Resolved")


OPEN_POINT_STATUSES = (PointStatus.OPEN, PointStatus.ANSWERED)


class ClarificationPointQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Unsent questions are reviewers' work; once sent, they belong with the submitted version."""
        path = "assessment__member_state"
        named = Q(version__shared_with=user.pk) if user.is_authenticated else access.NOTHING
        return self.filter(((Q(status=PointStatus.DRAFT) & access.readable(user, access.Data.REVIEW_WORK, path))
                            | (~Q(status=PointStatus.DRAFT) & access.readable(user, access.Data.SUBMITTED, path)))
                           & Q(version__in=AssessmentVersion.objects.visible_to(user))
                           & access.marking_readable(user, path, named=Q(pk__in=self.model.objects.filter(named)
                                                                         .values("pk"))))

    def still_open(self):
        return self.filter(status__in=OPEN_POINT_STATUSES)


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
    # Given by the service, as a transition's time: now, or the demo's date (clarification_draft's `now=`).
    raised_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The thread's own handling marking, chosen by the reviewer who opens it, never less strict than its version's;
    # its replies carry it. TLP:CLEAR, the default, adds nothing: what it carries is `carried_marking`.
    marking = models.CharField(_("marking"), max_length=16, choices=Marking.choices, default=Marking.CLEAR)

    objects = ClarificationPointQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "raised_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(message=""), name="clarification_message_given"),
            models.CheckConstraint(condition=Q(status__in=PointStatus.values), name="clarification_status_valid"),
            models.CheckConstraint(condition=Q(resolved_at__isnull=True) | Q(status="resolved"),
                                   name="clarification_resolved_consistent"),
            models.CheckConstraint(condition=Q(marking__in=Marking.values), name="clarification_marking_valid"),
        ]

    @property
    def carried_marking(self):
        """What the thread and its replies carry: the strictest of its own marking and its version's (no query once
        `version` is read)."""
        return markings.strictest(self.marking, self.version.marking)

    @property
    def is_draft(self):
        return self.status == PointStatus.DRAFT

    @property
    def is_open(self):
        """Sent and not resolved: the member state may answer, the reviewer resolve."""
        return self.status in OPEN_POINT_STATUSES

    @property
    def is_answered(self):
        return self.status == PointStatus.ANSWERED

    @property
    def is_resolved(self):
        return self.status == PointStatus.RESOLVED


class ClarificationMessage(models.Model):
    """One message in a point's thread: the member state's answer, or the reviewer's follow-up."""

    point = models.ForeignKey(ClarificationPoint, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("answer"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["point", "at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="clarification_message_text_given")]
