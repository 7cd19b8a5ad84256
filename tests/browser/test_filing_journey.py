"""The filer's whole journey in a real browser, with an axe-core check of every page visited."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import AssessmentVersion, NationalAssessment, ScenarioRating
from tests import factories
from tests.assessments import helpers
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):
    return {
        "reporter": factories.user("reporter", "AT", username="anna-at"),
        "lead": factories.user("lead reporter", "AT", username="lukas-at"),
        "reviewer": factories.user("reviewer", username="rita-reviewer"),
    }


def choose_everywhere(page, suffix, value):
    for select in page.locator(f"select[name$='-{suffix}']").all():
        select.select_option(value)


def save_and_continue(page, axe_check):
    axe_check(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".alert-success")).to_contain_text("saved")


def test_file_submit_return_amend_resubmit(browser, live_server, people, axe_check):
    cycle = helpers.cycle_with_questionnaire()

    # A reporter fills every section.
    page = log_in(browser, live_server, "anna-at")
    axe_check(page)
    page.get_by_role("button", name="Start the national assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Austria")
    axe_check(page)
    page.get_by_role("link", name="Scope and method").click()

    # Autosave: what is typed is saved without pressing Save, and survives a reload.
    page.get_by_label("Summary").fill("Risks are highest in the core network and in the RAN.")
    page.get_by_label("Contributing authorities").focus()
    expect(page.locator("#autosave-status")).to_contain_text("Saved at", timeout=10000)
    page.reload()
    expect(page.get_by_label("Summary")).to_have_value("Risks are highest in the core network and in the RAN.")
    page.get_by_label("Contributing authorities").fill("RTR\nFederal Chancellery")
    page.get_by_label("Method used").select_option("iso27005")
    page.get_by_label("Operators consulted").fill("A1 Telekom Austria, Magenta, Drei")
    save_and_continue(page, axe_check)

    expect(page.get_by_role("heading", level=1)).to_have_text("Threat actors and threats")
    choose_everywhere(page, "capability", "4")
    choose_everywhere(page, "intent", "3")
    choose_everywhere(page, "relevance", "2")
    save_and_continue(page, axe_check)

    expect(page.get_by_role("heading", level=1)).to_have_text("Key assets")
    choose_everywhere(page, "sensitivity", "5")
    save_and_continue(page, axe_check)

    expect(page.get_by_role("heading", level=1)).to_have_text("Suppliers")
    page.get_by_role("combobox", name=re.compile("^Supplier")).select_option(label="Ericsson")
    page.get_by_role("button", name="Add supplier").click()
    page.get_by_label("Core network share (%)").fill("55")
    page.get_by_label("Access/RAN share (%)").fill("40")
    for code in ["RP1", "RP2", "RP3", "RP4", "RP5"]:
        page.get_by_label(re.compile(f"{code}:")).select_option("no")
    page.get_by_label("Overall risk profile").select_option("low")
    page.get_by_label("Justification").fill("EU-headquartered supplier.")
    save_and_continue(page, axe_check)

    expect(page.get_by_role("heading", level=1)).to_have_text("Risk scenarios")
    choose_everywhere(page, "likelihood", "2")
    choose_everywhere(page, "impact", "2")
    choose_everywhere(page, "trend", "stable")
    # R4 rated high without a justification: the level shows as the user types, the save is refused.
    page.locator("#id_scenarios-3-likelihood").select_option("5")
    page.locator("#id_scenarios-3-impact").select_option("4")
    expect(page.locator("output[data-prefix='scenarios-3']")).to_have_text("Critical")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#item-R4")).to_contain_text("a justification is required")
    expect(page.locator("#id_scenarios-3-likelihood")).to_have_value("5")  # nothing typed is lost
    axe_check(page)
    page.locator("#id_scenarios-3-justification").fill("One supplier holds 55% of the core network.")
    save_and_continue(page, axe_check)

    expect(page.get_by_role("heading", level=1)).to_have_text("Mitigating measures")
    choose_everywhere(page, "status", "adopted")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("saved")
    page.get_by_role("link", name="Back to the overview").click()
    expect(page.locator(".badge", has_text="answers missing")).to_have_count(0)
    page.context.close()

    # The lead reporter submits and downloads the receipt.
    page = log_in(browser, live_server, "lukas-at")
    page.get_by_role("link", name="Open Austria's assessment").click()
    page.get_by_role("link", name="Review and submit").click()
    expect(page.get_by_role("heading", name="Summary of what you are about to submit")).to_be_visible()
    axe_check(page)
    page.locator("#certify").check()
    page.get_by_role("button", name="Submit to the Commission and ENISA").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Receipt of submission")
    version_1 = AssessmentVersion.objects.get(number=1)
    expect(page.locator("#version-sha256")).to_have_text(version_1.sha256)
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the receipt (PDF)").click()
    assert download.value.suggested_filename == "receipt-AT-v1.pdf"
    page.context.close()

    # A reviewer returns it, naming one section.
    page = log_in(browser, live_server, "rita-reviewer")
    page.get_by_role("link", name=cycle.title, exact=True).click()
    expect(page).to_have_url(re.compile(r"/cycles/\d+/submissions/$"))
    axe_check(page)
    page.get_by_role("link", name="Austria").click()
    expect(page.get_by_role("link", name="Return for clarification")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Return for clarification").click()
    page.get_by_label("What to clarify in “Risk scenarios”").fill("Why is R9 (IoT) rated low?")
    page.locator("#id_item_scenarios").fill("R9")
    page.get_by_label("Message to the member state").fill("One point to clarify.")
    axe_check(page)
    page.get_by_role("button", name="Return for clarification").click()
    expect(page.locator(".alert-success")).to_contain_text("Returned to Austria")
    page.context.close()

    # The reporter sees the point at the question and amends.
    page = log_in(browser, live_server, "anna-at")
    page.get_by_role("link", name="Open Austria's assessment").click()
    expect(page.get_by_text("Why is R9 (IoT) rated low?")).to_be_visible()
    page.get_by_role("link", name=re.compile("Risk scenarios – R9")).click()
    expect(page.locator("#item-R9")).to_contain_text("Why is R9 (IoT) rated low?")
    axe_check(page)
    page.locator("#id_scenarios-8-likelihood").select_option("4")
    page.locator("#id_scenarios-8-impact").select_option("3")
    page.locator("#id_scenarios-8-justification").fill("Mass IoT deployments from 2020.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("saved")
    page.context.close()

    # The lead reporter resubmits: version 2; version 1 is unchanged.
    page = log_in(browser, live_server, "lukas-at")
    page.get_by_role("link", name="Open Austria's assessment").click()
    page.get_by_role("link", name="Review and submit").click()
    page.locator("#certify").check()
    page.get_by_role("button", name="Submit to the Commission and ENISA").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Receipt of submission")
    page.context.close()

    assessment = NationalAssessment.objects.get()
    assert assessment.status == "submitted"
    version_1.refresh_from_db()
    assert version_1.snapshot == AssessmentVersion.objects.get(number=1).snapshot
    assert ScenarioRating.objects.get(version=version_1, scenario__code="R9").level == "low"
    assert ScenarioRating.objects.get(version__number=2, scenario__code="R9").level == "high"
