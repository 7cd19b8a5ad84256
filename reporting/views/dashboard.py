"""Completeness and timeliness of a cycle's national submissions, now or as of a past day."""

import datetime

from django.shortcuts import render
from django.utils import timezone

from portal import access
from portal.deadlines import Deadline
from reporting.access import get_cycle_for_user
from reporting.forms import AsOfForm
from reporting.method import method_note
from reporting.timeliness import dashboard as build_dashboard


@access.reviewer
def dashboard(request, cycle_pk):
    """Rendered by each request: a submission, an extension or a deadline passing shows on the next one."""
    cycle = get_cycle_for_user(request.user, cycle_pk)
    form = AsOfForm(request.GET or None)
    at = timezone.now()
    if form.is_valid() and form.cleaned_data["as_of"]:
        # "As of 19 July" is the end of that day in Brussels: the same rule as a deadline of 19 July.
        end_of_day = Deadline(form.cleaned_data["as_of"]).ends_at - datetime.timedelta(microseconds=1)
        at = min(at, end_of_day)
    return render(request, "reporting/dashboard.html", {
        "cycle": cycle, "report": build_dashboard(cycle, at=at), "form": form, "method": method_note()})
