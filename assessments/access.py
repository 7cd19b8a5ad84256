"""Every fetch of an assessment or a version goes through here.

A user who may not see an object gets 404, never a hint that it exists; one
who may see it but not change it gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.models import AssessmentVersion, NationalAssessment, Status


def get_assessment_for_user(user, pk):
    return get_object_or_404(
        NationalAssessment.objects.visible_to(user).select_related("cycle__questionnaire", "member_state"), pk=pk
    )


def get_draft_for_user(user, pk, *, write=False):
    """The working draft: its member state's staff, and admins (who may read it). Reviewers never see a draft."""
    assessment = get_assessment_for_user(user, pk)
    own = user.is_authority_staff and user.member_state_id == assessment.member_state_id
    if not (own or user.is_portal_admin):
        raise Http404
    if write and not assessment.is_editable_by(user):
        raise PermissionDenied
    return assessment


def get_version_for_user(user, pk, number):
    assessment = get_assessment_for_user(user, pk)
    return get_object_or_404(
        AssessmentVersion.objects.select_related("assessment__cycle", "assessment__member_state", "submitted_by"),
        assessment=assessment, number=number,
    )



def get_submitted_for_review(user, pk):
    """An assessment a reviewer acts on (ask, send, return, accept): it must be awaiting review, else 403."""
    assessment = get_assessment_for_user(user, pk)
    if assessment.status != Status.SUBMITTED:
        raise PermissionDenied
    return assessment
