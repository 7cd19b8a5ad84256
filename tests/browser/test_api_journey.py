"""The API in a browser: its documentation page runs from the portal's own files under the same
Content-Security-Policy; a user makes, copies once and revokes a personal token on the account page."""

import re

import pytest
from playwright.sync_api import expect

from portal.models import Role
from tests import factories
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_documentation_renders_every_operation_from_vendored_assets(page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/docs/")
    expect(page.get_by_role("heading", name="Coordinated 5G risk reporting portal API")).to_be_visible()
    expect(page.get_by_text("/api/v1/assessments/{id}/sections/{code}/").first).to_be_visible()
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    assert requested and all(url.startswith(page.url.split("/api/")[0]) for url in requested), requested


def test_a_reporter_makes_a_token_copies_it_once_and_revokes_it(browser, live_server, axe_check):
    factories.user(Role.REPORTER, "AT", username="anna-at")
    page = log_in(browser, live_server, "anna-at")
    page.goto("/account/")
    expect(page.get_by_text("You have no API token.")).to_be_visible()
    page.get_by_label("Name").fill("risk register")
    page.get_by_label("Scope").select_option(label="Read and write")
    page.get_by_label("Valid for (days)").fill("30")
    page.get_by_role("button", name="Make a token").click()
    token = page.get_by_label("Your new token", exact=True).input_value()
    assert token.startswith("5gp_")
    expect(page.get_by_role("row", name=re.compile("risk register"))).to_contain_text("Read and write")
    axe_check(page)

    page.goto("/account/")
    expect(page.get_by_label("Your new token", exact=True)).to_have_count(0)  # shown once
    page.get_by_role("button", name="Revoke “risk register”").click()
    expect(page.locator(".alert-success")).to_contain_text("Token revoked: it no longer works.")
    expect(page.get_by_text("You have no API token.")).to_be_visible()
    axe_check(page)
