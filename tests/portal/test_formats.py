"""Dates the way each language writes them: "Friday 5 February 2027", "vendredi 5 février 2027", "Freitag,
5. Februar 2027", from one named format per purpose (portal/formats/), on the pages and in the emails."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import formats

from assessments import reminders
from portal.formats import NAMED
from portal.models import BRUSSELS, Role
from tests import factories
from tests.assessments import helpers

ROOT = Path(__file__).resolve().parent.parent.parent
FRIDAY = datetime.date(2027, 2, 5)
# A format written in a template or in the code: the date and time filters and the portal's date tags, or a call.
WRITTEN = [re.compile(r"""\|(?:date|time):(["'])(?P<format>[^"']*)\1"""),
           re.compile(r"""\{%\s*(?:brussels|deadline|in_zone)\s[^%]*?(["'])(?P<format>[^"']*)\1"""),
           re.compile(r"""(?:date_format|time_format)\([^)"']*?,\s*(["'])(?P<format>[^"']*)\1""")]


def test_every_language_offered_writes_every_named_format():
    missing = [(code, name) for code, _language in settings.LANGUAGES for name in NAMED
               if formats.get_format(name, lang=code) == name]  # Django gives back a name nobody defines
    assert missing == []


def test_no_template_or_module_writes_a_formats_letters():
    sources = [*(ROOT / "templates").rglob("*.html"), *(ROOT / "templates").rglob("*.txt"),
               *(path for app in ("portal", "assessments", "reporting") for path in (ROOT / app).rglob("*.py"))]
    written = {(str(path.relative_to(ROOT)), match["format"]) for path in sources for pattern in WRITTEN
               for match in pattern.finditer(path.read_text())}
    # "c" is ISO 8601 for machines (a <time datetime>), the same in every language.
    assert {(path, fmt) for path, fmt in written if fmt not in NAMED and fmt != "c"} == set()
    assert len(written) > 40  # the check reads what it should


def reader(code):
    user = factories.user(Role.LEAD_REPORTER, "AT" if code == "de" else "FR")
    user.language = code
    user.save()
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("code, weekday_date, date", [
    ("de", "Freitag, 5. Februar 2027", "5. Februar 2027"),
    ("fr", "vendredi 5 février 2027", "5 février 2027"),
])
def test_the_home_page_writes_a_deadline_with_its_weekday_and_a_past_one_without(client, code, weekday_date, date):
    helpers.cycle_with_questionnaire(title="2027 update", year=2027, due=FRIDAY, starts_on=datetime.date(2027, 1, 4))
    user = reader(code)
    pages = {}
    for day in (1, 8):  # before the deadline and after it; signed in that day (sessions end when idle)
        with time_machine.travel(datetime.datetime(2027, 2, day, 9, 0, tzinfo=BRUSSELS), tick=False):
            client.force_login(user)
            pages[day] = client.get(reverse("authority_home")).content.decode()
    ahead, passed = pages[1], pages[8]
    assert weekday_date in ahead
    assert date in passed and weekday_date not in passed  # "was due by", in the overdue notice


@pytest.mark.django_db
def test_reminders_write_the_deadline_with_its_weekday_in_each_readers_language():
    helpers.cycle_with_questionnaire(title="2027 update", year=2027, due=FRIDAY, starts_on=datetime.date(2027, 1, 4),
                                     codes=["AT", "FR", "BE"])
    german, french = reader("de"), reader("fr")
    factories.user(Role.LEAD_REPORTER, "BE")
    mail.outbox.clear()
    with time_machine.travel(datetime.datetime(2027, 1, 22, 8, 0, tzinfo=BRUSSELS), tick=False):
        reminders.send_reminders()
    bodies = {tuple(message.to): message.body + str(message.alternatives) for message in mail.outbox}
    assert "Freitag, 5. Februar 2027" in bodies.pop((german.email,))
    assert "vendredi 5 février 2027" in bodies.pop((french.email,))
    assert ["Friday 5 February 2027" in body for body in bodies.values()] == [True]
