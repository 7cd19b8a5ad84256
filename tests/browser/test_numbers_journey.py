"""A German filer's numbers: read by the server's own rule while typing, totalled and shown back in German."""

import time
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessments.models import Supplier, SupplierPresence
from tests import factories
from tests.assessments import helpers
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_german_filers_shares_are_read_totalled_and_shown_back_in_german(browser, live_server):
    cycle = helpers.cycle_with_questionnaire()
    anna = factories.user("reporter", "AT", username="anna-at")
    draft = helpers.start(cycle, anna)
    for name in ("Nokia", "Ericsson"):
        SupplierPresence.objects.create(assessment=draft, supplier=Supplier.objects.get(name=name))
    page = log_in(browser, live_server, "anna-at", "de-DE")
    anna.language = "de"  # her account's language, as chosen on her account page: every page from now is German
    anna.save(update_fields=["language"])
    page.goto(f"/assessments/{draft.pk}/sections/suppliers/")
    ericsson, nokia = page.locator("#id_suppliers-0-share_core"), page.locator("#id_suppliers-1-share_core")
    ericsson.fill("1.000")  # a thousands separator, or three decimals: the server's rule refuses to guess
    expect(page.locator("#id_suppliers-0-share_core-reading")).to_contain_text("Mehrdeutig")
    row = page.locator("#segment-shares tr[data-segment='share_core']")
    expect(row.locator(".listed")).to_have_text("—")  # what cannot be read is not counted
    ericsson.fill("12,5")
    nokia.fill("20")
    expect(page.locator("#id_suppliers-0-share_core-reading")).to_contain_text("12,5")
    expect(row.locator(".listed")).to_have_text("32,5")
    expect(row.locator(".remainder")).to_have_text("67,5")
    nokia.blur()
    expect(page.locator("#autosave-status")).to_contain_text("Gespeichert")
    wait_for(lambda: set(SupplierPresence.objects.filter(assessment=draft, version=None).values_list(
        "share_core", flat=True)) == {Decimal("12.5"), Decimal("20")})  # both autosaves answered
    page.reload()
    expect(page.locator("#id_suppliers-0-share_core")).to_have_value("12,5")
    expect(row.locator(".listed")).to_have_text("32,5")
    expect(row.locator(".remainder")).to_have_text("67,5")
    page.context.close()



def wait_for(condition, timeout=15):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "not saved in time"
        time.sleep(0.1)
