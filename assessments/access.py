"""One fetcher per object of the national assessment. Every view gets its objects here.

The rules themselves are in portal/access.py; these only apply them (through each model's `visible_to`) and answer
404 when the user may not see the object, 403 when they may see it but not change it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.models import (
    AssessmentVersion,
    Attachment,
    ClarificationPoint,
    NationalAssessment,
    PhaseOutEntry,
    SupplierPresence,
)
from portal import access


def get_assessment_for_user(user, pk):
    """An assessment the user may see in any way (its draft, or its submitted versions)."""
    return get_object_or_404(
        NationalAssessment.objects.visible_to(user).select_related("cycle__questionnaire", "member_state"), pk=pk)


def get_draft_for_user(user, pk, *, write=False):
    """The working draft: its member state's staff, and admins (who read it). Reviewers never see a draft."""
    assessment = get_assessment_for_user(user, pk)
    if not assessment.draft_is_visible_to(user):
        raise Http404
    if write and not assessment.is_editable_by(user):
        raise PermissionDenied
    return assessment


def get_submittable_for_user(user, pk):
    """The draft a lead reporter of its member state may submit now (403 for its other readers)."""
    assessment = get_draft_for_user(user, pk)
    if not assessment.may_submit(user):
        raise PermissionDenied
    return assessment


def get_version_for_user(user, pk, number):
    return get_object_or_404(
        AssessmentVersion.objects.visible_to(user).select_related(
            "assessment__cycle__questionnaire", "assessment__member_state", "submitted_by"),
        assessment_id=pk, number=number)


def get_versions_for_user(user, pk):
    """The submitted versions of an assessment the user may see, oldest first; 404 when there is none."""
    versions = list(AssessmentVersion.objects.visible_to(user).filter(assessment_id=pk)
                    .select_related("assessment__member_state", "assessment__cycle").defer("snapshot")
                    .order_by("number"))
    if not versions:
        raise Http404
    return versions


def get_submitted_for_review(user, pk):
    """An assessment a reviewer acts on (ask, send, return, accept): it must be awaiting review, else 403."""
    if not access.may_review(user):
        raise Http404
    assessment = get_assessment_for_user(user, pk)
    # Reviewing reads the latest version: an admin who sees the assessment (its draft's rule) but is not named on
    # its TLP:RED version gets 404, as for the version itself.
    latest = assessment.versions.order_by("-number").values("number")[:1]
    if not AssessmentVersion.objects.visible_to(user).filter(assessment=assessment, number=Subquery(latest)).exists():
        raise Http404
    if not assessment.is_submitted:
        raise PermissionDenied
    return assessment


def get_attachment_for_user(user, pk, attachment_pk):
    """A draft attachment for the draft's readers; one a submitted version cites for that version's readers too."""
    return get_object_or_404(Attachment.objects.visible_to(user).select_related("assessment"), pk=attachment_pk,
                             assessment_id=pk)


def get_draft_attachment_for_user(user, pk, attachment_pk, *, write=False):
    assessment = get_draft_for_user(user, pk, write=write)
    return get_object_or_404(Attachment.objects.in_draft(), pk=attachment_pk, assessment=assessment)


def get_supplier_row_for_user(user, pk, row_pk):
    assessment = get_draft_for_user(user, pk, write=True)
    return assessment, get_object_or_404(SupplierPresence, pk=row_pk, assessment=assessment, version__isnull=True)


def get_phase_out_for_user(user, pk, *, write=False):
    """The draft whose phase-out tracker the user reads (or, `write`, changes): 404 when its cycle keeps none."""
    assessment = get_draft_for_user(user, pk, write=write)
    if not assessment.cycle.questionnaire.asks_phase_out:
        raise Http404
    return assessment


def get_phase_out_entry_for_user(user, pk, entry_pk, *, write=False):
    """A row of the draft's tracker, with its draft."""
    assessment = get_phase_out_for_user(user, pk, write=write)
    return assessment, get_object_or_404(PhaseOutEntry.objects.select_related("supplier", "asset_class"),
                                         pk=entry_pk, assessment=assessment, version__isnull=True)


def get_point_for_user(user, pk, point_pk):
    return get_object_or_404(ClarificationPoint.objects.visible_to(user).select_related("assessment", "raised_by"),
                             pk=point_pk, assessment_id=pk)


def get_point_to_answer(user, pk, point_pk):
    """A sent, unresolved point that the member state's staff answer (403 for its other readers)."""
    point = get_point_for_user(user, pk, point_pk)
    if not (point.is_open and access.may_write_draft(user, point.assessment.member_state_id)):
        raise PermissionDenied
    return point


def get_point_to_review(user, pk, point_pk):
    """A point a reviewer resolves or withdraws."""
    if not access.may_review(user):
        raise Http404
    return get_point_for_user(user, pk, point_pk)


def get_activity_for_user(user, pk):
    """An assessment whose audit trail the user may read: its lead reporters, reviewers (once they see it), admins."""
    assessment = get_assessment_for_user(user, pk)
    if not access.may_read(user, access.Data.ACTIVITY, assessment.member_state_id):
        raise Http404
    return assessment
