"""The OpenID Connect client: allauth's, with the client assertion, the nonce and the ID token's checks it lacks.

allauth skips the ID token's signature when it fetched the token itself (the specification allows it over TLS) and
sends no nonce. EU Login's tokens are checked whole anyway: a misconfigured proxy or a wrong token endpoint in the
discovery document must not be enough to sign someone in.
"""

import time
import uuid

import jwt
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Client, OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.http import urlencode
from requests import RequestException

ALGORITHMS = ["PS512", "RS256"]  # EU Login signs with PS512; `none` and HMAC are never accepted
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_SECONDS = 60
LEEWAY_SECONDS = 30  # clocks a little apart


class Refused(OAuth2Error):
    """A sign-in refused, with the reason the audit trail keeps (one of `REASONS` in provisioning.py)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def client_assertion(*, client_id, secret, token_endpoint):
    """RFC 7523 client authentication: an HS256 JWT over the client secret, for this token request only."""
    now = int(time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": token_endpoint, "jti": uuid.uuid4().hex, "iat": now,
              "exp": now + ASSERTION_SECONDS}
    return jwt.encode(claims, secret, algorithm="HS256")


class EULoginClient(OAuth2Client):
    def __init__(self, *args, auth_method, **kwargs):
        super().__init__(*args, **kwargs)
        self.auth_method = auth_method

    def get_access_token(self, code, pkce_code_verifier=None, extra_data=None):
        if self.auth_method != "client_secret_jwt":
            return super().get_access_token(code, pkce_code_verifier=pkce_code_verifier, extra_data=extra_data)
        secret, self.consumer_secret = self.consumer_secret, ""  # an empty secret is left out of the request
        try:
            assertion = client_assertion(client_id=self.consumer_key, secret=secret,
                                         token_endpoint=self.access_token_url)
            extra = {**(extra_data or {}), "client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion}
            return super().get_access_token(code, pkce_code_verifier=pkce_code_verifier, extra_data=extra)
        finally:
            self.consumer_secret = secret


def _signing_key(id_token, jwks_uri):
    header = jwt.get_unverified_header(id_token)
    if header.get("alg") not in ALGORITHMS:
        raise Refused("algorithm")
    with get_adapter().get_requests_session() as session:
        response = session.get(jwks_uri)
        response.raise_for_status()
    for key in jwt.PyJWKSet.from_dict(response.json()).keys:
        if key.key_id == header.get("kid"):
            return key
    raise Refused("signature")


DECODE_ERRORS = [(jwt.ExpiredSignatureError, "expired"), (jwt.InvalidIssuerError, "issuer"),
                 (jwt.InvalidAudienceError, "audience"), (jwt.InvalidSignatureError, "signature")]


def verify_id_token(id_token, *, issuer, jwks_uri, client_id, nonce):
    """The ID token's claims, once its algorithm, signature, issuer, audience, expiry and nonce are right; and the
    nonce never accepted twice (a token replayed within its lifetime)."""
    try:
        key = _signing_key(id_token, jwks_uri)
        claims = jwt.decode(id_token, key, algorithms=ALGORITHMS, audience=client_id, issuer=issuer,
                            leeway=LEEWAY_SECONDS, options={"require": ["iss", "aud", "exp", "iat", "sub"]})
    except jwt.DecodeError as error:
        raise Refused("signature" if isinstance(error, jwt.InvalidSignatureError) else "malformed") from error
    except jwt.PyJWTError as error:
        raise Refused(next((why for kind, why in DECODE_ERRORS if isinstance(error, kind)), "malformed")) from error
    if not nonce or claims.get("nonce") != nonce:
        raise Refused("nonce")
    if not cache.add(f"eulogin:nonce:{nonce}", 1, timeout=max(int(claims["exp"] - time.time()), 0) + 120):
        raise Refused("replayed")
    return claims


class EULoginAdapter(OpenIDConnectOAuth2Adapter):
    expected_nonce = None

    def get_client(self, request, app):
        client = super().get_client(request, app)
        client.__class__ = EULoginClient
        client.auth_method = app.settings.get("token_auth_method", "client_secret_basic")
        return client

    def complete_login(self, request, app, token, **kwargs):
        id_token = kwargs["response"].get("id_token")
        if not id_token:
            raise Refused("malformed")
        claims = verify_id_token(id_token, issuer=settings.EU_LOGIN_ISSUER, jwks_uri=self.openid_config["jwks_uri"],
                                 client_id=app.client_id, nonce=self.expected_nonce)
        login = self.get_provider().sociallogin_from_response(request, {"id_token": claims})
        login.raw_id_token = id_token  # for signing out of EU Login too (provisioning keeps it once accepted)
        return login


ID_TOKEN_SESSION_KEY = "eulogin_id_token"


def logout_url(request):
    """Where signing out goes after an EU Login sign-in: EU Login's end-session endpoint (RP-initiated logout), which
    comes back to the sign-in page; None for any other session, or a provider that offers none."""
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    if not (id_token and settings.EU_LOGIN_ISSUER and request.user.is_authenticated):
        return None
    try:
        end_session = EULoginAdapter(request, "eulogin").openid_config.get("end_session_endpoint")
    except (SocialApp.DoesNotExist, RequestException):
        return None
    if not end_session:
        return None
    back = request.build_absolute_uri(reverse("account_login"))
    return f"{end_session}?{urlencode({'id_token_hint': id_token, 'post_logout_redirect_uri': back})}"


class EULoginProvider(OpenIDConnectProvider):
    """allauth's provider, with a nonce in the request and in the state it keeps for the callback."""

    oauth2_adapter_class = EULoginAdapter
    package = "allauth.socialaccount.providers.openid_connect"  # its URLs (portal/urls.py routes them here first)

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = get_random_string(32)
        auth_params = kwargs.pop("auth_params", None) or self.get_auth_params()
        return super().redirect(request, process, next_url, data, auth_params={**auth_params, "nonce": nonce},
                                nonce=nonce, **kwargs)


class EULoginCallbackView(OAuth2CallbackView):
    def _get_state(self, request, provider):
        state, response = super()._get_state(request, provider)
        self.adapter.expected_nonce = (state or {}).get("nonce")
        return state, response


def login_view(request, provider_id):
    try:
        return OAuth2LoginView.adapter_view(EULoginAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as error:  # EU Login not configured
        raise Http404 from error


def callback_view(request, provider_id):
    try:
        return EULoginCallbackView.adapter_view(EULoginAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as error:
        raise Http404 from error
