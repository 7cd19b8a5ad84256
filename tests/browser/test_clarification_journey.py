"""Reviewer asks on two questions; the filer answers one and changes the other; resubmit; resolve; accept."""

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import ClarificationPoint, NationalAssessment, PointStatus
from tests import factories
from tests.assessments import helpers
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.long, pytest.mark.django_db(transaction=True)]


def test_the_clarification_loop_and_the_comparison_page(browser, live_server, axe_check):
    cycle = helpers.cycle_with_questionnaire()
    factories.user("reviewer", username="rita-reviewer")
    factories.user("reporter", "AT", username="anna-at")
    lead = factories.user("lead reporter", "AT", username="lukas-at")
    austria = helpers.fill(helpers.start(cycle, lead))
    services.assessment_submit(certify=True, assessment=austria, user=lead)
    lead_be = factories.user("lead reporter", "BE")
    services.assessment_submit(certify=True, assessment=helpers.fill(helpers.start(cycle, lead_be)), user=lead_be)

    page = log_in(browser, live_server, "rita-reviewer")
    page.goto(f"/assessments/{austria.pk}/versions/1/")
    page.get_by_role("link", name="Ask about R4").click()
    expect(page.get_by_label("Question")).to_have_value("scenarios|R4")
    # The field list offers only the chosen question's fields, and follows the question when it changes.
    fields = page.get_by_label("Field").locator("option")
    scenario_fields = ["The whole question", "Likelihood", "Impact", "Risk level", "Trend", "Justification"]
    expect(fields).to_have_text(scenario_fields)
    page.get_by_label("Question").select_option(
        label="Threat actors and threats – Insiders of operators or their service providers")
    expect(fields).to_have_text(["The whole question", "Capability", "Intent", "Note"])
    page.get_by_label("Question").select_option(label="Risk scenarios – R9 IoT (Internet of Things) exploitation")
    expect(fields).to_have_text(scenario_fields)
    page.get_by_label("Question").select_option("scenarios|R4")
    page.get_by_label("Field").select_option(label="Likelihood")
    page.get_by_label("What needs clarifying").fill("Why is R4 unlikely with one vendor in the core?")
    page.get_by_role("button", name="Add the question").click()
    page.get_by_role("link", name="Ask about SM03").click()
    page.get_by_label("What needs clarifying").fill("Is SM03 really only adopted, not applied?")
    page.get_by_role("button", name="Add the question").click()
    axe_check(page)
    page.get_by_role("button", name="Send 2 questions to Austria").click()
    expect(page.locator(".alert-success")).to_contain_text("2 questions sent")
    page.context.close()

    page = log_in(browser, live_server, "anna-at")
    page.get_by_role("link", name="Open Austria's assessment").click()
    axe_check(page)
    page.get_by_role("link", name="Risk scenarios – R4").click()
    page.get_by_label("Your answer to this question").fill("Two vendors share the core since 2019.")
    axe_check(page)
    page.get_by_role("button", name="Send the answer").click()
    expect(page.locator(".alert-success")).to_contain_text("Answer sent")
    page.goto(f"/assessments/{austria.pk}/sections/measures/")
    page.locator("#id_measures-2-status").select_option("applied")  # SM03 is the third measure
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("saved")
    page.context.close()

    page = log_in(browser, live_server, "lukas-at")
    page.goto(f"/assessments/{austria.pk}/submit/")
    page.locator("#certify").check()
    page.get_by_role("button", name="Submit to the Commission and ENISA").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Receipt of submission")
    page.context.close()

    page = log_in(browser, live_server, "rita-reviewer")
    page.goto(f"/assessments/{austria.pk}/versions/2/")
    # The page opens with the open points; each leads to its thread further down.
    summary = page.locator("#open-points")
    expect(summary).to_contain_text("2 open clarification points")
    expect(summary).to_contain_text("Two vendors share the core since 2019.")
    summary.get_by_role("link", name="Risk scenarios – R4").click()
    expect(page.locator("#points").get_by_text("Two vendors share the core since 2019.")).to_be_in_viewport()
    axe_check(page)
    page.get_by_role("link", name="What changed from version 1 to version 2").click()
    expect(page.get_by_role("cell", name="Applied")).to_be_visible()
    axe_check(page)
    page.go_back()
    page.get_by_role("button", name="Resolve Risk scenarios – R4").click()
    page.get_by_role("button", name="Resolve Mitigating measures – SM03").click()
    page.get_by_role("button", name="Accept version 2").click()
    expect(page.locator(".alert-success")).to_contain_text("Version 2 accepted")
    assert set(ClarificationPoint.objects.values_list("status", flat=True)) == {PointStatus.RESOLVED}
    assert NationalAssessment.objects.get(pk=austria.pk).status == "accepted"

    page.goto(f"/reporting/cycles/{cycle.pk}/compare/")
    page.get_by_label("Austria").check()
    page.get_by_label("Belgium").check()
    page.get_by_label("Section").select_option("measures")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("columnheader", name="Belgium")).to_be_visible()
    axe_check(page)
    page.context.close()
