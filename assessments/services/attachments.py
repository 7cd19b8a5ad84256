"""Documents attached to the draft."""

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from assessments.models import Attachment
from assessments.services.locking import lock_draft


@transaction.atomic
def attachment_add(*, assessment, upload, user):
    """Store a checked upload under its SHA-256, outside static/, and record it in the draft."""
    assessment = lock_draft(assessment)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Attachment.objects.create(
        assessment=assessment, file=upload, name=get_valid_filename(upload.name)[:200] or "attachment",
        content_type=upload.detected_type, size=upload.size, sha256=digest.hexdigest(), uploaded_by=user,
    )


@transaction.atomic
def attachment_remove(*, attachment):
    """Take an attachment out of the draft. The file stays: a submitted version may cite it."""
    lock_draft(attachment.assessment)
    Attachment.objects.filter(pk=attachment.pk).update(removed_at=timezone.now())
