"""Signing in, in tests: a second factor with a known secret, its codes computed here (RFC 6238), and a test
client whose `force_login` is a session that used both factors, as a real sign-in of that role leaves it.

Tests about signing in itself go through the real pages (tests/portal/test_front_door.py, the browser journeys).
"""

import base64
import hashlib
import hmac
import struct
import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.internal.flows.login import _AUTHENTICATION_METHODS_USER_SESSION_KEY
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.test import Client

from portal.security import requires_second_factor

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # base32, 20 bytes


def second_factor(user, secret=TOTP_SECRET):
    """The user's authenticator app, enrolled with `secret` (idempotent)."""
    Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP,
                                        defaults={"data": {"secret": encrypt(secret)}})
    return secret


def totp_code(secret=TOTP_SECRET, at=None, step=30, digits=6):
    """What an authenticator app shows at `at` (RFC 6238 over RFC 4226), computed independently of the portal."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 10 ** digits
    return f"{value:0{digits}d}"


class PortalClient(Client):
    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if requires_second_factor(user):
            second_factor(user)
            session, now = self.session, time.time()
            session[AUTHENTICATION_METHODS_SESSION_KEY] = [
                {"method": "password", "at": now, "username": user.username},
                {"method": "mfa", "at": now, "type": "totp"}]
            session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
            session.save()
