"""Admins run the calendar; reviewers read the figures, now and as of a past day. axe-core checks every page."""

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.dateformat import format as date_format
from playwright.sync_api import expect

from tests import factories
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_sets_up_a_cycle_and_a_reviewer_reads_its_timeliness(browser, live_server, axe_check):
    factories.user("admin", username="ada-admin")
    factories.user("reviewer", username="rita-reviewer")
    today = timezone.localdate()
    starts, due, extended = today - datetime.timedelta(days=30), today + datetime.timedelta(days=60), \
        today + datetime.timedelta(days=76)

    page = log_in(browser, live_server, "ada-admin")
    expect(page).to_have_url(re.compile("/manage/$"))
    axe_check(page)
    page.get_by_role("link", name="New reporting cycle").click()
    page.get_by_label("Title").fill("National risk assessments update")
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_label("Starts on").fill(starts.isoformat())
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("National risk assessments update")
    expect(page.get_by_text("27 member states asked")).to_be_visible()

    page.get_by_role("link", name="Add a milestone").click()
    page.get_by_label("Code").fill("NRA-SUBMIT")
    page.get_by_label("Title").fill("National assessment sent")
    page.get_by_label("Scope").select_option("member_state")
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_label("Met by the national submission").check()
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name=date_format(due, "j M Y"), exact=True)).to_be_visible()

    page.get_by_role("link", name="Grant an extension for NRA-SUBMIT").click()
    page.get_by_label("Member state").select_option(label="Malta")
    page.get_by_label("Extended until").fill(extended.isoformat())
    page.get_by_label("Reason").fill("Elections")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"Malta: {date_format(extended, 'j M Y')} – Elections")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Close the cycle").click()
    expect(page.get_by_text("27 member states will be locked")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Close the cycle").click()
    expect(page.locator(".alert-success")).to_contain_text("Cycle closed")
    page.context.close()

    page = log_in(browser, live_server, "rita-reviewer")
    page.get_by_role("link", name="Dashboard National risk assessments update").click()
    expect(page.get_by_role("row", name=re.compile("^Malta Extended, not yet due"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Austria Not yet due"))).to_be_visible()
    axe_check(page)
    # As of yesterday the extension, granted today, was not yet in force.
    yesterday = today - datetime.timedelta(days=1)
    page.get_by_label("Figures as of").fill(yesterday.isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text(f"As of {date_format(yesterday, 'j F Y')}")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Malta Not yet due"))).to_be_visible()
    page.get_by_role("link", name="Settings and calendar").click()
    expect(page.get_by_label("Calendar address (iCalendar)")).to_have_value(re.compile(r"/calendar/.+\.ics$"))
    axe_check(page)
    page.context.close()
