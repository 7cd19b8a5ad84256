"""An unknown person asks for access after signing in with EU Login, a lead reporter approves, and the next EU Login
sign-in lands in the portal with that role: in Chromium, against the real OpenID provider of tests/oidc/."""

import re

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from playwright.sync_api import expect

from portal.models import AccessRequest, Role, User
from tests import factories
from tests.browser.signing_in import log_in
from tests.browser.test_eu_login_journey import TWO_FACTORS, eu_login_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NORA = {"n00nora": {"password": "eu-login-password", "email": "nora.new@rtr.example", "name": "Nora New",
                    "acr": TWO_FACTORS}}


def test_an_unknown_person_asks_a_lead_reporter_approves_and_the_next_sign_in_lands_home(
        page, eu_login, browser, live_server, axe_check):
    lead = factories.user(Role.LEAD_REPORTER, "AT", username="lukas-lead")
    eu_login.people(NORA)

    # Nora signs in with EU Login: no account, a form to ask for one, who she is already known.
    eu_login_form(page, "n00nora")
    expect(page.get_by_role("heading", level=1)).to_have_text("No access to the portal yet")
    expect(page.get_by_text("You ask as Nora New (nora.new@rtr.example)")).to_be_visible()
    page.get_by_role("button", name="Ask for access").click()  # nothing chosen: said beside each field
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    axe_check(page)
    page.get_by_label("The national authority you work for").select_option(label="Austria: Authority of Austria")
    page.get_by_label("Reporter", exact=True).check()
    page.get_by_label("Why you need access").fill("I prepare the 2026 assessment with Lukas.")
    page.get_by_role("button", name="Ask for access").click()
    waiting = "Your request to be Reporter of Authority of Austria waits for a decision."
    expect(page.get_by_text(waiting)).to_be_visible()
    axe_check(page)
    assert AccessRequest.objects.get().subject == "n00nora"
    assert lead.email in [message.to[0] for message in mail.outbox]

    # The authority's lead reporter decides: a refusal without a reason is refused beside the field, then approval.
    decider = log_in(browser, live_server, "lukas-lead")
    decider.goto("/authority/team/")
    decider.get_by_role("link", name="Access requests").click()
    expect(decider.get_by_role("heading", name="Nora New")).to_be_visible()
    axe_check(decider)
    decider.get_by_role("button", name="Refuse Nora New").click()
    expect(decider.get_by_text("Say why the request is refused: the person asking is told.").first).to_be_visible()
    axe_check(decider)
    decider.get_by_role("button", name="Approve Nora New").click()
    expect(decider.get_by_text("Nora New can now sign in with EU Login as Reporter of Authority of Austria.",
                               exact=True)).to_be_visible()
    expect(decider.get_by_text("No request waits for you.")).to_be_visible()
    nora = User.objects.get(email="nora.new@rtr.example")
    assert set(nora.roles) == {Role.REPORTER} and SocialAccount.objects.get(uid="n00nora").user == nora

    # Nora signs in again: her authority's page, as a reporter.
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with EU Login").click()
    expect(page).to_have_url(re.compile(r"/authority/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Austria")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
