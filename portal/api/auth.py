"""Who calls the API, and whether they pass: personal tokens, the pages' gates, the token's scope, a rate.

A request names its token in `Authorization: Bearer 5gp_...`. An unknown, expired or revoked token, or one whose
user was deactivated, is refused with 401 like no token at all. Past that, each view names one of the gates of
portal/access.py (`access = "authority staff"`), passed by the same predicate as the page's; every object is then
fetched through the same access fetchers as the pages, which answer 404 or 403. A read-only token never writes.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, throttling
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from portal import access
from portal.models import ApiToken

LAST_USED_EVERY = datetime.timedelta(minutes=1)  # last_used_at is written at most once a minute per token


class TokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword:
            return None
        if len(words) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as “Authorization: Bearer <token>”."))
        now = timezone.now()
        token = ApiToken.find(words[1].decode("latin-1"), at=now)
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is unknown, expired or revoked."))
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'  # makes refusals 401 (not 403), as HTTP asks


class Gate(permissions.BasePermission):
    """The view's gate (`access`), as on the pages: a user it does not admit gets 404, never a hint."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            raise exceptions.NotAuthenticated
        if not access.GATE_PREDICATES[view.access](request.user):
            raise exceptions.NotFound
        return True


class ReadOnlyToken(exceptions.PermissionDenied):
    default_detail = _("This token is read-only: make a read-write token on your account page to change data.")
    default_code = "read_only_token"


class TokenScopeAllows(permissions.BasePermission):
    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if request.auth is None or not request.auth.may_write:
            raise ReadOnlyToken
        return True


class PerTokenThrottle(throttling.SimpleRateThrottle):
    """API_RATE_PER_MINUTE requests a minute per token, counted in the cache (Redis when CACHE_URL is set)."""

    scope = "token"

    def get_rate(self):
        return f"{settings.API_RATE_PER_MINUTE}/min"

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None  # refused before anything is done; nothing to count
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}
