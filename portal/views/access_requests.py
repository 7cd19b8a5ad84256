"""Access requests: a person EU Login knows asks for a role; admins and the authority's lead reporter decide.

Who may see and decide which request is portal/access.py's (`access_deciders`, `AccessRequest.objects.decidable_by`).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import access, services
from portal.eulogin.provisioning import unknown_identity
from portal.forms import AccessDecisionForm, AccessRequestForm
from portal.models import AccessRequest


def _access_request_new(request):
    """The page after a refused EU Login sign-in of someone unknown: who gives access, and a form to ask for it."""
    identity = unknown_identity(request)
    if identity is None:  # nobody EU Login told us about in this session: nothing to ask for
        raise Http404
    pending = AccessRequest.objects.pending().filter(subject=identity["sub"]).select_related("authority").first()
    form = AccessRequestForm(request.POST or None) if identity["email"] and pending is None else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.access_request_make(identity=identity, **form.cleaned_data)
        except services.AlreadyPending:
            pass  # asked from another tab a moment ago: the page below says it waits
        return redirect("access_request_new")
    return render(request, "account/eulogin_no_access.html",
                  {"identity": identity, "pending": pending, "form": form},
                  status=400 if form is not None and form.errors else 200)


access_request_new = access.public(_access_request_new, why="who asks is the EU Login sign-in kept in the session")


def decision_form(access_request, data=None):
    """One form a request: ids of its own, so that a page of several still has each label on its one field."""
    return AccessDecisionForm(data, auto_id=f"id_%s_{access_request.pk}")


@access.access_deciders
def access_requests(request):
    """The pending requests the user may decide, in a fixed number of queries whatever their number."""
    return _list_page(request)


def _list_page(request, *, invalid=None, status=200):
    pending = (AccessRequest.objects.pending().decidable_by(request.user)
               .select_related("authority__member_state").order_by("created_at", "pk"))
    rows = [(row, invalid[1] if invalid and invalid[0] == row.pk else decision_form(row)) for row in pending]
    return render(request, "portal/access_requests.html", {"rows": rows}, status=status)


@require_POST
@access.access_deciders
def access_request_decide(request, pk):
    access_request = get_object_or_404(AccessRequest.objects.decidable_by(request.user)
                                       .select_related("authority__member_state"), pk=pk)
    form = decision_form(access_request, request.POST)
    if not form.is_valid():
        if "decision" in form.errors:
            messages.error(request, _("Nothing was decided: choose Approve or Refuse beside the request."))
        return _list_page(request, invalid=(access_request.pk, form), status=400)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.access_request_decide(access_request=access_request, by=request.user, approve=approve,
                                       refusal_reason=form.cleaned_data["refusal_reason"].strip())
    except services.AlreadyDecided:
        messages.error(request, _("This request was already decided; nothing was changed."))
        return redirect("access_requests")
    except services.EmailTaken:
        messages.error(request, _("An account with the e-mail address %(email)s exists already: an admin can link "
                                  "it, or refuse this request.") % {"email": access_request.email})
        return redirect("access_requests")
    words = _("%(name)s can now sign in with EU Login as %(role)s of %(authority)s.") if approve else _(
        "The request of %(name)s was refused; they are told why.")
    messages.success(request, words % {"name": access_request.name or access_request.email,
                                       "role": access_request.get_role_display(),
                                       "authority": access_request.authority.name})
    return redirect("access_requests")
