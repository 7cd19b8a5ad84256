"""Personal API tokens: how a user's own scripts act as that user through the API (portal/api/auth.py).

Only a SHA-256 of the secret is stored: a stolen database does not hold a usable token. The token reads
`5gp_<prefix>_<secret>`; the prefix finds the row, the hash of the whole token proves it.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_START = "5gp_"


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


def token_digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, at=None):
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=at, user__is_active=True)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)  # SHA-256 of the whole token, hex
    scope = models.CharField(_("scope"), max_length=5, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=TokenScope.values), name="api_token_scope_known"),
            models.CheckConstraint(condition=Q(expires_at__gt=F("created_at")), name="api_token_expires_after_made"),
            models.CheckConstraint(condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=F("created_at")),
                                   name="api_token_revoked_after_made"),
            models.CheckConstraint(condition=Q(digest__regex=r"^[0-9a-f]{64}$"), name="api_token_digest_is_sha256"),
            # The account page lists a user's tokens by name: two alike would be told apart by nobody.
            models.UniqueConstraint(fields=["user", "name"], condition=Q(revoked_at__isnull=True),
                                    name="api_token_name_unique_per_user_while_live"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix})"

    @classmethod
    def issue(cls, *, user, name, scope, expires_at):
        """A new token: (the row, the token itself). The token is never stored; show it once."""
        prefix = secrets.token_hex(6)
        token = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
        row = cls.objects.create(user=user, name=name, scope=scope, expires_at=expires_at, prefix=prefix,
                                 digest=token_digest(token))
        return row, token

    @classmethod
    def find(cls, token, at=None):
        """The usable token row `token` is, or None (unknown, wrong secret, expired, revoked, user inactive)."""
        if not token.startswith(TOKEN_START):
            return None
        prefix, _sep, _secret = token[len(TOKEN_START):].partition("_")
        row = cls.objects.usable(at).select_related("user__authority").filter(prefix=prefix).first()
        if row is None or not secrets.compare_digest(row.digest, token_digest(token)):
            return None
        return row

    @property
    def may_write(self):
        return self.scope == TokenScope.WRITE

    def is_usable(self, at=None):
        return self.revoked_at is None and self.expires_at > (at or timezone.now())
