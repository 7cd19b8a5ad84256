"""An assessment's own audit trail: who submitted, returned, accepted it, who downloaded its documents."""

from django.shortcuts import render

from assessments.access import get_activity_for_user
from portal import access, audit, audit_words


@access.signed_in
def activity(request, pk):
    assessment = get_activity_for_user(request.user, pk)
    return render(request, "assessments/activity.html", {
        "assessment": assessment, "page": audit_words.page_of(
            audit.entries().filter(audit.for_assessment(assessment)), request.GET.get("page")),
        "show_addresses": access.may_see_addresses(request.user)})
