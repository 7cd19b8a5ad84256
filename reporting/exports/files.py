"""An export's file as its reader gets it, for the download page and the API alike (reporting/views/exports.py,
reporting/api/exports.py): opened from storage, or made again when it is gone; sent with the audit trail's record of
what it holds."""

from portal.downloads import send_file
from reporting import tasks
from reporting.exports import jobs as export_jobs
from reporting.models import ExportKind


def open_export(export):
    """The done export's stored file, opened; None when it is gone (a disk replaced, EXPORT_ROOT emptied), in which
    case it is made again: the row says what to make."""
    try:
        return export.file.open("rb")
    except FileNotFoundError:
        if export_jobs.export_lost(export=export):
            tasks.enqueue_export_on_commit(export.pk)
        return None


def send_export(request, export, handle):
    """The download response; the trail records the review, or the cycle and member states compared, or the trend's
    cycle, with the file's marking."""
    common = {"filename": export.filename, "content_type": export.content_type, "export": export.pk,
              "marking": export.marking or None}
    if export.kind == ExportKind.REVIEW:
        return send_file(request, handle, subject=export.review, what="review export", **common)
    if export.kind == ExportKind.TREND:
        return send_file(request, handle, subject=export.cycle, what="trend across cycles", **common)
    return send_file(request, handle, subject=export.cycle, what="comparison",
                     codes=",".join(export.parameters.get("member_states", [])), **common)
