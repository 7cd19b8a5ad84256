"""Sign-in, password links and lockout, through django-allauth and django-axes (see docs/security.md).

- Nobody signs up: accounts are made by admins and lead reporters.
- The same answer for a known and an unknown user name, on sign-in and on password reset.
- Password links (reset, and the welcome link of a new reporter) point at SITE_URL, never at whatever Host a
  request claimed, and die when used, when the password or email changes, or when the account is deactivated.
- Failed sign-ins and second-factor codes count per (user name, address) pair; a name failing from many addresses,
  or an address failing for many names, is slowed down, never locked (portal/throttling.py). The page says why and
  how long to wait; an admin can lift it sooner (`unlock`).
"""

from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from portal import services, throttling
from portal.eulogin.client import logout_url
from portal.lib.durations import wait_in_words


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Accounts are made by admins and lead reporters, never by the people themselves."""
        return False

    def get_login_stages(self):
        """allauth's, with its second-factor step skipped after an EU Login sign-in that had one (eulogin/factor.py)."""
        return [("portal.eulogin.factor.SecondFactorStage" if path == "allauth.mfa.stages.AuthenticateStage" else path)
                for path in super().get_login_stages()]

    def pre_login(self, request, user, **kwargs):
        """With EU_LOGIN_ADMIN_PASSWORDS_ONLY, staff sign in with EU Login; a password (or passkey) signs in admins
        only: their break-glass way in, with their second factor, should EU Login be down."""
        refused = super().pre_login(request, user, **kwargs)
        by_eu_login = bool((kwargs.get("signal_kwargs") or {}).get("sociallogin"))
        if refused is None and not by_eu_login and settings.EU_LOGIN_ISSUER and settings.EU_LOGIN_ADMIN_PASSWORDS_ONLY \
                and not user.is_portal_admin:
            clear_login(request)
            return render(request, "account/eulogin_required.html", status=403)
        return refused

    def get_logout_redirect_url(self, request):
        """After an EU Login sign-in, out of EU Login too (RP-initiated logout), then back to the sign-in page."""
        return logout_url(request) or super().get_logout_redirect_url(request)

    def get_reset_password_from_key_url(self, key):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.SITE_URL + path.replace("UID-KEY", quote(key))


class ResetTokenGenerator(PasswordResetTokenGenerator):
    """Password links that die when used (the password changes), when the email changes, or with the account, and
    stay dead: Django's hash already holds the salted password hash (never the same twice) and the email; the
    account's `credentials_changes` moves forward on every deactivation, reactivation and change of email, so
    reactivating the account or changing the email back brings no link back to life."""

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}:{user.credentials_changes}"


def client_address(request):
    """The address a request came from: REMOTE_ADDR; behind PROXY_COUNT reverse proxies, the address the outermost
    proxy saw, counted from the right of X-Forwarded-For (what is further left, the client wrote itself)."""
    proxies = settings.PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def attempted_username(request, credentials=None):
    """The user name a sign-in attempt was for, as django-axes counts it: one count whatever the letter case."""
    name = (credentials or {}).get("username") or (credentials or {}).get("login")
    if name is None and request is not None:
        data = getattr(request, "POST", {})
        name = data.get("login") or data.get("username")
    return (name or "").strip().lower() or None


def locked_out(request, response=None, credentials=None):
    """django-axes' answer to an attempt refused unchecked (AXES_LOCKOUT_CALLABLE): 429, why and how long to wait."""
    refused = throttling.refusal(username=attempted_username(request, credentials), address=client_address(request),
                                 now=timezone.now())
    refused = refused or throttling.Refusal(throttling.Reason.PAIR, throttling.cooloff())  # lifted meanwhile
    page = render(request, "account/locked_out.html",
                  {"reason": refused.reason, "wait": wait_in_words(refused.seconds)}, status=429)
    page["Retry-After"] = str(refused.seconds)
    return page


def unlock(*, username=None, ip_address=None):
    """Lift what holds a user name (its lockouts at every address, its slowdown) or an address (its lockouts and
    slowdown as a spray); the number of records lifted."""
    lifted = 0
    if username:
        lifted += axes_reset(username=username.lower())
    if ip_address:
        lifted += axes_reset(ip=ip_address)
    return lifted + services.sign_in_episode_end(username=username, address=ip_address)
