from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assessments.models import NationalAssessment
from portal.deadlines import due_for, effective_deadlines
from portal.health import broker_is_embedded, broker_problem, database_problem
from portal.lib.access import admin_required, authority_staff_required, reviewer_required
from portal.models import Milestone, ReportingCycle
from reporting.models import CoordinatedReview


@login_required
def home(request):
    """Send each role to its own work."""
    user = request.user
    if user.is_portal_admin:
        return redirect("manage_home")
    if user.is_reviewer:
        return redirect("review_home")
    if user.is_authority_staff:
        return redirect("authority_home")
    return render(request, "portal/no_role.html", status=403)


@authority_staff_required
def authority_home(request):
    member_state = request.user.member_state
    cycles = list(
        ReportingCycle.objects.open()
        .covering(member_state)
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "due_time")))
    )
    drafts = {a.cycle_id: a for a in NationalAssessment.objects.filter(member_state=member_state, cycle__in=cycles)}
    extensions = effective_deadlines([m for cycle in cycles for m in cycle.milestones.all()])
    now = timezone.now()
    upcoming = []
    for cycle in cycles:
        cycle.assessment = drafts.get(cycle.pk)
        for milestone in cycle.milestones.all():
            if milestone.is_per_member_state:
                milestone.effective_due, milestone.extension = due_for(milestone, member_state, extensions)
                if milestone.effective_due >= now:
                    upcoming.append(milestone)
            else:
                milestone.effective_due, milestone.extension = milestone.due_at, None
    upcoming.sort(key=lambda m: m.effective_due)
    published = {}
    for review in CoordinatedReview.objects.published().filter(cycle__in=cycles).order_by("cycle", "-published_at"):
        published.setdefault(review.cycle_id, review)
    for cycle in cycles:
        cycle.published_review = published.get(cycle.pk)
    return render(request, "portal/authority_home.html", {
        "member_state": member_state, "cycles": cycles, "next_milestone": upcoming[0] if upcoming else None,
        "own_zone": ZoneInfo(request.user.time_zone),
    })


def _cycles_with_counts():
    return ReportingCycle.objects.annotate(
        member_state_count=Count("member_states", distinct=True), milestone_count=Count("milestones", distinct=True)
    )


@reviewer_required
def review_home(request):
    return render(request, "portal/review_home.html", {"cycles": _cycles_with_counts()})


@admin_required
def manage_home(request):
    return render(request, "portal/manage_home.html", {"cycles": _cycles_with_counts()})


@never_cache
@require_GET
def healthz(request):
    """200 when the database and the broker answer, 503 when either does not."""
    db, broker = database_problem(), broker_problem()
    body = {
        "database": "ok" if db is None else "unavailable",
        "broker": ("in-process" if broker_is_embedded() else "ok") if broker is None else "unavailable",
    }
    return JsonResponse(body, status=200 if db is None and broker is None else 503)
