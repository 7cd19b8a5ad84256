"""Counts read as sentences: "1 question sent", never "1 questions sent", in English and in the other languages.

Each count a page or a message shows goes through ngettext / {% blocktranslate count %}; these tests read the pages
(and the script's texts) at a count of one and of several."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.views.draft import autosave_text
from tests.assessments import helpers

pytestmark = pytest.mark.django_db

# "1 questions", "1 days", "1 suppliers"...: a count of one glued to a plural noun.
ONE_AND_A_PLURAL = re.compile(r"\b1\s+(?:[a-z-]+\s+)?(questions|days|suppliers|attachments|fields|rows|minutes|"
                              r"member states|answers|hours)\b")


def test_sending_one_question_says_one_question(client, draft, lead_at, reviewer):
    helpers.fill(draft)
    services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    client.force_login(reviewer)
    nothing = client.post(reverse("assessments:send_points", args=[draft.pk]), follow=True)  # nothing written yet
    assert "There was no unsent question: nothing was sent." in nothing.content.decode()
    client.post(reverse("assessments:ask", args=[draft.pk]), {"question": "scenarios|R4", "field": "",
                                                              "message": "Why is R4 low?"}, follow=True)
    sent = client.post(reverse("assessments:send_points", args=[draft.pk]), follow=True).content.decode()
    assert "1 question sent; the assessment is returned to Austria." in sent
    assert not ONE_AND_A_PLURAL.search(sent)


def test_the_submit_page_counts_one_supplier_and_one_attachment_in_the_singular(client, draft, lead_at):
    helpers.fill(draft)  # one supplier, no attachment
    client.force_login(lead_at)
    page = client.get(reverse("assessments:submit", args=[draft.pk])).content.decode()
    assert "1 supplier described; 0 attachments." in page
    assert not ONE_AND_A_PLURAL.search(page)


def test_the_cycle_page_names_each_reminder_day_as_a_duration(client, admin_user):
    cycle = helpers.cycle_with_questionnaire(codes=["AT"])
    cycle.reminder_days = "14,7,1"
    cycle.save()
    client.force_login(admin_user)
    page = client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert "Reminders before the deadline: 14 days, 7 days, 1 day." in page
    assert not ONE_AND_A_PLURAL.search(page)


@pytest.mark.parametrize("language, one, several", [
    ("en", "A colleague's change to {n} field was merged in and is shown.",
     "A colleague's changes to {n} fields were merged in and are shown."),
    ("de", "Die Änderung einer Kollegin oder eines Kollegen an {n} Feld wurde zusammengeführt und wird angezeigt.",
     "Die Änderungen einer Kollegin oder eines Kollegen an {n} Feldern wurden zusammengeführt und werden "
     "angezeigt."),
])
def test_the_autosave_script_gets_both_forms_of_a_count(language, one, several):
    """static/js/autosave.js picks the form by the page language's plural rule (Intl.PluralRules)."""
    with translation.override(language):
        assert autosave_text()["merged"] == {"one": one, "other": several}
