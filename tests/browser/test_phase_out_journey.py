"""A filer keeps the phase-out tracker; a reviewer reads the EU view of it. axe-core checks every page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments import services
from tests import factories
from tests.assessments import helpers
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_filer_fills_the_tracker_and_a_reviewer_reads_the_eu_view(browser, live_server, axe_check):
    cycle = helpers.phase_out_cycle(codes=["AT", "FR"])
    reporter = factories.user("reporter", "AT", username="anna-at")
    lead = factories.user("lead reporter", "AT", username="lukas-at")
    factories.user("reviewer", username="rita-reviewer")
    assessment = helpers.fill(helpers.start(cycle, reporter))

    page = log_in(browser, live_server, "anna-at")
    page.goto(reverse("assessments:overview", args=[assessment.pk]))
    page.get_by_role("link", name="Phase-out tracker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phase-out tracker")
    axe_check(page)
    page.get_by_label("Mobile network operator").fill("Operator A")
    page.get_by_label("Key asset class").select_option(label="Core network functions")
    page.get_by_label("High-risk supplier").select_option(index=1)  # Huawei, the first designated
    page.get_by_label("Planned removal date").fill("2028-06-30")
    page.get_by_label("Progress (%)").fill("140")
    page.get_by_label("Note").fill("Core swap in two phases.")
    page.get_by_role("button", name="Add the row").click()
    expect(page.locator("#error-summary")).to_contain_text("Progress (%)")
    expect(page.get_by_label("Note")).to_have_value("Core swap in two phases.")  # nothing typed is lost
    axe_check(page)
    page.get_by_label("Progress (%)").fill("40")
    page.get_by_role("button", name="Add the row").click()
    expect(page.locator(".alert-success")).to_contain_text("Row added")
    row = page.locator("#phase-out-rows tbody tr")
    expect(row).to_contain_text("Operator A")
    expect(row).to_contain_text("On track")
    page.get_by_role("link", name=re.compile("^Edit")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phase-out row")
    axe_check(page)
    page.get_by_label("Planned removal date").fill("2029-09-30")
    page.get_by_role("button", name="Save the row").click()
    expect(page.locator("#phase-out-rows tbody tr")).to_contain_text("At risk")
    page.context.close()

    services.assessment_submit(certify=True, assessment=assessment, user=lead)
    page = log_in(browser, live_server, "rita-reviewer")
    page.goto(reverse("assessments:submissions", args=[cycle.pk]))
    page.get_by_role("link", name="Phase-out tracker").click()
    expect(page.locator("#phase-out-overview tfoot")).to_contain_text("EU total")
    expect(page.locator("#phase-out-overview tbody")).to_contain_text("Austria")
    axe_check(page)
    page.context.close()
