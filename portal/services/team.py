"""A lead reporter manages the reporters of its own authority."""

import re
import unicodedata

from allauth.account.adapter import get_adapter
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.module_loading import import_string

from portal.lib.mail import send_templated
from portal.models import Role, User


def username_for(member_state, first_name, last_name):
    """`at-anna.berger`: namespaced by the member state, from the person's name, `-2`, `-3`... when taken.

    Nobody chooses a user name, so the team form never says whether a name exists elsewhere in the portal.
    """
    def ascii_slug(text):
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
        return re.sub(r"[^a-z0-9]+", "-", text).strip("-")

    person = ".".join(part for part in (ascii_slug(first_name), ascii_slug(last_name)) if part) or "reporter"
    base = f"{member_state.eu_code.lower()}-{person}"[:140]
    taken = set(User.objects.filter(username__istartswith=base).values_list("username", flat=True))
    taken = {name.lower() for name in taken}
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def password_link(user):
    """The link that lets `user` set a password: it dies when used, when the password or the email changes, or
    when the account is deactivated, for good (portal/accounts.py ResetTokenGenerator)."""
    token = import_string(settings.ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR)().make_token(user)
    return get_adapter().get_reset_password_from_key_url(f"{user_pk_to_url_str(user)}-{token}")


def reporter_add(*, authority, by, email, first_name="", last_name=""):
    """A lead reporter adds a reporter to its own authority; they set their own password from the emailed link."""
    with transaction.atomic():
        user = User(username=username_for(authority.member_state, first_name, last_name), email=email,
                    first_name=first_name, last_name=last_name, authority=authority)
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=Role.REPORTER))
        link = password_link(user)
    transaction.on_commit(lambda: send_templated("welcome", {"recipient": user, "by": by, "link": link}, email))
    return user


def account_set_active(*, user, active, by):
    """Deactivate or reactivate an account, remembering who deactivated it (a lead may not undo an admin); the
    password links made before die, and stay dead once it is reactivated."""
    if user.is_active != active:
        user.set_active(active, by=by)
        user.save(update_fields=["is_active", "deactivated_by", "credentials_changes"])
