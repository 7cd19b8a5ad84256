import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from portal import services
from portal.models import Role, User
from portal.models.users import not_reserved
from tests.signing_in import PortalClient

pytestmark = pytest.mark.django_db


def add_reporter(client, first_name="Nina", last_name="Neu", email="nina@rtr.example"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("team"), {"first_name": first_name, "last_name": last_name, "email": email})


def set_password_from(client, link, password):
    page = client.get(link.split("8000", 1)[-1], follow=True)
    return client.post(page.redirect_chain[-1][0], {"password1": password, "password2": password})


def test_a_lead_reporter_adds_a_reporter_who_sets_a_password_from_the_emailed_link(client, lead_at):
    client.force_login(lead_at)
    response = add_reporter(client)
    assert response.status_code == 302
    user = User.objects.get(email="nina@rtr.example")
    assert user.username == "at-nina.neu"  # made from the name, namespaced by the member state
    assert user.authority == lead_at.authority and Role.REPORTER in user.roles and not user.has_usable_password()
    assert "at-nina.neu" in client.get(reverse("team")).content.decode()
    link = re.search(r"http\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    client.logout()
    set_password_from(client, link, "a-long-new-passphrase")
    signed_in = client.post(reverse("account_login"), {"login": "at-nina.neu", "password": "a-long-new-passphrase"})
    assert signed_in.status_code == 302 and client.get(reverse("home")).wsgi_request.user == user
    # Used once, the link is dead.
    client.logout()
    assert "invalid" in client.get(link.split("8000", 1)[-1], follow=True).content.decode().lower()


def test_a_set_password_link_dies_when_the_account_is_deactivated(client, lead_at):
    client.force_login(lead_at)
    add_reporter(client)
    user = User.objects.get(email="nina@rtr.example")
    link = re.search(r"http\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    client.post(reverse("reporter_active", args=[user.pk]), {"active": "0"})
    client.logout()
    page = client.get(link.split("8000", 1)[-1], follow=True).content.decode()
    assert "invalid" in page.lower() and 'name="password1"' not in page
    user.refresh_from_db()
    assert not user.has_usable_password()


def forgot_password_link(settings, user):
    PortalClient().post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"http\S+/accounts/password/reset/key/\S+/", mail.outbox[-1].body).group(0)
    return link.removeprefix(settings.SITE_URL)


def link_works(client, path):
    page = client.get(path, follow=True).content.decode()
    return 'name="password1"' in page and "invalid" not in page.lower()


def test_a_password_link_stays_dead_when_the_account_is_reactivated(client, settings, lead_at, reporter_at):
    """Deactivating killed it; reactivating within its three days must not bring it back."""
    link = forgot_password_link(settings, reporter_at)
    client.force_login(lead_at)
    client.post(reverse("reporter_active", args=[reporter_at.pk]), {"active": "0"})
    client.post(reverse("reporter_active", args=[reporter_at.pk]), {"active": "1"})
    reporter_at.refresh_from_db()
    assert reporter_at.is_active
    client.logout()
    assert not link_works(client, link)
    assert link_works(client, forgot_password_link(settings, reporter_at))  # a link asked for now works


def admin_saves(client, user, **changes):
    """The Django admin's change form of `user`, posted as shown with `changes`."""
    form = client.get(reverse("admin:portal_user_change", args=[user.pk])).context["adminform"].form
    data = {name: value for name, value in form.initial.items()
            if value is not None and name not in ("is_active", "user_permissions", "last_login", "date_joined")}
    data.update({"groups": [g.pk for g in user.groups.all()], "authority": user.authority_id or "",
                 "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
                 "date_joined_1": user.date_joined.strftime("%H:%M:%S")})
    if user.is_active:
        data["is_active"] = "on"
    data.update(changes)
    data = {name: value for name, value in data.items() if value is not False}
    return client.post(reverse("admin:portal_user_change", args=[user.pk]), data)


def test_a_password_link_stays_dead_when_an_admin_changes_the_email_and_back_or_reactivates(
        client, settings, admin_user, reporter_at):
    address, admin = reporter_at.email, PortalClient()
    admin.force_login(admin_user)
    link = forgot_password_link(settings, reporter_at)
    assert admin_saves(admin, reporter_at, email="someone.else@example.eu").status_code == 302
    reporter_at.refresh_from_db()
    assert admin_saves(admin, reporter_at, email=address).status_code == 302
    assert not link_works(client, link)

    reporter_at.refresh_from_db()
    link = forgot_password_link(settings, reporter_at)
    assert admin_saves(admin, reporter_at, is_active=False).status_code == 302
    reporter_at.refresh_from_db()
    assert admin_saves(admin, reporter_at, is_active="on").status_code == 302
    reporter_at.refresh_from_db()
    assert reporter_at.email == address and reporter_at.is_active and reporter_at.deactivated_by is None
    assert not link_works(client, link)


def test_the_team_form_never_says_whether_a_user_name_exists(client, lead_at, reporter_fr):
    """Nobody chooses a name: the same person's name twice gets a second name, and nothing about other states."""
    client.force_login(lead_at)
    User.objects.filter(pk=reporter_fr.pk).update(username="at-nina.neu")  # taken, by someone elsewhere
    assert add_reporter(client).status_code == 302
    assert User.objects.get(email="nina@rtr.example").username == "at-nina.neu-2"
    missing = client.post(reverse("team"), {"first_name": "", "last_name": "", "email": ""})
    assert missing.status_code == 400 and "required" in missing.content.decode()


def test_generated_names_are_plain_ascii(db, lead_at):
    assert services.username_for(lead_at.member_state, "Zoë", "Ó Súilleabháin-Łukasz") == "at-zoe.o-suilleabhain-ukasz"


@pytest.mark.parametrize("name", ["admin", "Admin", "ADMIN", "ad.min", "root", "Security", "no-reply", "enisa"])
def test_reserved_names_are_refused(name):
    with pytest.raises(ValidationError, match="reserved"):
        not_reserved(name)


def test_an_admin_cannot_create_a_user_called_admin_in_the_django_admin(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("admin:portal_user_add"), {
        "username": "Admin", "password1": "a-long-new-passphrase", "password2": "a-long-new-passphrase",
        "usable_password": "true"})
    assert response.status_code == 200 and "reserved" in response.content.decode()
    assert not User.objects.filter(username__iexact="admin").exists()


def test_a_lead_reporter_deactivates_a_reporter_of_its_own_authority_only(client, lead_at, reporter_at, reporter_fr):
    client.force_login(lead_at)
    client.post(reverse("reporter_active", args=[reporter_at.pk]), {"active": "0"})
    reporter_at.refresh_from_db()
    assert not reporter_at.is_active and reporter_at.deactivated_by == lead_at
    assert client.post(reverse("reporter_active", args=[reporter_fr.pk]), {"active": "0"}).status_code == 404
    assert client.post(reverse("reporter_active", args=[lead_at.pk]), {"active": "0"}).status_code == 403
    reporter_fr.refresh_from_db()
    assert reporter_fr.is_active
    # What it deactivated, it may reactivate.
    client.post(reverse("reporter_active", args=[reporter_at.pk]), {"active": "1"})
    reporter_at.refresh_from_db()
    assert reporter_at.is_active and reporter_at.deactivated_by is None


def test_a_lead_reporter_cannot_undo_an_admins_deactivation(client, lead_at, reporter_at, admin_user):
    client.force_login(admin_user)
    change = client.get(reverse("admin:portal_user_change", args=[reporter_at.pk]))
    form = change.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "is_active"}
    data.update({"groups": [g.pk for g in reporter_at.groups.all()], "authority": reporter_at.authority_id,
                 "date_joined_0": reporter_at.date_joined.strftime("%Y-%m-%d"),
                 "date_joined_1": reporter_at.date_joined.strftime("%H:%M:%S")})
    data.pop("user_permissions", None)
    data.pop("last_login", None)
    data.pop("date_joined", None)
    assert client.post(reverse("admin:portal_user_change", args=[reporter_at.pk]), data).status_code == 302
    reporter_at.refresh_from_db()
    assert not reporter_at.is_active and reporter_at.deactivated_by == admin_user

    client.force_login(lead_at)
    page = client.get(reverse("team")).content.decode()
    assert "only an admin can reactivate" in page
    assert client.post(reverse("reporter_active", args=[reporter_at.pk]), {"active": "1"}).status_code == 403
    reporter_at.refresh_from_db()
    assert not reporter_at.is_active


@pytest.mark.parametrize("persona", ["reporter_at", "reviewer", "admin_user"])
def test_only_lead_reporters_reach_the_team_page(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("team")).status_code == 404
