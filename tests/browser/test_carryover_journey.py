"""A lead reporter starts this year's assessment from last year's answers, reads them, and submits, in Chromium."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import AssessmentVersion, CarriedAnswer, ScopeAnswer
from tests import factories
from tests.assessments import helpers
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAST_YEAR = "Risks are highest in the core network."


def test_prefill_confirm_a_section_edit_a_field_and_submit(browser, live_server, axe_check):
    lead = factories.user("lead reporter", "AT", username="lukas-at")
    earlier = helpers.cycle_with_questionnaire()
    austria = helpers.fill(services.assessment_start(cycle=earlier, member_state=lead.member_state, user=lead))
    services.assessment_submit(certify=True, assessment=austria, user=lead)
    helpers.cycle_with_questionnaire(title="2026 update", year=2026, starts_on=datetime.date(2026, 1, 1),
                                     due=datetime.date(2027, 7, 15))

    page = log_in(browser, live_server, "lukas-at")
    page.get_by_role("button", name="Start the national assessment – 2026 update").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Start Austria's assessment for 2026 update")
    axe_check(page)
    page.get_by_label(re.compile("From our last submitted answers in 2019 national risk assessments")).check()
    page.get_by_role("button", name="Start the national assessment").click()

    # The overview says where the draft came from and what is still to read.
    expect(page.locator("#prefill")).to_contain_text("Started from your answers in 2019 national risk assessments")
    expect(page.locator(".section-carried").first).to_be_visible()
    axe_check(page)

    # One section confirmed in one action.
    page.get_by_role("link", name=re.compile("Threat actors and threats")).click()
    expect(page.locator("#carried-summary")).to_be_visible()
    details = page.locator("details.earlier-answer").first
    details.locator("summary").click()
    expect(details).to_contain_text("Your answer in 2019 national risk assessments (version 1)")
    axe_check(page)
    page.get_by_role("button", name="All of them still hold: confirm this section").click()
    expect(page.locator(".alert-success")).to_contain_text("confirmed as still holding")
    expect(page.locator("#carried-summary")).to_have_count(0)

    # A field edited is a field read: its mark goes, the rest of the section's stays.
    page.goto(page.url.replace("/threats/", "/scope/"))
    expect(page.get_by_label("Summary")).to_have_value(LAST_YEAR)
    expect(page.locator("#carried-scope")).to_contain_text("Summary")
    page.get_by_label("Summary").fill("Since 2019 the RAN carries as much risk as the core.")
    page.get_by_label("Contributing authorities").focus()
    expect(page.locator("#autosave-status")).to_contain_text("Saved at", timeout=10000)
    expect(page.locator("#carried-scope")).not_to_contain_text("Summary")
    expect(page.locator("#carried-scope")).to_contain_text("Operators consulted")
    assert not CarriedAnswer.objects.unconfirmed().filter(key="scope.summary").exists()
    assert CarriedAnswer.objects.unconfirmed().filter(key="scope.operators_consulted").exists()

    # The submit page lists what nobody confirmed, and asks.
    page.goto(page.url.split("/sections/")[0] + "/submit/")
    expect(page.locator("#carried")).to_contain_text("Scope and method")
    expect(page.locator("#carried")).not_to_contain_text("Threat actors and threats")
    axe_check(page)
    page.locator("#certify").check()
    page.get_by_role("button", name="Submit to the Commission and ENISA").click()
    expect(page.locator("#confirm-carried-error")).to_contain_text("Confirm that you have read")
    axe_check(page)
    page.get_by_label("I have read these carried-over answers: they still hold").check()
    page.locator("#certify").check()
    page.get_by_role("button", name="Submit to the Commission and ENISA").click()
    expect(page.locator(".alert-success")).to_contain_text("Version 1 submitted")
    version = AssessmentVersion.objects.get(assessment__cycle__year=2026)
    assert version.snapshot["answers"]["scope"]["summary"].startswith("Since 2019")
    assert ScopeAnswer.objects.get(version=version).operators_consulted == "A1 Telekom, Magenta, Drei"
    assert not CarriedAnswer.objects.unconfirmed().exists()
