"""Attachments of the draft; downloads of any attachment the user may see."""

import logging

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import services
from assessments.access import get_attachment_for_user, get_draft_attachment_for_user, get_draft_for_user
from assessments.files import documents
from assessments.forms import AttachmentForm
from assessments.models import Attachment
from portal import access
from portal.downloads import send_file
from portal.markings import strictest

log = logging.getLogger(__name__)


@access.signed_in
def attachments(request, pk):
    assessment = get_draft_for_user(request.user, pk, write=request.method == "POST")
    form = AttachmentForm(request.POST or None, request.FILES or None, assessment=assessment)
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            attachment = services.attachment_add(assessment=assessment, upload=upload, user=request.user,
                                                 marking=form.cleaned_data["marking"])
        except services.MarkingRefused as refused:  # the draft's marking was raised since the page was read
            form.add_error(refused.field, refused.message)
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
    if form.has_error("file", "scanner_unavailable"):
        status = 503  # the portal's side failed, not the file: the same as a storage failure
    listed = list(Attachment.objects.filter(assessment=assessment).in_draft().select_related("uploaded_by",
                                                                                          "assessment"))
    return render(request, "assessments/attachments.html", {
        "assessment": assessment, "form": form, "editable": assessment.is_editable_by(request.user),
        # The strictest on the page: the draft's, or an attachment's stricter own.
        "page_marking": strictest(assessment.marking, *(a.carried_marking for a in listed)),
        "attachments": listed,
    }, status=status if status != 200 else 400 if form.errors else 200)


@access.signed_in
def attachment_download(request, pk, attachment_pk):
    """Files are only ever served through here, by the attachment access rule (portal/access.py).

    Always as a download, under a name ending in the extension of the kind detected at upload and with that content
    type, which the browser may not second-guess (nosniff) nor render as a page (the sandbox), whatever the file
    was called when it was attached.
    """
    return send_attachment(request, get_attachment_for_user(request.user, pk, attachment_pk))


def send_attachment(request, attachment):
    """The download of an attachment its reader may have (the page's and the API's), in the audit trail."""
    known = attachment.content_type in documents.BY_CONTENT_TYPE
    return send_file(request, attachment.file.open("rb"),
                     filename=documents.stored_name(attachment.name, attachment.content_type),
                     content_type=attachment.content_type if known else "application/octet-stream",
                     subject=attachment, what="attachment", assessment=attachment.assessment,
                     marking=attachment.carried_marking)


@require_POST
@access.signed_in
def attachment_remove(request, pk, attachment_pk):
    attachment = get_draft_attachment_for_user(request.user, pk, attachment_pk, write=True)
    services.attachment_remove(attachment=attachment)
    messages.success(request, _("“%(name)s” removed from the draft.") % {"name": attachment.name})
    return redirect("assessments:attachments", pk=pk)
