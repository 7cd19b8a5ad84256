"""With EU Login on and EU_LOGIN_ADMIN_PASSWORDS_ONLY, a password signs in admins only (their break-glass account,
still with its second factor); staff are sent to EU Login."""

import pytest
from django.urls import reverse

from tests import factories
from tests.signing_in import PortalClient, second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def passwords_for_admins_only(settings):
    settings.EU_LOGIN_ISSUER = "http://127.0.0.1:9"  # never contacted by a password sign-in
    settings.EU_LOGIN_ADMIN_PASSWORDS_ONLY = True


def sign_in(username):
    client = PortalClient()
    response = client.post(reverse("account_login"), {"login": username, "password": factories.PASSWORD})
    return client, response


def test_a_reporters_correct_password_does_not_sign_them_in(passwords_for_admins_only, reporter_at):
    client, response = sign_in(reporter_at.username)
    assert response.status_code == 403
    assert "your role signs in with EU Login" in response.content.decode()
    assert client.get(reverse("authority_home")).status_code == 302  # to the sign-in page


def test_an_admin_still_signs_in_with_password_and_second_factor(passwords_for_admins_only, admin_user):
    second_factor(admin_user)
    _client, response = sign_in(admin_user.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def test_without_the_setting_staff_keep_their_passwords(settings, reporter_at):
    settings.EU_LOGIN_ISSUER = "http://127.0.0.1:9"
    _client, response = sign_in(reporter_at.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
