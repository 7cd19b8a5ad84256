"""Every write to a draft, and the submission, serialise on the assessment's row.

Section saves, supplier and attachment changes, workbook imports and submitting all take this lock first, in
their transaction: a submission never freezes a draft half-way through a colleague's change.
"""

from assessments.models import NationalAssessment
from assessments.services.errors import AssessmentLocked


def lock_draft(assessment):
    """The assessment re-read under a row lock (call inside a transaction); refuses when it is not editable."""
    locked = (NationalAssessment.objects.select_for_update(of=("self",))
              .select_related("cycle__questionnaire", "member_state").get(pk=assessment.pk))
    if not locked.is_editable:
        raise AssessmentLocked
    return locked
