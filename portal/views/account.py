"""The user's own settings: language, time zone, and the private calendar feed."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import access
from portal.calendar_feed import calendar_for
from portal.forms import PreferencesForm
from portal.languages import remember_language
from portal.models import User, new_calendar_token


@access.signed_in
def account(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        response = redirect("account")
        remember_language(request, response, user.language)
        messages.success(request, _("Your settings were saved."))
        return response
    feed = request.build_absolute_uri(reverse("calendar_feed", args=[request.user.calendar_token]))
    return render(request, "portal/account.html", {"form": form, "feed_url": feed})


@require_POST
@access.signed_in
def calendar_reset(request):
    User.objects.filter(pk=request.user.pk).update(calendar_token=new_calendar_token())
    messages.success(request, _("A new calendar address was made; the old one no longer works."))
    return redirect("account")


def calendar_feed(request, token):
    """No login (calendar clients cannot log in): the secret token is the credential."""
    user = User.objects.filter(calendar_token=token, is_active=True).select_related("authority__member_state").first()
    if user is None:
        raise Http404
    response = HttpResponse(calendar_for(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="5g-deadlines.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


calendar_feed = access.public(calendar_feed, why="calendar clients cannot sign in; the secret token is the key")


@access.signed_in
def second_factor_required(request):
    """Where a user whose role needs a second factor lands until they have one: the ways to add one."""
    return render(request, "portal/second_factor_required.html")


@require_POST
@access.signed_in
def ping(request):
    """"Stay signed in": any request resets the idle timer; this one does only that."""
    return HttpResponse(status=204)
