"""EU Login's level of assurance as the portal's second factor.

A sign-in whose `acr` says EU Login checked a second factor counts as one here: it is recorded among the session's
authentication records as a second factor of type `eu-login`, which the portal's rule (portal/security.py) reads as
it reads a code or a key. A basic-level sign-in records nothing: the person is asked for the portal's own factor.

With EU_LOGIN_MINIMUM_ACR set, a sign-in below that level (in EU_LOGIN_ACR_ORDER, lowest first), or at a level the
order does not name, is refused altogether (`meets_minimum`).
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.stages import AuthenticateStage
from django.conf import settings


def note(request, user, claims):
    if claims.get("acr") in settings.EU_LOGIN_TWO_FACTOR_ACR:
        record_authentication(request, user, "mfa", type="eu-login", acr=claims["acr"])


def meets_minimum(claims):
    """The sign-in's level of assurance is the minimum the portal asks, or above; true when none is asked."""
    minimum = settings.EU_LOGIN_MINIMUM_ACR
    if not minimum:
        return True
    order = settings.EU_LOGIN_ACR_ORDER
    acr = claims.get("acr")
    return acr in order and order.index(acr) >= order.index(minimum)


def used_eu_login_factor(request, user):
    return any(record.get("method") == "mfa" and record.get("type") == "eu-login"
               for record in get_authentication_records(request, user))


class SecondFactorStage(AuthenticateStage):
    """allauth's second-factor step of a sign-in, skipped when EU Login already checked one."""

    def _should_handle(self, request):
        if self.login.user is not None and used_eu_login_factor(request, self.login.user):
            return False
        return super()._should_handle(request)
