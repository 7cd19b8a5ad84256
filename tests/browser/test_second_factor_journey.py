"""The second factor in Chromium: a reviewer enrols an authenticator app (codes computed here, RFC 6238) and a lead
reporter a passkey (Chromium's virtual authenticator, over the DevTools protocol), each then signs in with it.
axe checks every page of the way; the Content-Security-Policy watch (tests/conftest.py) every page too."""

import re

import pytest
from playwright.sync_api import expect

from portal.models import Role
from tests import factories
from tests.signing_in import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_step(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def confirm_password(page):
    """allauth asks for the password again before a factor is added."""
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()


def test_a_reviewer_enrols_an_authenticator_app_and_signs_in_with_it(page, axe_check):
    reviewer = factories.user(Role.REVIEWER, username="rita-reviewer")
    password_step(page, reviewer.username)
    # Nowhere to go without a second factor: every page leads to enrolment.
    expect(page).to_have_url(re.compile(r"/account/security/$"))
    page.goto("/review/")
    expect(page).to_have_url(re.compile(r"/account/security/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a second factor to go on")
    axe_check(page)

    page.get_by_role("link", name="Set up an authenticator app").click()
    confirm_password(page)
    expect(page.get_by_label("Authenticator secret")).to_be_visible()
    axe_check(page)
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    # Recovery codes are offered; the session has used its factor and goes on.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Recovery")
    axe_check(page)
    page.goto("/review/")
    expect(page).to_have_url(re.compile(r"/review/$"))

    page.get_by_role("button", name="Log out").click()
    password_step(page, reviewer.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Second factor")
    axe_check(page)
    page.get_by_label("Code").fill("000000" if totp_code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text("Incorrect code")).to_be_visible()
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.goto("/review/")
    expect(page).to_have_url(re.compile(r"/review/$"))


def test_a_lead_reporter_adds_a_passkey_and_signs_in_with_it_alone(page, axe_check):
    lead = factories.user(Role.LEAD_REPORTER, "AT", username="lukas-at")
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})

    password_step(page, lead.username)
    expect(page).to_have_url(re.compile(r"/account/security/$"))
    page.get_by_role("link", name="Add a passkey or security key").click()
    confirm_password(page)
    axe_check(page)
    page.get_by_label("Name").fill("Laptop passkey")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(".alert-success").first).to_have_text("Security key added.")
    axe_check(page)  # the recovery codes, offered at once
    page.goto("/authority/")
    expect(page).to_have_url(re.compile(r"/authority/$"))
    assert lead.authenticator_set.filter(type="webauthn").exists()

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.goto("/authority/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Austria")
