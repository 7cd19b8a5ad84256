"""Reading the portal in one's own language: chosen in the header, kept on the account, used for one's emails."""

import datetime
import json
from pathlib import Path

import polib
import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from assessments import reminders
from assessments.models import RefusalReason
from portal.models import BRUSSELS, Role
from tests import factories
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


def translated(code, msgid):
    """What the catalogue says for `msgid` in `code`: the tests read the real catalogue, never a copy of it."""
    catalogue = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / "django.po"))
    text = catalogue.find(msgid).msgstr
    assert text and text != msgid
    return text


def test_a_signed_in_user_chooses_french_in_the_header_and_keeps_it(client, reporter_at):
    client.force_login(reporter_at)
    home = reverse("authority_home")
    assert 'lang="fr"' in client.get(home).content.decode()  # the switcher names French in French
    response = client.post(reverse("language"), {"language": "fr", "next": home})
    assert response.status_code == 302 and response["Location"] == home
    reporter_at.refresh_from_db()
    assert reporter_at.language == "fr"
    page = client.get(home)
    assert page["Content-Language"] == "fr"
    text = page.content.decode()
    assert '<html lang="fr">' in text and translated("fr", "Your reporting cycles") in text
    # Another browser, signed in as the same person, reads French too, whatever it asks for.
    other = type(client)()
    other.force_login(reporter_at)
    assert other.get(home, headers={"Accept-Language": "de"})["Content-Language"] == "fr"


def test_someone_not_signed_in_reads_the_browsers_language_and_may_choose(client):
    login = reverse("account_login")
    page = client.get(login, headers={"Accept-Language": "de-AT,de;q=0.9,en;q=0.5"})
    assert page["Content-Language"] == "de" and '<html lang="de">' in page.content.decode()
    client.post(reverse("language"), {"language": "fr", "next": login})
    assert client.get(login, headers={"Accept-Language": "de"})["Content-Language"] == "fr"


def test_an_unknown_language_or_a_foreign_next_changes_nothing(client, reporter_at):
    client.force_login(reporter_at)
    response = client.post(reverse("language"), {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    reporter_at.refresh_from_db()
    assert reporter_at.language == ""


def test_the_settings_page_keeps_the_language_on_the_account(client, reporter_at):
    client.force_login(reporter_at)
    client.post(reverse("account"), {"language": "de", "time_zone": "Europe/Vienna"})
    reporter_at.refresh_from_db()
    assert (reporter_at.language, reporter_at.time_zone) == ("de", "Europe/Vienna")
    assert client.get(reverse("account"))["Content-Language"] == "de"


def test_reminders_reach_a_french_lead_in_french_with_brussels_time_the_french_way(client):
    helpers.cycle_with_questionnaire(codes=["FR", "AT"])
    lead = factories.user(Role.LEAD_REPORTER, "FR")
    lead.language = "fr"
    lead.save()
    factories.user(Role.LEAD_REPORTER, "AT")
    mail.outbox.clear()
    with time_machine.travel(datetime.datetime(2019, 7, 1, 8, 0, tzinfo=BRUSSELS), tick=False):
        reminders.send_reminders()
    french = next(message for message in mail.outbox if message.to == [lead.email])
    english = next(message for message in mail.outbox if message.to != [lead.email])
    assert "lundi 15 juillet 2019" in french.body and "Monday 15 July 2019" in english.body
    assert translated("fr", "until midnight, Brussels time") in french.body
    assert "France" in french.subject and "Dear" not in french.body


def test_the_autosave_script_speaks_the_pages_language(client, draft, reporter_at):
    reporter_at.language = "de"
    reporter_at.save()
    client.force_login(reporter_at)
    page = client.get(reverse("assessments:section", args=[draft.pk, "scope"])).content.decode()
    words = json.loads(page.split('id="autosave-text" type="application/json">')[1].split("</script>")[0])
    assert words["saving"] == translated("de", "Saving…")
    assert words["readAs"] == "Gelesen als {number} %"  # what the script shows, with the number filled in


def test_the_calendar_feed_speaks_its_owners_language(client, reporter_at):
    helpers.cycle_with_questionnaire(title="2026 update", year=2026, due=datetime.date(2027, 7, 15))
    reporter_at.language = "de"
    reporter_at.save()
    feed = client.get(reverse("calendar_feed", args=[reporter_at.calendar_token])).content.decode()
    assert translated("de", "5G risk reporting deadlines") in feed


def test_a_german_reason_after_weil_ends_with_its_verb():
    """A refusal's reason is said inside "aufbewahrt, weil ...": a German clause after "weil" ends with its verb."""
    with translation.override("de"):
        said = {reason: translation.gettext("Unsaved input by %(who)s (%(at)s), kept because %(reason)s.") % {
            "who": "Anna", "at": "5. Feb., 14:30", "reason": reason.label} for reason in RefusalReason}
    assert said == {
        RefusalReason.INVALID: "Nicht gespeicherte Eingaben von Anna (5. Feb., 14:30), aufbewahrt, weil Korrekturen "
                               "nötig sind.",
        RefusalReason.CONFLICT: "Nicht gespeicherte Eingaben von Anna (5. Feb., 14:30), aufbewahrt, weil eine Kollegin "
                                "oder ein Kollege dieselben Felder geändert hat.",
        RefusalReason.LOCKED: "Nicht gespeicherte Eingaben von Anna (5. Feb., 14:30), aufbewahrt, weil der Entwurf "
                              "gesperrt war.",
    }
