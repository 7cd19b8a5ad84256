"""Each role's home page, and the health check.

This module and the demo seed (portal/demo.py) are the composition points: the only places in `portal` that import
the apps built on it (assessments, reporting), to put their pieces on one page. Everything else in `portal`
depends on nothing above it.
"""

import logging
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assessments.models import NationalAssessment
from assessments.population import Timeliness, lateness
from portal import access
from portal.health import broker_is_embedded, problems
from portal.lib.storage import storage_is_local
from portal.models import (
    CycleCoverage,
    Milestone,
    Notification,
    Reopening,
    ReportingCycle,
    deadline_of,
    deadlines_in_force,
)
from reporting import publishing
from reporting.tables import legislation_headline

log = logging.getLogger(__name__)


@access.signed_in
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


@access.authority_staff
def authority_home(request):
    """The member state's cycles (open, or reopened for it), their deadlines, what is overdue. Fixed queries."""
    member_state, now = request.user.member_state, timezone.now()
    cycles = list(ReportingCycle.objects.current_for(member_state, now).prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "due_time"))))
    drafts = {a.cycle_id: a for a in NationalAssessment.objects.filter(member_state=member_state, cycle__in=cycles)}
    judged = lateness(cycles, [member_state.pk], at=now)
    extensions = deadlines_in_force([m for cycle in cycles for m in cycle.milestones.all()], now)
    reopenings = {r.cycle_id: r for r in Reopening.objects.in_force(now).filter(cycle__in=cycles,
                                                                               member_state=member_state)}
    # What the member state's staff read of each cycle it is asked by, open or closed, and what changed since.
    readable = ReportingCycle.objects.visible_to(request.user)
    published = publishing.current_publications(readable)
    for publication in published.values():  # the 2023 report's figures, as its review page shows them to the staff
        publication.headline = legislation_headline(publication.legislation, public=True)
    news = publishing.news_for(request.user, readable, published)
    upcoming, overdue = [], []
    for cycle in cycles:
        cycle.assessment = drafts.get(cycle.pk)
        cycle.reopening = reopenings.get(cycle.pk)
        cycle.publication = published.get(cycle.pk)
        for milestone in cycle.milestones.all():
            milestone.is_overdue = False
            milestone.effective, milestone.extension = (
                deadline_of(milestone, member_state.pk, extensions) if milestone.is_per_member_state
                else (milestone.deadline, None))
            if not milestone.is_per_member_state:
                continue
            if milestone.tracks_submission:
                standing = judged[cycle.pk, member_state.pk]
                milestone.is_overdue = standing.state == Timeliness.OVERDUE
                if milestone.is_overdue:
                    overdue.append(milestone)
                    continue
                if standing.first_submitted_at is not None:
                    continue  # met: no longer ahead
            if not milestone.effective.has_passed(now):
                upcoming.append(milestone)
    upcoming.sort(key=lambda m: m.effective.ends_at)
    return render(request, "portal/authority_home.html", {
        "member_state": member_state, "cycles": cycles, "next_milestone": upcoming[0] if upcoming else None,
        "overdue": overdue, "own_zone": ZoneInfo(request.user.time_zone), "news": news.values(),
        "published": sorted(published.values(), key=lambda p: (-p.cycle.year, p.cycle_id)),
    })


def _cycles_with_counts(user):
    """Each cycle with the number of member states it asks now (coverage in force) and of its milestones."""
    return ReportingCycle.objects.visible_to(user).annotate(
        member_state_count=Count("coverages", filter=Q(coverages__in=CycleCoverage.objects.in_force()),
                                 distinct=True),
        milestone_count=Count("milestones", distinct=True))


@access.reviewer
def review_home(request):
    return render(request, "portal/review_home.html", {"cycles": _cycles_with_counts(request.user)})


@access.admin
def manage_home(request):
    """The cycles, and any notification a crashed run left uncertain (assessments/reminders.py): admins decide."""
    return render(request, "portal/manage_home.html", {
        "cycles": _cycles_with_counts(request.user),
        "uncertain_notifications": Notification.objects.uncertain(timezone.now()).count()})


@never_cache
@require_GET
def healthz(request):
    """200 when every dependency (database, broker, file storage) answers, 503 when one does not; within two
    seconds (portal/health.py)."""
    found = problems()
    for name, problem in found.items():
        if problem:
            log.warning("healthz: the %s is unavailable: %s", name, problem)
    body = {name: "unavailable" if problem else "ok" for name, problem in found.items()}
    if body.get("broker") == "ok" and broker_is_embedded():
        body["broker"] = "in-process"
    if body.get("storage") == "ok" and storage_is_local():
        body["storage"] = "local"
    return JsonResponse(body, status=503 if any(found.values()) else 200)


healthz = access.public(healthz, why="load balancers and monitoring")


def not_offered(request, *args, **kwargs):
    raise Http404
