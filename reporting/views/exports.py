"""Exports as background jobs: asking answers at once with a progress page, which offers the file when it is ready.

Asking (POST) writes or finds the export's row and hands a new one to the broker after commit; an export already
made is answered with its file. Every page fetches the export through reporting.access.get_export_for_user, which
derives the audience from who asks: an export's pk is no key to it.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assessments.models import Section
from portal import access
from reporting import tasks
from reporting.access import get_cycle_for_user, get_export_for_user, get_review_for_user
from reporting.exports import jobs as export_jobs
from reporting.exports.files import open_export, send_export
from reporting.forms import CapForm, CompareForm
from reporting.models import ExportFormat

# The progress page polls its status this often while the export is queued or running.
POLL_SECONDS = 2


def _answer(export, created):
    if created:
        tasks.enqueue_export_on_commit(export.pk)
    if export.is_done:
        return redirect("reporting:export_file", pk=export.pk)
    return redirect("reporting:export", pk=export.pk)


@require_POST
@access.signed_in
def review_export(request, pk, fmt):
    """The review's PDF or XLSX: everything for reviewers, the aggregates for authority staff (a published review)."""
    review = get_review_for_user(request.user, pk)
    if not review.is_done or fmt not in ExportFormat.values:
        raise Http404
    cap = CapForm(request.POST)
    if not cap.is_valid():
        messages.error(request, _("Choose a marking to export up to: %(errors)s") % {
            "errors": " ".join(cap.errors["cap"])})
        return redirect("reporting:review", pk=pk)
    return _answer(*export_jobs.export_review_request(review=review, fmt=fmt, user=request.user,
                                                     language=request.LANGUAGE_CODE, cap=cap.cleaned_data["cap"]))


@require_POST
@access.reviewer
def comparison_export(request, cycle_pk):
    """The comparison the page shows, as XLSX or PDF: the same choices of the same population give the same file."""
    cycle = get_cycle_for_user(request.user, cycle_pk)
    form, cap = CompareForm(request.POST, cycle=cycle), CapForm(request.POST)
    fmt = request.POST.get("format")
    if fmt not in ExportFormat.values or not form.is_valid() or not cap.is_valid():
        messages.error(request, _("Choose two or more member states and a section, compare, then export."))
        return redirect("reporting:compare", cycle_pk=cycle.pk)
    return _answer(*export_jobs.export_comparison_request(
        cycle=cycle, member_states=form.cleaned_data["member_states"], section=Section(form.cleaned_data["section"]),
        previous=form.cleaned_data["previous"], differ=form.cleaned_data["differ"], fmt=fmt, user=request.user,
        language=request.LANGUAGE_CODE, cap=cap.cleaned_data["cap"]))


@access.signed_in
def export_detail(request, pk):
    export = get_export_for_user(request.user, pk)
    return render(request, "reporting/export.html", _context(export, oob=False, announce=True))


@access.signed_in
def export_status(request, pk):
    """Polled by the progress page (htmx). Nothing (204) while what it shows is still so; else the parts that changed.

    The page says which state and step it shows; only a change of state goes into its live region, so that a screen
    reader hears "queued", "being made" and "ready" once each, not every poll or every step.
    """
    export = get_export_for_user(request.user, pk)
    shown, step = request.GET.get("shown"), request.GET.get("step", "")
    if shown == export.status and step == export.progress:
        return HttpResponse(status=204)
    return render(request, "reporting/includes/export_status.html",
                  _context(export, oob=True, announce=shown != export.status))


def _context(export, *, oob, announce):
    return {"export": export, "oob": oob, "announce": announce, "poll_seconds": POLL_SECONDS}


@require_safe
@access.signed_in
def export_file(request, pk):
    export = get_export_for_user(request.user, pk)
    if not export.is_done:
        return redirect("reporting:export", pk=pk)
    handle = open_export(export)
    if handle is None:  # gone, and being made again: the progress page shows it
        return redirect("reporting:export", pk=pk)
    return send_export(request, export, handle)


@require_POST
@access.signed_in
def export_retry(request, pk):
    export = get_export_for_user(request.user, pk)
    if export_jobs.export_retry(export=export):
        tasks.enqueue_export_on_commit(export.pk)
        messages.info(request, _("The export was queued again."))
    return redirect("reporting:export", pk=pk)
