"""A reviewer builds and publishes the EU review; a filer reads it. axe-core checks every page."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_publishes_the_review_and_a_filer_reads_it(browser, live_server, axe_check, celery_worker, four):
    factories.user("reviewer", username="rita-reviewer")
    factories.user("reporter", "AT", username="anna-at")

    page = log_in(browser, live_server, "rita-reviewer")
    page.goto(f"/reporting/cycles/{four.pk}/reviews/")
    axe_check(page)
    page.get_by_role("button", name="Build the review of the current submissions").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("EU coordinated review")
    # No reload by hand: the page polls the build (htmx) and shows the review once the worker is done.
    expect(page.get_by_role("link", name="Publish to the member states…")).to_be_visible(timeout=30000)
    expect(page.get_by_role("img", name="Member states rating each scenario high or critical")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=re.compile("By member state")).click()
    expect(page.get_by_role("img", name="Risk levels by member state and scenario")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Provenance"))).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=re.compile("Review [0-9]+")).click()
    # The XLSX is made by the worker too: its progress page offers it once ready (tests/browser/test_export_journey.py).
    page.get_by_role("button", name="XLSX", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Download the XLSX")).click(timeout=30000)
    assert download.value.suggested_filename.endswith(".xlsx")
    page.get_by_role("link", name="Back to the review").click()
    # Publishing is decided on a page that says what, to whom and what it replaces.
    page.get_by_role("link", name="Publish to the member states…").click()
    expect(page.get_by_text("current: of the submissions as they stand")).to_be_visible()
    expect(page.get_by_text("Nothing: no review of this cycle is published now.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Publish to 5 member states").click()
    expect(page.get_by_text("Published to the member states")).to_be_visible()
    page.context.close()

    page = log_in(browser, live_server, "anna-at")
    page.get_by_role("link", name="Read the published EU coordinated review").click()
    expect(page.get_by_role("img", name="Member states at each status, by Toolbox measure")).to_be_visible()
    expect(page.get_by_text("Risk levels by member state")).to_have_count(0)
    axe_check(page)
    page.context.close()
