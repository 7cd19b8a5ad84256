"""A review's exports through the API (/api/v1/): ask for the PDF or XLSX, follow it, download it; the rules of the
export pages (reporting/views/exports.py), through the same fetchers and jobs.

Asking finds or writes the export's row (reporting/exports/jobs.py: the same review, format, language and audience is
one file, made once) and hands a new one to the broker after commit. Who gets what is derived from who asks, never
from the request: a reviewer's export holds every table, a member state's staff get the aggregates of a published
review; an export's id is no key to anyone else's (reporting.access.get_export_for_user). A download is in the audit
trail (portal/downloads.send_file).
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from portal.api.errors import Problem, refusals
from portal.api.views import FileAPIView, PortalAPIView
from portal.markings import Marking
from reporting import tasks
from reporting.access import get_export_for_user, get_review_for_user
from reporting.api import examples
from reporting.exports import jobs as export_jobs
from reporting.exports.files import open_export, send_export
from reporting.models import CONTENT_TYPES, ExportFormat, ExportKind


class ExportRequestSerializer(serializers.Serializer):
    format = serializers.ChoiceField(ExportFormat.values)
    language = serializers.ChoiceField([code for code, _name in settings.LANGUAGES], required=False,
                                       help_text="The language of the file; the request's (Accept-Language) when "
                                                 "left out.")
    cap = serializers.ChoiceField(Marking.values, required=False, allow_blank=True,
                                  help_text="Reviewers: the most the file may carry (\"up to TLP:GREEN\"); member "
                                            "states whose versions are marked above it are left out, and the file "
                                            "names them. Ignored for staff, whose file holds the published "
                                            "aggregates.")


class ExportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(ExportKind.values)
    review = serializers.IntegerField(allow_null=True)
    cycle = serializers.IntegerField()
    format = serializers.ChoiceField(ExportFormat.values)
    language = serializers.CharField()
    audience = serializers.CharField(help_text="reviewer: every table; public: the aggregates only.")
    status = serializers.ChoiceField(["queued", "running", "done", "failed"])
    progress = serializers.CharField(allow_blank=True, help_text="What the job is doing, while it runs.")
    requested_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    size = serializers.IntegerField(allow_null=True)
    sha256 = serializers.CharField(allow_blank=True, help_text="Of the file, once it is made.")
    file = serializers.CharField(allow_null=True, help_text="Where to download it, once it is `done`.")
    cap = serializers.ChoiceField(Marking.values, allow_null=True, help_text="The ceiling asked, or null.")
    marking = serializers.ChoiceField(Marking.values, allow_null=True,
                                      help_text="The handling marking the file carries (FIRST TLP 2.0): the strictest "
                                                "of what it holds, at most the cap; null until it is made.")


def export_body(export):
    return {"id": export.pk, "kind": export.kind, "review": export.review_id, "cycle": export.cycle_id,
            "format": export.format, "language": export.language, "audience": export.audience,
            "status": export.status, "progress": export.progress, "requested_at": export.requested_at,
            "finished_at": export.finished_at, "size": export.size, "sha256": export.sha256,
            "file": reverse("api_export_file", args=[export.pk]) if export.is_done else None,
            "cap": export.cap or None, "marking": export.marking or None}


class ReviewExports(PortalAPIView):
    access = "signed in"  # then get_review_for_user, as the page: reviewers, and staff once it is published

    @extend_schema(request=ExportRequestSerializer,
                   responses={200: ExportSerializer, 201: ExportSerializer, **refusals(400, 403, 409)},
                   summary="Ask for a done review as PDF or XLSX: everything for reviewers, the aggregates for "
                           "staff",
                   description="201 with the new export (`queued`: read it again until it is `done`), or 200 with "
                               "the one asked before (made once). 409 `not_done` while the review is not built.",
                   examples=[examples.EXPORT_ASK, examples.EXPORT_QUEUED, examples.EXPORT_DONE, examples.NOT_DONE])
    def post(self, request, pk):
        review = get_review_for_user(request.user, pk)
        data = ExportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not review.is_done:
            raise Problem(409, "not_done", _("Only a finished review can be exported."))
        export, created = export_jobs.export_review_request(
            review=review, fmt=data.validated_data["format"], user=request.user,
            language=data.validated_data.get("language") or request.LANGUAGE_CODE,
            cap=data.validated_data.get("cap") or "")
        if created:
            tasks.enqueue_export_on_commit(export.pk)
        return Response(export_body(export), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class Export(PortalAPIView):
    access = "signed in"  # then get_export_for_user

    @extend_schema(responses={200: ExportSerializer, **refusals()}, operation_id="reporting_export_retrieve",
                   summary="An export you asked for (or one made for your audience): its state, then its file",
                   examples=[examples.EXPORT_DONE])
    def get(self, request, pk):
        return Response(export_body(get_export_for_user(request.user, pk)))


class ExportFile(FileAPIView):
    access = "signed in"  # then get_export_for_user, as the page's download

    @extend_schema(
        responses={**{(200, media): OpenApiResponse(OpenApiTypes.BINARY, description="The export's file.")
                      for media in sorted(CONTENT_TYPES.values())}, **refusals(409)},
        operation_id="reporting_export_file",
        summary="Download a done export (in the audit trail); 409 `not_ready` until it is made")
    def get(self, request, pk):
        export = get_export_for_user(request.user, pk)
        if not export.is_done:
            raise Problem(409, "not_ready", _("The export is not made yet; read it again in a moment."),
                          export=export_body(export))
        handle = open_export(export)
        if handle is None:  # gone, and being made again (reporting/exports/files.py)
            export.refresh_from_db()
            raise Problem(409, "not_ready", _("The export's file is being made again; read it again in a moment."),
                          export=export_body(export))
        return send_export(request, export, handle)
