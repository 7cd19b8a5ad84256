"""A German reporter's autosave with one invalid row and one valid one, in Chromium: the valid row is saved, the
invalid one stays on the page, refused, with its German message; after a reload too, and the next autosave of the
corrected row saves it without a conflict with the part already saved."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import MeasureStatus, Section, UnsavedInput
from assessments.questionnaire.sections import SectionForms
from tests import factories
from tests.assessments import helpers
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NOTE = "Befugnisse der Bundesnetzagentur durch die Novelle 2020 gestärkt."
NEEDS_DATE = "Geben Sie ein Zieldatum für eine Maßnahme an, die geplant oder in Vorbereitung ist."


def measure(draft, code):
    return MeasureStatus.objects.get(assessment=draft, version=None, measure__code=code)


def test_a_german_reporters_autosave_keeps_the_valid_row_and_shows_the_refused_one(browser, live_server,
                                                                                    axe_check):
    cycle = helpers.cycle_with_questionnaire()
    reporter = factories.user("reporter", "DE", username="de-reporter")
    draft = helpers.start(cycle, reporter)
    index = SectionForms(Section.MEASURES, draft, cycle.questionnaire).page_index
    sm01, sm02 = (f"#id_measures-{index[('measures', code)]}" for code in ("SM01", "SM02"))
    url = f"/assessments/{draft.pk}/sections/measures/"
    page = log_in(browser, live_server, "de-reporter", "de-DE")
    page.get_by_label("Language").select_option(label="Deutsch")  # chosen in the header, as a person would
    page.locator(".portal-language button").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.goto(url)
    page.locator(f"{sm01}-note").fill(NOTE)  # valid
    page.locator(f"{sm02}-status").select_option("planned")  # planned, and no target date: refused
    page.locator(f"{sm01}-note").focus()
    expect(page.locator(f"{sm02}-target_date-autosave-error")).to_have_text(NEEDS_DATE)
    expect(page.locator("#autosave-status")).to_contain_text(re.compile(r"^Gespeichert um .*außer den markierten"))
    assert measure(draft, "SM01").note == NOTE and measure(draft, "SM02").status == ""
    assert UnsavedInput.objects.get().data == {"measures.SM02.status": "planned"}
    # Typing on: the note goes from the base its save left (no conflict with itself), the refused row with it again.
    page.locator(f"{sm01}-note").fill(NOTE + " Seit 2021 in Kraft.")
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.locator(f"{sm02}-note").focus()
    assert answer.value.json()["status"] == "partial"
    expect(page.locator("#autosave-status")).to_contain_text(re.compile(r"^Gespeichert um .*außer den markierten"))
    expect(page.locator(f"{sm02}-target_date-autosave-error")).to_have_text(NEEDS_DATE)
    assert measure(draft, "SM01").note == NOTE + " Seit 2021 in Kraft." and measure(draft, "SM02").status == ""

    again = page.context.new_page()  # a reload, in a new tab: the page still warns on leaving, rightly
    again.goto(url)
    expect(again.locator(f"{sm01}-note")).to_have_value(NOTE + " Seit 2021 in Kraft.")  # saved
    expect(again.locator(f"{sm02}-status")).to_have_value("planned")  # refused, kept, and shown again...
    expect(again.locator(f"{sm02}-target_date")).to_have_attribute("aria-invalid", "true")
    expect(again.locator(f"#error_1_id_measures-{index[('measures', 'SM02')]}-target_date")).to_have_text(
        NEEDS_DATE)  # ...with its message beside the field, in German
    expect(again.locator("#error-summary")).to_contain_text(NEEDS_DATE)
    axe_check(again)

    # Corrected: the next autosave sends the refused row from its base, and nothing conflicts with the saved note.
    again.locator(f"{sm02}-target_date").fill("2021-06-30")
    with again.expect_response(lambda response: response.request.method == "POST") as answer:
        again.locator(f"{sm01}-note").focus()
    assert answer.value.json()["status"] == "saved"
    expect(again.locator("#autosave-status")).to_have_text(re.compile(r"^Gespeichert um [0-9:]+$"))
    assert (measure(draft, "SM02").status, str(measure(draft, "SM02").target_date)) == ("planned", "2021-06-30")
    assert measure(draft, "SM01").note == NOTE + " Seit 2021 in Kraft." and not UnsavedInput.objects.exists()
    page.context.close()
