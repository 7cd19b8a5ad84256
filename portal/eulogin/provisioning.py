"""Who an EU Login sign-in is: an account made first, never one made by signing in, and never a role granted.

- A subject (`sub`) linked before is that account, whatever e-mail EU Login now gives: a changed e-mail never moves
  a sign-in to another person's account.
- Otherwise, an active account whose e-mail is the token's verified e-mail, and which no other subject holds yet, is
  linked to this subject, once.
- Anybody else gets no account and no role: a page says who can give them one, and lets them ask (an access
  request, portal/views/access_requests.py). Who they are, as EU Login said it, is kept in the session for that
  page (`unknown_identity`): the form never says who is asking.
- With EU_LOGIN_MINIMUM_ACR set, a sign-in below that level of assurance is refused first, whoever it is.
Each link, refusal and unknown person goes to the audit trail; the sign-in itself as every sign-in does.
"""

import time

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount
from django.shortcuts import redirect, render

from portal import audit
from portal.eulogin import factor
from portal.eulogin.client import ID_TOKEN_SESSION_KEY
from portal.eulogin.reasons import REASONS
from portal.models import User

PROVIDER_ID = "eulogin"
UNKNOWN_SESSION_KEY = "eulogin_unknown"
UNKNOWN_KEPT_SECONDS = 3600  # time enough to fill in the request, not a standing proof of who is at the browser


def remember_unknown(request, claims):
    """Who EU Login says the unknown person is: the subject, the e-mail only when EU Login verified it, the name."""
    verified = claims.get("email_verified") is True and (claims.get("email") or "").strip()
    request.session[UNKNOWN_SESSION_KEY] = {"sub": claims["sub"], "email": verified or "",
                                            "name": (claims.get("name") or "").strip(), "at": time.time()}


def unknown_identity(request):
    """The person a refused sign-in left in this session, or None (none, or too long ago)."""
    identity = request.session.get(UNKNOWN_SESSION_KEY)
    if not identity or time.time() - identity.get("at", 0) > UNKNOWN_KEPT_SECONDS:
        return None
    return identity


def account_for(claims):
    """The account a first sign-in of this subject may be linked to, or None."""
    email = (claims.get("email") or "").strip()
    if not email or claims.get("email_verified") is not True:
        return None
    matches = list(User.objects.filter(email__iexact=email, is_active=True)[:2])
    return matches[0] if len(matches) == 1 else None


def refuse(request, reason, *, subject=None, name="", **details):
    audit.record(audit.Event.EU_LOGIN_REFUSED, subject=subject, subject_repr=None if subject else name or "?",
                 reason=reason, **details)
    page = render(request, "account/eulogin_refused.html", {"reason": REASONS[reason]}, status=403)
    raise ImmediateHttpResponse(page)


class EULoginAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        claims = sociallogin.account.extra_data.get("id_token", {})
        name = claims.get("email") or claims.get("sub", "")
        if not factor.meets_minimum(claims):
            refuse(request, "assurance", subject=sociallogin.user if sociallogin.is_existing else None,
                   name=name, acr=claims.get("acr") or "")
        if sociallogin.is_existing:
            user = sociallogin.user
        else:
            user = account_for(claims)
            if user is None:
                audit.record(audit.Event.EU_LOGIN_UNKNOWN, subject_repr=name or "?")
                remember_unknown(request, claims)
                raise ImmediateHttpResponse(redirect("access_request_new"))
            if SocialAccount.objects.filter(user=user, provider=PROVIDER_ID).exists():
                refuse(request, "taken", subject=user)
            sociallogin.connect(request, user)
            audit.record(audit.Event.EU_LOGIN_LINKED, subject=user, actor=user, member_state=user.member_state)
        if not user.is_active:
            refuse(request, "inactive", subject=user)
        factor.note(request, user, claims)
        request.session.pop(UNKNOWN_SESSION_KEY, None)  # known now: nothing left to ask for from this browser
        request.session[ID_TOKEN_SESSION_KEY] = getattr(sociallogin, "raw_id_token", None)

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        reason = getattr(exception, "reason", None)
        if reason is None:
            if error == "cancelled":
                reason = "cancelled"
            elif exception is not None:
                reason = "exchange"  # the token endpoint refused: a code used twice, a PKCE verifier that differs
            else:
                reason = "state"
        refuse(request, reason)
