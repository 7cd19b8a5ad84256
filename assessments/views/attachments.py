"""Attachments of the draft; downloads of any attachment the user may see."""

import logging

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import services
from assessments.access import get_attachment_for_user, get_draft_attachment_for_user, get_draft_for_user
from assessments.forms import AttachmentForm
from assessments.models import Attachment
from portal import access

log = logging.getLogger(__name__)


@access.signed_in
def attachments(request, pk):
    assessment = get_draft_for_user(request.user, pk, write=request.method == "POST")
    form = AttachmentForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            attachment = services.attachment_add(assessment=assessment, upload=upload, user=request.user)
        except services.AlreadyAttached as already:
            form.add_error("file", _("This file is attached already, as “%(name)s”.")
                           % {"name": already.attachment.name})
        except OSError:
            log.exception("attachment of assessment %s could not be stored", assessment.pk)
            form.add_error("file", _("“%(name)s” could not be stored: the portal's storage refused it. Nothing was "
                                     "attached and no part of it was kept; please try again, and tell an admin if "
                                     "it happens again.") % {"name": upload.name})
            status = 503
        else:
            messages.success(request, _("“%(name)s” attached.") % {"name": attachment.name})
            return redirect("assessments:attachments", pk=pk)
    return render(request, "assessments/attachments.html", {
        "assessment": assessment, "form": form, "editable": assessment.is_editable_by(request.user),
        "attachments": Attachment.objects.filter(assessment=assessment).in_draft().select_related("uploaded_by"),
    }, status=status if status != 200 else 400 if form.errors else 200)


@access.signed_in
def attachment_download(request, pk, attachment_pk):
    """Files are only ever served through here, by the attachment access rule (portal/access.py)."""
    attachment = get_attachment_for_user(request.user, pk, attachment_pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name,
                        content_type=attachment.content_type)


@require_POST
@access.signed_in
def attachment_remove(request, pk, attachment_pk):
    attachment = get_draft_attachment_for_user(request.user, pk, attachment_pk, write=True)
    services.attachment_remove(attachment=attachment)
    messages.success(request, _("“%(name)s” removed from the draft.") % {"name": attachment.name})
    return redirect("assessments:attachments", pk=pk)
