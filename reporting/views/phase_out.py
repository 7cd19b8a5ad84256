"""The reviewers' EU view of the phase-out tracker, as of a day, and the same as CSV."""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from portal import access
from portal.downloads import send_file
from portal.markings import Marking, marking_of
from reporting.access import get_cycle_for_user
from reporting.exports.content import csv_lines
from reporting.forms import AsOfForm
from reporting.phase_out import STATUSES, overview_rows, phase_out_overview


def _overview(request, cycle_pk):
    cycle = get_cycle_for_user(request.user, cycle_pk)
    form = AsOfForm(request.GET or None)
    return cycle, form, phase_out_overview(cycle, at=form.instant())


@access.reviewer
def overview(request, cycle_pk):
    """Rendered by each request, like the timeliness dashboard: a submission or a deadline passing shows at once."""
    cycle, form, report = _overview(request, cycle_pk)
    return render(request, "reporting/phase_out.html", {"cycle": cycle, "form": form, "report": report,
                                                        "page_marking": marking_of([x.version for x in report.lines]),
                                                        "statuses": STATUSES,
                                                        "plan_due_months": settings.PHASE_OUT_PLAN_DUE_MONTHS})


@require_safe
@access.reviewer
def overview_csv(request, cycle_pk):
    cycle, _form, report = _overview(request, cycle_pk)
    day = timezone.localtime(report.as_of).date().isoformat()  # Brussels
    # The rows made now, inside the request's reading of member states' names (portal/lib/translated.py): a stream
    # runs after it, and would read each name on its own. One line per member state: small.
    rows = list(overview_rows(report))
    marking = marking_of([line.version for line in report.lines]) or Marking.CLEAR  # its versions; none withheld
    return send_file(request, csv_lines(rows, marking=marking), filename=f"phase-out-{cycle.pk}-{day}.csv",
                     content_type="text/csv; charset=utf-8", subject=cycle, what="phase-out overview",
                     marking=marking)
