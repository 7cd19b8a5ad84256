import re

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reporter_logs_in_sees_the_home_page_and_logs_out(page, axe_check):
    reporter = factories.user("reporter", "AT", username="anna-at")
    factories.MilestoneFactory(cycle=factories.CycleFactory(title="2019 national risk assessments"), code="NRA-SUBMIT")

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    axe_check(page)

    page.get_by_label("Username").fill(reporter.username)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text("The username and/or password you specified are not correct.")).to_be_visible()
    axe_check(page)

    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/authority/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Austria")
    expect(page.get_by_role("heading", name="2019 national risk assessments")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto("/authority/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/authority/"))
