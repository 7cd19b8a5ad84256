"""One attachment through the API (/api/v1/): read it, download it, take it out of the draft; the rules of the
attachments page (assessments/views/attachments.py), through its fetchers and services.

A download is served by portal/downloads.send_file, as on the page: always as a download, under the name and type
detected at upload, a line in the audit trail. Removal is for the draft's writers while it is editable: once
submitted (or accepted, or its cycle closed for the member state) the draft is locked, 403 `locked`; the file stays,
a submitted version may cite it.
"""

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from assessments import services
from assessments.access import get_attachment_for_user, get_draft_attachment_for_user, get_draft_for_user
from assessments.api import examples
from assessments.api.drafts import attachment_body, locked
from assessments.api.schema import AttachmentSerializer, refusals
from assessments.files import documents
from assessments.views.attachments import send_attachment
from portal.api.views import FileAPIView, PortalAPIView

FILE_TYPES = sorted(documents.BY_CONTENT_TYPE) + ["application/octet-stream"]


class Attachment(PortalAPIView):
    access = "signed in"  # then the page's fetchers: the draft's readers, a citing version's readers; its writers

    @extend_schema(responses={200: AttachmentSerializer, **refusals()}, operation_id="assessments_attachment_retrieve",
                   summary="One attachment: its name, type, size and SHA-256",
                   description="The draft's readers, and the readers of a submitted version that cites it "
                               "(reviewers too).",
                   examples=[examples.ATTACHMENT])
    def get(self, request, pk, attachment_pk):
        attachment = get_attachment_for_user(request.user, pk, attachment_pk)
        return Response(attachment_body(attachment))

    @extend_schema(responses={204: None, **refusals(403)}, operation_id="assessments_attachment_destroy",
                   summary="Take an attachment out of the draft (the draft's writers, while it is editable)",
                   description="403 `locked` once the draft is submitted, accepted or its cycle closed for your "
                               "member state, as on the page; the versions that cite the file keep it.")
    def delete(self, request, pk, attachment_pk):
        try:
            attachment = get_draft_attachment_for_user(request.user, pk, attachment_pk, write=True)
        except PermissionDenied:
            get_draft_attachment_for_user(request.user, pk, attachment_pk)  # 404 when it is not in the draft
            raise (locked() if not get_draft_for_user(request.user, pk).is_editable else PermissionDenied) from None
        try:
            services.attachment_remove(attachment=attachment)
        except services.AssessmentLocked:
            raise locked() from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class AttachmentFile(FileAPIView):
    access = "signed in"  # then get_attachment_for_user, as the page's download

    @extend_schema(
        responses={**{(200, media): OpenApiResponse(OpenApiTypes.BINARY, description="The file, as attached.")
                      for media in FILE_TYPES}, **refusals()},
        operation_id="assessments_attachment_file", summary="Download an attachment (in the audit trail)")
    def get(self, request, pk, attachment_pk):
        return send_attachment(request, get_attachment_for_user(request.user, pk, attachment_pk))
