"""The phase-out tracker's draft rows: added, changed and removed under the draft's lock, like every draft write."""

from django.db import transaction

from assessments.models import PhaseOutEntry
from assessments.services.locking import lock_draft


@transaction.atomic
def phase_out_entry_save(*, assessment, form):
    """Save a valid PhaseOutEntryForm's row into the draft (a new one, or the one it edits); returns the row.

    Under the assessment's row lock: a colleague's submission either froze the draft before (AssessmentLocked,
    nothing written) or sees this row after."""
    assessment = lock_draft(assessment)
    entry = form.save(commit=False)
    entry.assessment, entry.version = assessment, None
    entry.save()
    return entry


@transaction.atomic
def phase_out_entry_remove(*, assessment, entry):
    """Take a row out of the draft; the versions submitted keep their own copy."""
    assessment = lock_draft(assessment)
    PhaseOutEntry.objects.filter(pk=entry.pk, assessment=assessment, version__isnull=True).delete()

