"""A lead reporter manages the reporters of its own authority."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import access, services
from portal.forms import ReporterForm
from portal.models import User


@access.lead_reporter
def team(request):
    authority = request.user.authority
    form = ReporterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.reporter_add(authority=authority, by=request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s added as a reporter, with the user name %(username)s; an email with a "
                                    "link to set a password was sent.") % {"name": user.display_name,
                                                                           "username": user.username})
        return redirect("team")
    return _team_page(request, form, status=400 if form.errors else 200)


def _team_page(request, form, status=200):
    authority = request.user.authority
    staff = (User.objects.visible_to(request.user).select_related("deactivated_by")
             .prefetch_related("groups", "deactivated_by__groups").order_by("last_name", "username"))
    return render(request, "portal/team.html", {"authority": authority, "staff": staff, "form": form},
                  status=status)


@require_POST
@access.lead_reporter
def reporter_active(request, pk):
    """Deactivate or reactivate a reporter of one's own authority, unless an admin deactivated them (access.py)."""
    user = get_object_or_404(User.objects.visible_to(request.user).select_related("deactivated_by"), pk=pk)
    if not access.may_set_active(request.user, user):
        raise PermissionDenied
    if request.POST.get("active") not in ("0", "1"):  # say which: nothing is decided by a field left out
        messages.error(request, _("Nothing was changed: choose Deactivate or Reactivate beside the person."))
        return _team_page(request, ReporterForm(), status=400)
    active = request.POST["active"] == "1"
    services.account_set_active(user=user, active=active, by=request.user)
    messages.success(request, (_("%(name)s can sign in again.") if active else _("%(name)s can no longer sign in."))
                     % {"name": user.display_name})
    return redirect("team")
