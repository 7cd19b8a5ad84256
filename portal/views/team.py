"""A lead reporter manages the reporters of its own authority."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import access, services
from portal.forms import ReporterForm
from portal.models import Role, User


@access.lead_reporter
def team(request):
    authority = request.user.authority
    form = ReporterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.reporter_add(authority=authority, by=request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s added as a reporter; an email with a link to set a password was sent.")
                         % {"name": user.display_name})
        return redirect("team")
    staff = User.objects.visible_to(request.user).prefetch_related("groups").order_by("last_name", "username")
    return render(request, "portal/team.html", {"authority": authority, "staff": staff, "form": form},
                  status=400 if form.errors else 200)


@require_POST
@access.lead_reporter
def reporter_active(request, pk):
    """Deactivate or reactivate a reporter of one's own authority (never a lead reporter, never oneself)."""
    user = get_object_or_404(User.objects.visible_to(request.user).filter(groups__name=Role.REPORTER)
                             .exclude(groups__name=Role.LEAD_REPORTER).exclude(pk=request.user.pk), pk=pk)
    active = request.POST.get("active") == "1"
    services.reporter_set_active(user=user, active=active)
    messages.success(request, (_("%(name)s can sign in again.") if active else _("%(name)s can no longer sign in."))
                     % {"name": user.display_name})
    return redirect("team")
