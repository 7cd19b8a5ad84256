"""Admins run the calendar; reviewers read the figures. Every page visited passes axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_filing_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_sets_up_a_cycle_and_a_reviewer_reads_its_timeliness(browser, live_server, axe_check):
    factories.user("admin", username="ada-admin")
    factories.user("reviewer", username="rita-reviewer")

    page = log_in(browser, live_server, "ada-admin")
    expect(page).to_have_url(re.compile("/manage/$"))
    axe_check(page)
    page.get_by_role("link", name="New reporting cycle").click()
    page.get_by_label("Title").fill("2021 national risk assessments")
    page.get_by_label("Year").fill("2021")
    page.get_by_label("Starts on").fill("2021-01-15")
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2021 national risk assessments")
    expect(page.get_by_text("27 member states")).to_be_visible()

    page.get_by_role("link", name="Add a milestone").click()
    page.get_by_label("Code").fill("NRA-SUBMIT")
    page.get_by_label("Title").fill("National assessment sent")
    page.get_by_label("Scope").select_option("member_state")
    page.get_by_label("Due date").fill("2021-07-15")
    page.get_by_label("Met by the national submission").check()
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="15 Jul 2021, 23:59:59")).to_be_visible()

    page.get_by_role("link", name="Grant an extension for NRA-SUBMIT").click()
    page.get_by_label("Member state").select_option(label="Malta")
    page.get_by_label("Extended until").fill("2021-07-31")
    page.get_by_label("Reason").fill("Elections")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Malta: 31 Jul 2021, 23:59 – Elections")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Close the cycle").click()
    expect(page.locator(".alert-success")).to_contain_text("Cycle closed")
    page.context.close()

    page = log_in(browser, live_server, "rita-reviewer")
    page.get_by_role("link", name="Dashboard 2021 national risk assessments").click()
    page.get_by_label("Figures as of").fill("2021-07-20")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("As of 20 July 2021")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Malta Extended"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Austria Not submitted, overdue"))).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Settings and calendar").click()
    expect(page.get_by_label("Calendar address (iCalendar)")).to_have_value(re.compile(r"/calendar/.+\.ics$"))
    axe_check(page)
    page.context.close()
