"""Users and their roles. Roles are Django groups of the names in `Role`."""

import re
import secrets
from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from portal import access
from portal.models.member_states import Authority, ConcernsMemberState


class Role(models.TextChoices):
    """Roles are Django groups of these names, created by a migration."""

    REPORTER = "reporter", _("Reporter")
    LEAD_REPORTER = "lead reporter", _("Lead reporter")
    REVIEWER = "reviewer", _("Reviewer")
    ADMIN = "admin", _("Admin")


def new_calendar_token():
    return secrets.token_urlsafe(32)


# Names that read as the portal itself or its operators: nobody may be called that.
RESERVED_NAMES = frozenset({
    "admin", "administrator", "root", "system", "superuser", "staff", "support", "helpdesk", "security", "abuse",
    "postmaster", "hostmaster", "webmaster", "noreply", "commission", "enisa", "reviewer", "portal", "anonymous",
})


def not_reserved(username):
    """"Admin", "ADMIN", "ad.min" and "root" are refused: only letters and digits are compared, in any case."""
    if re.sub(r"[^a-z0-9]", "", username.lower()) in RESERVED_NAMES:
        raise ValidationError(_("“%(name)s” is reserved for the portal; choose another user name."),
                              code="reserved", params={"name": username})


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.users_readable(user))


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(ConcernsMemberState, AbstractUser):
    username = models.CharField(
        _("username"), max_length=150, unique=True,
        help_text=_("150 characters or fewer: letters, digits and @/./+/-/_ only."),
        validators=[AbstractUser.username_validator, not_reserved],
        error_messages={"unique": _("A user with that username already exists.")},
    )
    # At most one national authority: the member state a filer works for.
    # Reviewers (Commission, ENISA) and admins belong to none.
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("authority")
    )
    # The secret in the user's private calendar feed URL; resetting it revokes old subscriptions.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token, editable=False)
    time_zone = models.CharField(_("your time zone"), max_length=64, default="Europe/Brussels")
    # The language of the user's pages, emails and files; blank: the browser's (settings.LANGUAGES lists those offered).
    language = models.CharField(_("language"), max_length=10, blank=True)
    # Who last deactivated the account: a lead reporter may not undo an admin's deactivation (access.py).
    deactivated_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                       verbose_name=_("deactivated by"), editable=False)
    # Moves forward, never back, each time the account is deactivated or reactivated or its email changes: the
    # password links' token hashes it (portal/accounts.py), so a link that died stays dead. `is_active` and the
    # email alone would not do: reactivated, or changed back, they hash as before and the link would work again.
    credentials_changes = models.PositiveIntegerField(default=0, editable=False)
    # An account of the demo data set: `seed_demo` made it and may reset it (password, second factors, role); it never
    # touches an account without this mark, and nothing else sets it.
    is_demo = models.BooleanField(default=False, editable=False)

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # "Anna" and "anna" would be two people who sign in with the same name on some keyboards.
            models.UniqueConstraint(Lower("username"), name="user_username_unique_ignoring_case"),
        ]

    def credentials_changed(self):
        """Every password link made before dies (saved with the account)."""
        self.credentials_changes += 1

    def set_active(self, active, *, by):
        """Deactivate or reactivate, remembering who deactivated (a lead may not undo an admin, access.py); the
        password links made before die."""
        self.is_active = active
        self.deactivated_by = None if active else by
        self.credentials_changed()

    @cached_property
    def roles(self):
        if not self.is_authenticated or not self.pk:
            return frozenset()
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("groups")
        if prefetched is not None:  # a list page that prefetched the groups asks no query per person
            return frozenset(group.name for group in prefetched)
        return frozenset(self.groups.values_list("name", flat=True))

    @property
    def member_state(self):
        return self.authority.member_state if self.authority_id else None

    @property
    def member_state_id(self):
        return self.authority.member_state_id if self.authority_id else None

    @property
    def is_portal_admin(self):
        return self.is_superuser or Role.ADMIN in self.roles

    @property
    def is_reviewer(self):
        return Role.REVIEWER in self.roles

    @property
    def is_lead_reporter(self):
        return self.authority_id is not None and Role.LEAD_REPORTER in self.roles

    @property
    def is_authority_staff(self):
        """Reporters and lead reporters: they file for their own member state."""
        return self.authority_id is not None and bool(self.roles & {Role.REPORTER, Role.LEAD_REPORTER})

    @property
    def display_name(self):
        return self.get_full_name() or self.get_username()
