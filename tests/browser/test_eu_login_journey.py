"""Signing in with EU Login in Chromium, against a real OpenID provider configured as EU Login (tests/oidc/): the
provider's own login form, PKCE, PS512 ID tokens, client_secret_jwt, the level of assurance in `acr`."""

import re

import pytest
from allauth.socialaccount.models import SocialAccount
from auditlog.models import LogEntry
from playwright.sync_api import expect

from assessments import services
from assessments.models import AssessmentVersion
from portal.audit import Event
from portal.models import Role, User
from tests import factories
from tests.assessments import helpers
from tests.signing_in import second_factor, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TWO_FACTORS = "https://ecas.ec.europa.eu/loa/medium"


def eu_login_form(page, login, password="eu-login-password"):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with EU Login").click()
    expect(page.get_by_role("heading", name="EU Login (test provider)")).to_be_visible()
    page.get_by_label("Username or e-mail address").fill(login)
    page.get_by_label("EU Login password").fill(password)
    page.get_by_role("button", name="Sign in to EU Login").click()


def events(event):
    return LogEntry.objects.filter(additional_data__event=str(event))


def test_a_lead_reporter_made_first_signs_in_with_two_factors_lands_on_their_home_and_submits(
        page, eu_login, axe_check):
    lead = factories.user(Role.LEAD_REPORTER, "AT", username="leo-lead")
    cycle = helpers.cycle_with_questionnaire()
    helpers.fill(services.assessment_start(cycle=cycle, member_state=lead.member_state, user=lead))
    eu_login.people({"n00leo": {"password": "eu-login-password", "email": lead.email.upper(), "acr": TWO_FACTORS}})

    page.goto("/accounts/login/")
    axe_check(page)
    eu_login_form(page, "n00leo")
    # No portal code asked: EU Login's second factor is the second factor.
    expect(page).to_have_url(re.compile(r"/authority/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Austria")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    assert SocialAccount.objects.get(provider="eulogin").user == lead
    assert SocialAccount.objects.get(provider="eulogin").uid == "n00leo"
    assert events(Event.EU_LOGIN_LINKED).get().object_pk == str(lead.pk)
    assert events(Event.SIGNED_IN).filter(object_pk=str(lead.pk)).exists()
    lead.refresh_from_db()
    assert set(lead.roles) == {Role.LEAD_REPORTER}

    # ...and submits, the portal's own second factor never asked for.
    page.get_by_role("link", name="Open Austria's assessment").click()
    page.get_by_role("link", name="Review and submit").click()
    page.locator("#certify").check()
    page.get_by_role("button", name="Submit to the Commission and ENISA").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Receipt of submission")
    version = AssessmentVersion.objects.get(assessment__member_state=lead.member_state)
    assert version.submitted_by == lead
    assert not lead.authenticator_set.exists()  # no factor of the portal's own, none asked


def test_a_changed_email_at_eu_login_keeps_the_link_to_the_same_account(page, eu_login):
    lead = factories.user(Role.LEAD_REPORTER, "AT", username="leo-lead")
    other = factories.user(Role.REPORTER, "FR", username="fanny-fr")
    SocialAccount.objects.create(user=lead, provider="eulogin", uid="n00leo")
    # EU Login now says the subject has the other person's address: it is still Leo.
    eu_login.people({"n00leo": {"password": "eu-login-password", "email": other.email, "acr": TWO_FACTORS}})
    eu_login_form(page, "n00leo")
    expect(page).to_have_url(re.compile(r"/authority/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Austria")
    assert not SocialAccount.objects.filter(user=other).exists()


def test_a_basic_sign_in_of_a_lead_reporter_asks_for_the_portals_own_second_factor(page, eu_login):
    lead = factories.user(Role.LEAD_REPORTER, "AT", username="leo-lead")
    second_factor(lead)
    eu_login.people({"n00leo": {"password": "eu-login-password", "email": lead.email, "acr": "basic"}})
    eu_login_form(page, "n00leo")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/authority/$"))


def test_a_basic_sign_in_of_a_lead_reporter_without_a_factor_must_enrol_one(page, eu_login):
    lead = factories.user(Role.LEAD_REPORTER, "AT", username="leo-lead")
    eu_login.people({"n00leo": {"password": "eu-login-password", "email": lead.email, "acr": "basic"}})
    eu_login_form(page, "n00leo")
    expect(page).to_have_url(re.compile(r"/account/security/$"))
    page.goto("/authority/")
    expect(page).to_have_url(re.compile(r"/account/security/$"))


def test_an_unknown_person_gets_no_account_and_a_page_that_says_who_gives_access(page, eu_login, axe_check):
    users_before = User.objects.count()
    eu_login.people({"n00new": {"password": "eu-login-password", "email": "someone@example.eu", "acr": TWO_FACTORS}})
    eu_login_form(page, "n00new")
    expect(page.get_by_role("heading", level=1)).to_have_text("No access to the portal yet")
    expect(page.get_by_text("ask your authority's lead reporter to invite you")).to_be_visible()
    axe_check(page)
    assert User.objects.count() == users_before
    assert not SocialAccount.objects.exists()
    assert events(Event.EU_LOGIN_UNKNOWN).get().object_repr == "someone@example.eu"
    page.goto("/authority/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_an_unverified_email_links_nobody(page, eu_login):
    lead = factories.user(Role.LEAD_REPORTER, "AT", username="leo-lead")
    eu_login.people({"n00leo": {"password": "eu-login-password", "email": lead.email, "email_verified": False}})
    eu_login_form(page, "n00leo")
    expect(page.get_by_role("heading", level=1)).to_have_text("No access to the portal yet")
    assert not SocialAccount.objects.exists()


def test_signing_out_ends_the_eu_login_session_too(page, eu_login):
    lead = factories.user(Role.LEAD_REPORTER, "AT", username="leo-lead")
    eu_login.people({"n00leo": {"password": "eu-login-password", "email": lead.email, "acr": TWO_FACTORS}})
    eu_login_form(page, "n00leo")
    expect(page).to_have_url(re.compile(r"/authority/$"))
    page.get_by_role("button", name="Log out").click()
    # EU Login asks to confirm (RP-initiated logout), then sends back to the portal's sign-in page.
    page.get_by_role("button", name="Yes, sign me out of EU Login").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto("/authority/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    # Signed out at EU Login as well: the next sign-in asks for the EU Login password again.
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with EU Login").click()
    expect(page.get_by_label("EU Login password")).to_be_visible()
