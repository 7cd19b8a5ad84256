"""Documents attached to a draft, and cited by the versions submitted with them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.assessment import AssessmentVersion
from portal import access, markings
from portal.lib.storage import attachment_storage
from portal.markings import Marking

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def attachment_path(instance, filename):
    # The stored name is not the uploaded one: it cannot collide or traverse.
    return f"attachments/{instance.assessment_id}/{instance.sha256}"


class AttachmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The draft's attachments by the draft rule (and the draft's marking); those a submitted version cites by
        the submitted rule (and the version's marking); then by its own marking: TLP:RED only for its member
        state's staff and the reviewers named on a version that cites it (portal/access.py `marking_readable`)."""
        path = "assessment__member_state"
        cited = AssessmentVersionAttachment.objects.filter(version__in=AssessmentVersion.objects.visible_to(user))
        named = Q(pk__in=AssessmentVersionAttachment.objects.filter(version__shared_with=user.pk).values(
            "attachment_id")) if user.is_authenticated else access.NOTHING
        draft = access.readable(user, access.Data.DRAFT, path) & access.marking_readable(
            user, path, named=access.NOTHING, field="assessment__marking")
        return self.filter((draft | (Q(pk__in=cited.values("attachment_id"))
                                     & access.readable(user, access.Data.SUBMITTED, path)))
                           & access.marking_readable(user, path, named=named))

    def in_draft(self):
        return self.filter(removed_at__isnull=True)


class Attachment(models.Model):
    assessment = models.ForeignKey("assessments.NationalAssessment", on_delete=models.PROTECT,
                                   related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=attachment_storage, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Removed from the draft; kept because a submitted version may cite it.
    removed_at = models.DateTimeField(null=True, blank=True)
    # Its own handling marking, chosen by the uploader: never less strict than its draft's was then (the form and
    # the service refuse it). TLP:CLEAR, the default, adds nothing: what it carries is `marking_within()`.
    marking = models.CharField(_("marking"), max_length=16, choices=Marking.choices, default=Marking.CLEAR)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "uploaded_at", "pk"]
        constraints = [
            # The same content twice is one attachment (removed from the draft and attached again: the same row).
            models.UniqueConstraint(fields=["assessment", "sha256"], name="attachment_one_per_content"),
            models.CheckConstraint(condition=Q(size__gt=0, size__lte=MAX_ATTACHMENT_BYTES),
                                   name="attachment_size_limit"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="attachment_sha256_hex"),
            models.CheckConstraint(condition=Q(marking__in=Marking.values), name="attachment_marking_valid"),
        ]

    def __str__(self):
        return self.name

    def marking_within(self, holder):
        """What it carries where `holder` (its draft, or a version that cites it) shows it: the strictest of its own
        marking and the holder's."""
        return markings.strictest(self.marking, holder.marking)

    @property
    def carried_marking(self):
        """What it carries as its draft's attachment (its list, its download): no query once `assessment` is read."""
        return self.marking_within(self.assessment)


class AssessmentVersionAttachment(models.Model):
    """An attachment a submitted version cites: reviewers may download it from then on."""

    version = models.ForeignKey("assessments.AssessmentVersion", on_delete=models.CASCADE, related_name="+")
    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "attachment"], name="version_attachment_unique")]
