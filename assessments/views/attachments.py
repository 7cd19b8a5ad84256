from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import services
from assessments.access import get_assessment_for_user, get_draft_for_user
from assessments.forms import AttachmentForm
from assessments.models import Attachment


@login_required
def attachments(request, pk):
    assessment = get_draft_for_user(request.user, pk)
    form = AttachmentForm()
    if request.method == "POST":
        if not assessment.is_editable_by(request.user):
            raise PermissionDenied
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            attachment = services.attachment_add(assessment=assessment, upload=form.cleaned_data["file"],
                                                 user=request.user)
            messages.success(request, _("“%(name)s” attached.") % {"name": attachment.name})
            return redirect("assessments:attachments", pk=pk)
    return render(request, "assessments/attachments.html", {
        "assessment": assessment, "form": form, "editable": assessment.is_editable_by(request.user),
        "attachments": assessment.attachments.filter(removed_at__isnull=True).select_related("uploaded_by"),
    }, status=400 if form.errors else 200)


@login_required
def attachment_download(request, pk, attachment_pk):
    """Files are only ever served through here: the assessment's access rules apply.

    Reviewers may download only what a submitted version cites (by checksum).
    """
    assessment = get_assessment_for_user(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, assessment=assessment)
    own = request.user.is_authority_staff and request.user.member_state_id == assessment.member_state_id
    if not (own or request.user.is_portal_admin or _cited_in_versions(assessment, attachment)):
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name,
                        content_type=attachment.content_type)


def _cited_in_versions(assessment, attachment):
    return any(a["sha256"] == attachment.sha256 for v in assessment.versions.only("snapshot")
               for a in v.snapshot.get("attachments", []))


@require_POST
@login_required
def attachment_remove(request, pk, attachment_pk):
    assessment = get_draft_for_user(request.user, pk, write=True)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, assessment=assessment, removed_at__isnull=True)
    services.attachment_remove(attachment=attachment)
    messages.success(request, _("“%(name)s” removed from the draft.") % {"name": attachment.name})
    return redirect("assessments:attachments", pk=pk)
