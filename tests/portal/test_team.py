import re

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from portal.models import Role, User

pytestmark = pytest.mark.django_db


def test_a_lead_reporter_adds_a_reporter_who_sets_a_password_from_the_emailed_link(client, lead_at):
    client.force_login(lead_at)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("team"), {"username": "new-at", "first_name": "Nina", "last_name": "Neu",
                                                 "email": "nina@rtr.example"})
    assert response.status_code == 302
    user = User.objects.get(username="new-at")
    assert user.authority == lead_at.authority and Role.REPORTER in user.roles and not user.has_usable_password()
    link = re.search(r"http\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    client.logout()
    path = link.split("8000", 1)[-1]
    page = client.get(path, follow=True)
    assert "Set your password" in page.content.decode()
    client.post(page.redirect_chain[-1][0], {"new_password1": "a-long-new-passphrase", "new_password2":
                                             "a-long-new-passphrase"})
    assert client.login(username="new-at", password="a-long-new-passphrase")


def test_a_lead_reporter_deactivates_a_reporter_of_its_own_authority_only(client, lead_at, reporter_at, reporter_fr):
    client.force_login(lead_at)
    client.post(reverse("reporter_active", args=[reporter_at.pk]), {"active": "0"})
    reporter_at.refresh_from_db()
    assert not reporter_at.is_active
    assert client.post(reverse("reporter_active", args=[reporter_fr.pk]), {"active": "0"}).status_code == 404
    assert client.post(reverse("reporter_active", args=[lead_at.pk]), {"active": "0"}).status_code == 404
    reporter_fr.refresh_from_db()
    assert reporter_fr.is_active


def test_a_duplicate_username_is_answered_beside_the_field(client, lead_at, reporter_at):
    client.force_login(lead_at)
    response = client.post(reverse("team"), {"username": reporter_at.username, "email": "x@example.eu"})
    assert response.status_code == 400 and "already exists" in response.content.decode()


@pytest.mark.parametrize("persona", ["reporter_at", "reviewer", "admin_user"])
def test_only_lead_reporters_reach_the_team_page(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("team")).status_code == 404
