"""A lead reporter manages the reporters of its own authority."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.lib.mail import send_templated
from portal.models import Role, User


def reporter_add(*, authority, by, username, email, first_name="", last_name=""):
    """A lead reporter adds a reporter to its own authority; they set their own password from the emailed link."""
    with transaction.atomic():
        user = User(username=username, email=email, first_name=first_name, last_name=last_name, authority=authority)
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=Role.REPORTER))
    link = settings.SITE_URL + reverse("password_reset_confirm", args=[
        urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)])
    transaction.on_commit(lambda: send_templated("welcome", {"recipient": user, "by": by, "link": link}, email))
    return user


def reporter_set_active(*, user, active):
    User.objects.filter(pk=user.pk).update(is_active=active)
