"""Every file the portal hands out goes through `send_file()`: a safe name, no caching, a line in the audit trail
with the handling marking of what the file holds, so that a new download is audited, marking and all, by being
served at all."""

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from portal import audit, markings

FROM_SUBJECT = object()  # `marking` not given: the subject's own (portal/markings.py marking_of)


def send_file(request, content, *, filename, content_type, subject, what, member_state=None, assessment=None,
              marking=FROM_SUBJECT, **details):
    """`content` is bytes, text, an open file or an iterator of byte chunks (streamed as it is produced, never held
    whole); `what` says in a word what it is ("receipt", "attachment"...); `marking` the handling marking of what it
    holds (the strictest inside it), the subject's when not given, None for nothing marked."""
    if marking is FROM_SUBJECT:
        marking = markings.marking_of(subject)
    audit.record(audit.Event.DOWNLOADED, subject=subject, actor=request.user, member_state=member_state,
                 assessment=assessment, what=what, file=filename,
                 marking=markings.Marking(marking).value if marking else None, **details)
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
