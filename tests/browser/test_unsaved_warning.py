"""Leaving a section with typed changes that have not reached the server asks first."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.assessments import helpers
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leaving_with_unsent_changes_warns_and_after_autosave_does_not(browser, live_server):
    cycle = helpers.cycle_with_questionnaire()
    reporter = factories.user("reporter", "AT", username="anna-at")
    draft = helpers.start(cycle, reporter)
    page = log_in(browser, live_server, "anna-at")
    page.goto(f"/assessments/{draft.pk}/sections/scope/")

    page.get_by_label("Summary").type("Typed but not yet sent")  # autosave waits 3 s after typing
    with page.expect_event("dialog") as warning:
        page.close(run_before_unload=True)
    assert warning.value.type == "beforeunload"
    warning.value.dismiss()  # the user chooses to stay
    expect(page.get_by_label("Summary")).to_have_value("Typed but not yet sent")

    page.get_by_label("Contributing authorities").focus()  # leaving the field saves at once
    expect(page.locator("#autosave-status")).to_contain_text("Saved at")
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.type))
    page.close(run_before_unload=True)
    page.wait_for_event("close")
    assert dialogs == [] and page.is_closed()
