"""The user's own settings: language, time zone, the private calendar feed, and personal API tokens."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import access, services
from portal.calendar_feed import calendar_for
from portal.forms import ApiTokenForm, PreferencesForm
from portal.languages import remember_language
from portal.models import ApiToken, User, new_calendar_token


@access.signed_in
def account(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        response = redirect("account")
        remember_language(request, response, user.language)
        messages.success(request, _("Your settings were saved."))
        return response
    return _account_page(request, form=form)


def _account_page(request, *, form=None, token_form=None, new_token=None, status=200):
    feed = request.build_absolute_uri(reverse("calendar_feed", args=[request.user.calendar_token]))
    return render(request, "portal/account.html", {
        "form": form or PreferencesForm(instance=request.user), "feed_url": feed,
        "token_form": token_form or ApiTokenForm(user=request.user, max_days=settings.API_TOKEN_MAX_DAYS),
        "tokens": ApiToken.objects.filter(user=request.user, revoked_at__isnull=True),
        "new_token": new_token, "api_url": request.build_absolute_uri("/api/v1/"),
    }, status=status)


@require_POST
@access.signed_in
def api_token_create(request):
    """The token is shown on this response only (never stored, never in a message that could be replayed)."""
    form = ApiTokenForm(request.POST, user=request.user, max_days=settings.API_TOKEN_MAX_DAYS)
    if not form.is_valid():
        return _account_page(request, token_form=form, status=400)
    row, token = services.api_token_issue(user=request.user, name=form.cleaned_data["name"],
                                          scope=form.cleaned_data["scope"], days=form.cleaned_data["days"])
    return _account_page(request, new_token={"row": row, "token": token})


@require_POST
@access.signed_in
def api_token_revoke(request, pk):
    if not services.api_token_revoke(user=request.user, pk=pk):
        raise Http404
    messages.success(request, _("Token revoked: it no longer works."))
    return redirect("account")


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
