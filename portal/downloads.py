"""Every file the portal hands out goes through `send_file()`: a safe name, no caching, a line in the audit trail."""

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from portal import audit


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
