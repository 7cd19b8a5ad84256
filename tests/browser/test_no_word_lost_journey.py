"""No word lost, none changed, tried as filers would in Chromium: decimal commas, two colleagues, a slow network,
a lock arriving while typing, an error far down the page. axe-core checks every page."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessments.models import ScopeAnswer, Supplier, SupplierPresence, UnsavedInput
from portal import services as portal_services
from tests import factories
from tests.assessments import helpers
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(db):
    cycle = helpers.cycle_with_questionnaire()
    anna = factories.user("reporter", "AT", username="anna-at")
    factories.user("reporter", "AT", username="bernd-at")
    draft = helpers.start(cycle, anna)
    return {"cycle": cycle, "draft": draft}


@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
def test_a_decimal_comma_is_read_as_typed_in_every_locale(browser, live_server, axe_check, world, locale):
    draft = world["draft"]
    SupplierPresence.objects.create(assessment=draft, supplier=Supplier.objects.get(name="Nokia"))
    page = log_in(browser, live_server, "anna-at", locale)
    page.goto(f"/assessments/{draft.pk}/sections/suppliers/")
    share = page.get_by_label("Core network share (%)")
    share.fill("2,5")
    expect(page.locator("#id_suppliers-0-share_core-reading")).to_have_text("Read as 2.5 %")
    share.blur()
    expect(page.locator("#autosave-status")).to_contain_text("Saved at")
    assert SupplierPresence.objects.get(assessment=draft, version=None).share_core == Decimal("2.5")
    share.fill("ca. 5")
    expect(page.locator("#id_suppliers-0-share_core-reading")).to_contain_text("Not a number")
    share.blur()
    expect(page.locator("#id_suppliers-0-share_core-autosave-error")).to_contain_text("is not a number")
    assert SupplierPresence.objects.get(assessment=draft, version=None).share_core == Decimal("2.5")
    axe_check(page)
    page.context.close()


def test_two_colleagues_merge_field_by_field_and_settle_the_one_they_both_changed(
    browser, live_server, axe_check, world
):
    draft = world["draft"]
    url = f"/assessments/{draft.pk}/sections/scope/"
    anna, bernd = log_in(browser, live_server, "anna-at"), log_in(browser, live_server, "bernd-at")
    anna.goto(url)
    bernd.goto(url)  # both opened the section at revision 0
    anna.get_by_label("Summary").fill("Anna's summary")
    anna.get_by_label("Operators consulted").focus()
    expect(anna.locator("#autosave-status")).to_contain_text("Saved at")

    bernd.get_by_label("Operators consulted").fill("Bernd's operators")  # another field: merged, no conflict
    bernd.get_by_label("Method details").focus()
    expect(bernd.locator("#autosave-status")).to_contain_text(
        "A colleague's change to 1 field was merged in and is shown.")  # one, in the singular
    expect(bernd.get_by_label("Summary")).to_have_value("Anna's summary")  # Anna's change now shows on his page
    anna.get_by_label("Summary").fill("Anna's second summary")  # Anna changes it again...
    anna.get_by_label("Operators consulted").focus()
    expect(anna.locator("#autosave-status")).to_contain_text("Saved at")
    bernd.get_by_label("Summary").fill("Bernd's summary")  # ...while Bernd changes it too, from her first text
    bernd.get_by_label("Contributing authorities").focus()
    expect(bernd.get_by_role("alert")).to_contain_text("a colleague changed some of the same fields")
    bernd.get_by_role("button", name="Show the fields and choose").click()
    conflict = bernd.locator("#conflict")
    expect(conflict).to_be_focused()
    expect(conflict.get_by_role("row", name=re.compile("Summary"))).to_contain_text("Anna's second summary")
    expect(conflict.get_by_role("row", name=re.compile("Summary"))).to_contain_text("Bernd's summary")
    expect(conflict.get_by_role("row")).to_have_count(2)  # the header and the one field both changed
    axe_check(bernd)
    bernd.get_by_role("button", name="Save with these choices").click()  # "Yours" is chosen by default
    expect(bernd.locator(".alert-success")).to_contain_text("Saved with the versions you chose")
    scope = ScopeAnswer.objects.get(assessment=draft, version=None)
    assert (scope.summary, scope.operators_consulted) == ("Bernd's summary", "Bernd's operators")
    bernd.get_by_role("link", name=re.compile("History of this section")).click()
    expect(bernd.get_by_role("cell", name="Anna's second summary").first).to_be_visible()  # kept in the history
    axe_check(bernd)
    anna.context.close()
    bernd.context.close()


def test_a_slow_network_never_makes_a_user_conflict_with_themself(browser, live_server, world):
    draft = world["draft"]
    page = log_in(browser, live_server, "anna-at")
    page.goto(f"/assessments/{draft.pk}/sections/scope/")

    def slowly(route):
        page.wait_for_timeout(1500)
        route.continue_()

    page.route(re.compile(r".*/sections/scope/$"), lambda route: slowly(route) if route.request.method == "POST"
               else route.continue_())
    page.get_by_label("Summary").fill("Typed, then Save at once")
    page.get_by_label("Operators consulted").focus()  # an autosave leaves, slowly
    page.get_by_label("Operators consulted").fill("More typing")
    page.get_by_role("button", name="Save", exact=True).click()  # waits for the autosave, then sends its revision
    expect(page.locator(".alert-success")).to_contain_text("saved")
    expect(page.locator("body")).not_to_contain_text("colleague")
    scope = ScopeAnswer.objects.get(assessment=draft, version=None)
    assert (scope.summary, scope.operators_consulted) == ("Typed, then Save at once", "More typing")
    assert not UnsavedInput.objects.exists()
    page.context.close()


def test_a_lock_arriving_while_typing_keeps_the_text_and_says_so(browser, live_server, axe_check, world):
    draft = world["draft"]
    page = log_in(browser, live_server, "anna-at")
    page.goto(f"/assessments/{draft.pk}/sections/scope/")
    portal_services.cycle_close(cycle=world["cycle"])  # an admin closes the cycle while Anna types
    page.get_by_label("Summary").fill("Typed just after the lock")
    page.get_by_label("Operators consulted").focus()
    expect(page.get_by_role("alert")).to_contain_text("What you typed is kept as your unsaved input")
    assert UnsavedInput.objects.get().data["scope.summary"] == "Typed just after the lock"
    with page.expect_event("dialog") as warning:  # still not saved: leaving still warns
        page.close(run_before_unload=True)
    assert warning.value.type == "beforeunload"
    warning.value.dismiss()
    # She opens the section again (in a new tab: a reload races Chromium's choice of asking twice when loaded).
    again = page.context.new_page()
    again.goto(f"/assessments/{draft.pk}/sections/scope/")
    expect(again.locator(".alert-info")).to_contain_text("kept because the draft was locked")
    expect(again.get_by_label("Summary")).to_have_value("")  # the read-only page shows what is saved
    axe_check(again)
    page.context.close()


def test_a_refused_save_puts_focus_on_an_error_summary_that_links_to_the_field(browser, live_server, axe_check,
                                                                              world):
    draft = world["draft"]
    page = log_in(browser, live_server, "anna-at")
    page.goto(f"/assessments/{draft.pk}/sections/scenarios/")
    page.locator("#id_scenarios-8-likelihood").select_option("5")  # R9, at the bottom of the page
    page.locator("#id_scenarios-8-impact").select_option("5")
    page.get_by_role("button", name="Save", exact=True).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(summary).to_contain_text("a justification is required")
    summary.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile("#id_scenarios-8-justification$"))
    expect(page.locator("#id_scenarios-8-likelihood")).to_have_value("5")  # what was typed is shown again
    axe_check(page)
    page.context.close()
