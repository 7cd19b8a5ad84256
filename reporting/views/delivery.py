"""The delivery status of a cycle (reporting/delivery.py): every member state's line for reviewers and admins, its own
line for a member state's staff."""

from django.shortcuts import render

from portal import access
from reporting.access import get_cycle_for_user
from reporting.delivery import delivery_status


@access.signed_in
def delivery(request, cycle_pk):
    cycle = get_cycle_for_user(request.user, cycle_pk)
    return render(request, "reporting/delivery.html", {
        "cycle": cycle, "status": delivery_status(cycle, request.user), "may_review": access.may_review(request.user)})
