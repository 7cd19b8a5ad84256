"""Trends across cycles (reporting/trends.py): the reviewers' page, its CSV, and its XLSX made as an export job."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal import access
from portal.downloads import send_file
from reporting.exports import jobs as export_jobs
from reporting.exports.content import csv_lines
from reporting.forms import TrendForm
from reporting.models import ExportFormat
from reporting.trends import trend, trend_note, trend_rows
from reporting.views.exports import _answer


def _trend(data):
    """(form, Trend or None): a trend only for a valid choice; bad input gets its message beside the field."""
    form = TrendForm(data or None)
    if not form.is_valid():
        return form, None
    return form, trend(form.chosen(), title=form.title())


@access.reviewer
def trends(request):
    form, result = _trend(request.GET)
    return render(request, "reporting/trends.html", {
        "form": form, "trend": result, "note": trend_note(), "page_marking": result.marking if result else None,
        "query": urlencode({"subject": form.cleaned_data["subject"], "segment": form.cleaned_data.get("segment", "")})
        if result else ""})


@require_safe
@access.reviewer
def trends_csv(request):
    form, result = _trend(request.GET)
    if result is None:
        return redirect(f"{reverse('reporting:trends')}?{request.GET.urlencode()}")
    # The rows made now, inside the request's reading of the catalogue's and member states' names.
    rows = [[f"# {result.title}"], [f"# {trend_note()}"], [], *trend_rows(result)]
    subject = result.subject
    name = "-".join(part for part in ("trend", subject.kind, subject.key, subject.segment) if part)
    return send_file(request, csv_lines(rows, marking=result.marking), filename=f"{name}.csv".replace(" ", "-"),
                     content_type="text/csv; charset=utf-8", subject=None, subject_repr=result.title,
                     what="trend across cycles", marking=result.marking)


@require_POST
@access.reviewer
def trends_export(request):
    """The trend the page shows, as XLSX: the same subject over the same publications gives the same file."""
    form, result = _trend(request.POST)
    if result is None or not result.columns or request.POST.get("format") != ExportFormat.XLSX:
        messages.error(request, _("Choose what to follow, among cycles with a published review, then export."))
        return redirect("reporting:trends")
    return _answer(*export_jobs.export_trend_request(
        subject=result.subject, title=result.title, cycle=result.columns[-1].cycle,
        publications=[column.publication for column in result.columns], fmt=ExportFormat.XLSX, user=request.user,
        language=request.LANGUAGE_CODE))
