"""Documents attached to the draft."""

from django.db import transaction
from django.utils import timezone

from assessments.files.documents import stored_name
from assessments.models import Attachment
from assessments.services.locking import lock_draft
from assessments.services.markings import part_marked
from assessments.sharing import attachment_marking_check
from portal import markings
from portal.lib.digests import sha256_of_file


class AlreadyAttached(Exception):
    def __init__(self, attachment):
        super().__init__(attachment.name)
        self.attachment = attachment


@transaction.atomic
def attachment_add(*, assessment, upload, user, marking=None):
    """Store a checked upload under its SHA-256, outside static/, and record it in the draft under a safe name.

    `marking` is its handling marking, the draft's when not given, never less strict (else MarkingRefused); one
    stricter than the draft's is in the audit trail. The same content twice is one attachment: attached already,
    it is refused (AlreadyAttached); removed from the draft before, it comes back, under the stricter of the marking
    it had (a version may cite it under it) and the one chosen now. A storage failure (OSError) leaves no file and
    no row behind.
    """
    assessment = lock_draft(assessment)
    marking = attachment_marking_check(marking or assessment.marking, assessment)
    sha256, _size = sha256_of_file(upload)
    existing = Attachment.objects.filter(assessment=assessment, sha256=sha256).first()
    if existing is not None and existing.removed_at is None:
        raise AlreadyAttached(existing)
    if existing is not None:
        existing.file.save(existing.file.name.rsplit("/", 1)[-1], upload, save=False)  # whole again, if it was not
        existing.removed_at, existing.marking = None, markings.strictest(existing.marking, marking)
        Attachment.objects.filter(pk=existing.pk).update(removed_at=None, marking=existing.marking)
        attachment = existing
    else:
        attachment = Attachment.objects.create(
            assessment=assessment, file=upload, name=stored_name(upload.name, upload.detected_type),
            content_type=upload.detected_type, size=upload.size, sha256=sha256, uploaded_by=user, marking=marking,
        )
    part_marked(attachment, within=assessment, user=user, of="attachment")
    return attachment


@transaction.atomic
def attachment_remove(*, attachment):
    """Take an attachment out of the draft. The file stays: a submitted version may cite it."""
    lock_draft(attachment.assessment)
    Attachment.objects.filter(pk=attachment.pk).update(removed_at=timezone.now())
