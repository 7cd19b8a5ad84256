"""Sign-in, password links and lockout, through django-allauth and django-axes (see the README's front door).

- Nobody signs up: accounts are made by admins and lead reporters.
- The same answer for a known and an unknown user name, on sign-in and on password reset.
- Password links (reset, and the welcome link of a new reporter) point at SITE_URL, never at whatever Host a
  request claimed, and die when used, when the password or email changes, or when the account is deactivated.
- Five failed sign-ins (or second-factor codes) for one user name, or from one address, lock it for
  AXES_COOLOFF_MINUTES; the page says how long; an admin can unlock it sooner (`unlock`).
"""

import math
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import ratelimit
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy


def cooloff_minutes():
    return math.ceil(settings.AXES_COOLOFF_TIME * 60)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": gettext_lazy(
            "Too many failed attempts. Wait a few minutes and try again, or ask an admin to unlock your account."),
    }

    def is_open_for_signup(self, request):
        """Accounts are made by admins and lead reporters, never by the people themselves."""
        return False

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


def locked_out(request, credentials, *args, **kwargs):
    """django-axes' answer to a locked-out user name or address: say so, and how long to wait."""
    return render(request, "account/locked_out.html", {"minutes": cooloff_minutes()}, status=429)


def unlock(request, *, username=None, ip_address=None):
    """Lift a lockout (django-axes) and allauth's own failure count for a user name; the number of records lifted."""
    lifted = 0
    if username:
        lifted += axes_reset(username=username.lower())
        # allauth keys its count by site and name (RequestSite: the host the portal answers on).
        ratelimit.clear(request, action="login_failed", key=f"{request.get_host()}:{username.lower()}")
    if ip_address:
        lifted += axes_reset(ip=ip_address)
    return lifted
