"""EU Login answers the portal must refuse, produced by a real provider that misbehaves on purpose for one person
(tests/oidc/provider.mjs, "quirk"): each refusal is a clear page, nobody signed in, an entry on the Activity page."""

import re

import pytest
from allauth.socialaccount.models import SocialAccount
from auditlog.models import LogEntry
from playwright.sync_api import expect

from portal.audit import Event
from portal.models import Role
from tests import factories
from tests.browser.signing_in import log_in
from tests.browser.test_eu_login_journey import TWO_FACTORS, eu_login_form
from tests.oidc_provider import OIDCProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUIRKS = [
    ("wrong-issuer", "issuer", "The answer did not come from EU Login."),
    ("wrong-audience", "audience", "The answer was meant for another service."),
    ("expired", "expired", "The answer had expired."),
    ("wrong-nonce", "nonce", "The answer was not for this sign-in."),
    ("alg-none", "algorithm", "The answer was not signed as EU Login signs."),
    ("other-key", "signature", "The answer's signature is not EU Login's."),
    ("pkce", "exchange", "EU Login refused to complete the sign-in."),
]


def refusals():
    return LogEntry.objects.filter(additional_data__event=str(Event.EU_LOGIN_REFUSED))


def assert_refused(page, words):
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in with EU Login refused")
    expect(page.get_by_role("alert")).to_have_text(words)
    page.goto("/authority/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


@pytest.mark.parametrize(("quirk", "reason", "words"), QUIRKS, ids=[quirk for quirk, _, _ in QUIRKS])
def test_a_bad_answer_is_refused_with_its_reason(page, eu_login, axe_check, quirk, reason, words):
    lead = factories.user(Role.LEAD_REPORTER, "AT", username="leo-lead")
    eu_login.people({f"n00{quirk}": {"password": "eu-login-password", "email": lead.email, "acr": TWO_FACTORS,
                                      "quirk": quirk}})
    eu_login_form(page, f"n00{quirk}")
    if quirk == "wrong-issuer":
        axe_check(page)
    assert_refused(page, words)
    assert refusals().get().additional_data["reason"] == reason


def test_a_replayed_id_token_is_refused(page, eu_login):
    lead = factories.user(Role.LEAD_REPORTER, "AT", username="leo-lead")
    eu_login.people({"n00replay": {"password": "eu-login-password", "email": lead.email, "acr": TWO_FACTORS,
                                   "quirk": "replay"}})
    eu_login_form(page, "n00replay")  # the first sign-in is sound, and its token kept by the provider
    expect(page).to_have_url(re.compile(r"/authority/$"))
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="No, stay signed in").click()  # at EU Login
    # Still signed in at EU Login: no form this time, and the first token sent again.
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with EU Login").click()
    assert_refused(page, "The answer was not for this sign-in.")
    assert refusals().get().additional_data["reason"] == "nonce"


def test_an_answer_with_a_state_this_browser_never_started_is_refused(page, eu_login, browser, live_server):
    page.goto("/accounts/oidc/eulogin/login/callback/?code=stolen&state=not-ours")
    assert_refused(page, "The sign-in was not started from this browser, or it took too long.")
    assert refusals().get().additional_data["reason"] == "state"

    factories.user(Role.ADMIN, username="ada-admin")
    admin = log_in(browser, live_server, "ada-admin")
    admin.goto("/manage/activity/")
    expect(admin.get_by_text("EU Login sign-in refused for “?”: The sign-in was not started from this browser, "
                             "or it took too long.")).to_be_visible()


def test_a_second_subject_with_the_email_of_a_linked_account_is_refused(page, eu_login):
    lead = factories.user(Role.LEAD_REPORTER, "AT", username="leo-lead")
    SocialAccount.objects.create(user=lead, provider="eulogin", uid="n00leo")
    eu_login.people({"n00other": {"password": "eu-login-password", "email": lead.email, "acr": TWO_FACTORS}})
    eu_login_form(page, "n00other")
    assert_refused(page, "This e-mail address belongs to an account already linked to another EU Login account.")
    assert refusals().get().additional_data["reason"] == "taken"
    assert list(SocialAccount.objects.values_list("uid", flat=True)) == ["n00leo"]


def test_client_secret_basic_works_as_well(page, live_server, settings, tmp_path):
    """Some EU Login registrations authenticate the client with HTTP Basic: a provider registered so."""
    provider = OIDCProvider(base_url=live_server.url, log_dir=tmp_path, auth_method="client_secret_basic").start()
    try:
        provider.configure(settings)
        lead = factories.user(Role.LEAD_REPORTER, "AT", username="leo-lead")
        provider.people({"n00leo": {"password": "eu-login-password", "email": lead.email, "acr": TWO_FACTORS}})
        eu_login_form(page, "n00leo")
        expect(page).to_have_url(re.compile(r"/authority/$"))
    finally:
        provider.stop()


LOW, HIGH = "https://ecas.ec.europa.eu/loa/low", "https://ecas.ec.europa.eu/loa/high"


@pytest.mark.parametrize("acr", [LOW, "basic"], ids=["below-the-minimum", "a-level-the-order-does-not-name"])
def test_a_sign_in_below_the_minimum_level_of_assurance_is_refused(page, eu_login, settings, acr):
    settings.EU_LOGIN_MINIMUM_ACR = TWO_FACTORS
    lead = factories.user(Role.LEAD_REPORTER, "AT", username="leo-lead")
    eu_login.people({"n00low": {"password": "eu-login-password", "email": lead.email, "acr": acr}})
    eu_login_form(page, "n00low")
    assert_refused(page, "EU Login confirmed who you are at a lower level of assurance than this portal requires: "
                         "sign in again with EU Login's second factor.")
    entry = refusals().get()
    assert (entry.additional_data["reason"], entry.additional_data["acr"]) == ("assurance", acr)
    assert not SocialAccount.objects.exists()  # refused before anything is linked


def test_a_known_person_below_the_minimum_is_refused_by_name_and_an_unknown_one_cannot_ask(page, eu_login, settings):
    settings.EU_LOGIN_MINIMUM_ACR = TWO_FACTORS
    lead = factories.user(Role.LEAD_REPORTER, "AT", username="leo-lead")
    SocialAccount.objects.create(user=lead, provider="eulogin", uid="n00leo")
    eu_login.people({"n00leo": {"password": "eu-login-password", "email": lead.email, "acr": "basic"},
                     "n00new": {"password": "eu-login-password", "email": "new@example.eu", "acr": LOW}})
    eu_login_form(page, "n00leo")
    assert_refused(page, "EU Login confirmed who you are at a lower level of assurance than this portal requires: "
                         "sign in again with EU Login's second factor.")
    assert refusals().get().object_pk == str(lead.pk)
    page.context.clear_cookies()
    eu_login_form(page, "n00new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in with EU Login refused")
    page.goto("/accounts/eulogin/request-access/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")


def test_a_sign_in_at_or_above_the_minimum_is_let_in(page, eu_login, settings):
    settings.EU_LOGIN_MINIMUM_ACR = TWO_FACTORS
    lead = factories.user(Role.LEAD_REPORTER, "AT", username="leo-lead")
    eu_login.people({"n00leo": {"password": "eu-login-password", "email": lead.email, "acr": HIGH}})
    eu_login_form(page, "n00leo")
    expect(page).to_have_url(re.compile(r"/authority/$"))
    assert not refusals().exists()
