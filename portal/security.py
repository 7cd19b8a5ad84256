"""Security at the edge of every request: headers, body sizes, idle sessions, and the second factor.

- A strict Content-Security-Policy: scripts and styles only from the portal's own static files, no inline code;
  no framing, no plugins. Permissions-Policy turns off what the portal never uses.
- `Cache-Control: no-store` on every response to a signed-in user: versions, receipts, attachments and
  workbooks never stay in a shared or browser cache.
- A request body larger than its page accepts is refused before it is read (413).
- A session unused for SESSION_IDLE_TIMEOUT seconds ends; the page warns before (static/js/session.js).
- Reviewers, admins and lead reporters (everyone, with MFA_REQUIRED_FOR_ALL) must have a second factor, and must
  have used it in this session: a session without it is sent to enrol, or signed out.
"""

import time
from urllib.parse import urlsplit

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

CSP = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
    "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'{sign_in}",
    "frame-ancestors 'none'",
])


def content_security_policy():
    """The policy; "Sign in with EU Login" posts here and is redirected there, which form-action must allow."""
    issuer = urlsplit(settings.EU_LOGIN_ISSUER) if settings.EU_LOGIN_ISSUER else None
    return CSP.format(sign_in=f" {issuer.scheme}://{issuer.netloc}" if issuer else "")
PERMISSIONS = ("camera=(), microphone=(), geolocation=(), payment=(), usb=(), magnetometer=(), gyroscope=(), "
               "accelerometer=(), publickey-credentials-get=(self), publickey-credentials-create=(self)")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", content_security_policy())
        response.setdefault("Permissions-Policy", PERMISSIONS)
        response.setdefault("X-Content-Type-Options", "nosniff")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store"
        return response


def body_limit(path):
    limits = settings.REQUEST_BODY_LIMITS
    if "/attachments/" in path:
        return limits["attachments"]
    if "/workbook/" in path:
        return limits["workbook"]
    return limits["default"]


class RequestSizeMiddleware:
    """Refuse what is too large before reading a byte of it (a reverse proxy should refuse it even earlier)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request.path)
        if length > limit:
            return render(request, "413.html", {"limit_mb": limit // (1024 * 1024)}, status=413)
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Sign out a session nobody has used for SESSION_IDLE_TIMEOUT seconds."""

    KEY = "portal_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now, last = time.time(), request.session.get(self.KEY)
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                return redirect(f"{reverse('account_login')}?idle=1&next={request.path}")
            # Written at most once a minute: not a session save on every autosave.
            if last is None or now - last > 60:
                request.session[self.KEY] = now
        return self.get_response(request)


def session_context(request):
    """What static/js/session.js needs to warn before the idle sign-out."""
    return {"SESSION_IDLE_TIMEOUT": settings.SESSION_IDLE_TIMEOUT}


def requires_second_factor(user):
    return user.is_authenticated and (
        settings.MFA_REQUIRED_FOR_ALL or user.is_portal_admin or user.is_reviewer or user.is_lead_reporter)


def used_second_factor(request):
    """A code, a key or a passkey in this session; or EU Login's second factor (portal/eulogin/factor.py)."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


# Where a user who still has to enrol may go: the enrolment pages themselves, signing out, and static files.
ENROLMENT_PREFIXES = ("/accounts/2fa/", "/accounts/reauthenticate/", "/accounts/logout/", "/account/security/",
                      "/account/ping/", "/healthz")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        # A session whose sign-in had a second factor (the portal's own, or EU Login's) goes on.
        if (requires_second_factor(user) and not request.path.startswith(settings.STATIC_URL)
                and not used_second_factor(request)):
            if not is_mfa_enabled(user):
                if not request.path.startswith(ENROLMENT_PREFIXES):
                    return redirect("second_factor_required")
            else:
                # Signed in some other way than with the factor (a session from before it was required): again.
                logout(request)
                return redirect(f"{reverse('account_login')}?next={request.path}&factor=1")
        return self.get_response(request)

    @staticmethod
    def message():
        return _("Your role needs a second factor: an authenticator app, a security key or a passkey.")
