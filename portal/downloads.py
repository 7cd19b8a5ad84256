"""Every file the portal hands out goes through `send_file()`: a safe name, no caching, a line in the audit trail."""

import logging

from django.http import FileResponse, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from portal import audit
from portal.api.errors import PROBLEM_TYPE, TITLES
from portal.lib.storage import StorageUnavailable

log = logging.getLogger(__name__)


def send_file(request, content, *, filename, content_type, subject, what, member_state=None, assessment=None,
              **details):
    """`content` is bytes, text, an open file or an iterator of byte chunks (streamed as it is produced, never held
    whole); `what` says in a word what it is ("receipt", "attachment"...)."""
    audit.record(audit.Event.DOWNLOADED, subject=subject, actor=request.user, member_state=member_state,
                 assessment=assessment, what=what, file=filename, **details)
    if hasattr(content, "read"):
        response = FileResponse(content, content_type=content_type)
    elif isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"  # the browser may not second-guess the type...
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"  # ...nor run it as a page
    response["Cache-Control"] = "no-store"
    return response


class StorageOutageMiddleware:
    """A file storage that does not answer (portal/lib/storage.py: StorageUnavailable) answers 503 with a clear
    message, on any page and in the API, never a 500. Uploads catch it themselves to keep the form on screen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StorageUnavailable):
            return None
        log.warning("file storage unavailable for %s: %s", request.path, exception)
        message = _("The portal's file storage did not answer. Nothing was changed; please try again in a few "
                    "minutes, and tell an admin if it lasts.")
        if request.path.startswith("/api/"):  # the API's refusals are problem+json (portal/api/errors.py)
            return JsonResponse({"type": PROBLEM_TYPE + "unavailable", "title": str(TITLES.get(503, _("Error"))),
                                 "status": 503, "detail": message}, status=503, content_type="application/problem+json")
        return render(request, "error.html", {"title": _("Files are unavailable for a moment"),
                                              "explanation": message}, status=503)
