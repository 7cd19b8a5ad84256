"""Completeness and timeliness of a cycle's national submissions, now or as of a past day."""

from django.shortcuts import render

from portal import access
from reporting import publishing
from reporting.access import get_cycle_for_user
from reporting.forms import AsOfForm
from reporting.method import method_note
from reporting.tables import legislation_headline
from reporting.timeliness import dashboard as build_dashboard
from reporting.timeliness import rows


@access.reviewer
def dashboard(request, cycle_pk):
    """Rendered by each request: a submission, an extension or a deadline passing shows on the next one."""
    cycle = get_cycle_for_user(request.user, cycle_pk)
    form = AsOfForm(request.GET or None)
    at = form.instant()
    report = build_dashboard(cycle, at=at)
    return render(request, "reporting/dashboard.html", {
        "cycle": cycle, "report": report, "rows": rows(report.members), "form": form, "method": method_note(),
        # What the review published for the cycle counts of the questions of the 2023 progress report, if it asks them.
        "headline": legislation_headline(publishing.current_legislation(cycle), public=False)})
