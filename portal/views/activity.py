"""The audit trail, read: the Activity page and lockouts for admins; an assessment's own activity list."""

import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import access, accounts, audit, audit_words, throttling
from portal.deadlines import BRUSSELS
from portal.forms import ActivityFilterForm, UnlockForm
from portal.models import SignInEpisode


def start_of(day):
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=BRUSSELS)


@access.admin
def activity(request):
    """Who did what, when, from where: filtered by user, member state, kind of action and dates."""
    form = ActivityFilterForm(request.GET or None, families=audit.Family.choices)
    entries = audit.entries()
    if form.is_valid():
        data = form.cleaned_data
        if data["user"]:
            entries = entries.filter(Q(actor__username__icontains=data["user"]) | Q(
                content_type__app_label="portal", content_type__model="user", object_repr__icontains=data["user"]))
        if data["member_state"]:
            entries = entries.filter(audit.for_member_state(data["member_state"].eu_code))
        if data["action"]:
            entries = entries.filter(audit.family_filter(data["action"]))
        if data["since"]:
            entries = entries.filter(timestamp__gte=start_of(data["since"]))
        if data["until"]:
            entries = entries.filter(timestamp__lt=start_of(data["until"] + datetime.timedelta(days=1)))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/activity.html", {
        "form": form, "page": audit_words.page_of(entries, request.GET.get("page")), "query": query.urlencode(),
        "show_addresses": True}, status=400 if form.errors else 200)


@access.admin
def lockouts(request):
    """Sign-in failures still counting towards a lockout, the user names and addresses slowed down, and the form
    that lifts them."""
    now = timezone.now()
    attempts = AccessAttempt.objects.filter(attempt_time__gte=now - throttling.cooloff()).order_by("-attempt_time")
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username, address = form.cleaned_data["username"], form.cleaned_data["ip_address"]
        lifted = accounts.unlock(username=username, ip_address=address)
        audit.record(audit.Event.UNLOCKED, subject=None, subject_repr=username or address, actor=request.user,
                     address=address, lifted=lifted)
        messages.success(request, _("Unlocked: %(who)s. They can try again now.") % {
            "who": ", ".join(part for part in (username, address) if part)})
        return redirect("lockouts")
    return render(request, "portal/lockouts.html", {
        "attempts": attempts, "limit": settings.AXES_FAILURE_LIMIT, "form": form,
        "cooloff": throttling.cooloff(), "slowed": SignInEpisode.objects.slowed(now).order_by("-last_failed_at"),
        "spray_names": settings.SIGN_IN_SPRAY_NAMES, "slowdown_after": settings.SIGN_IN_SLOWDOWN_AFTER},
        status=400 if form.errors else 200)
