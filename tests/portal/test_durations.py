"""Durations read as people say them ("60 days left", "3 months left"), in the reader's language, on the pages and
in the emails that say how long is left, how late a submission came or how long to wait."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation

from assessments import reminders
from portal.deadlines import BRUSSELS
from portal.lib.durations import duration_in_words
from tests import factories
from tests.assessments import helpers

DUE = datetime.date(2019, 7, 15)
END_OF_DUE_DAY = datetime.datetime(2019, 7, 16, tzinfo=BRUSSELS)  # "by 15 July": until midnight in Brussels

# (time left, English, German): one unit, the largest that reads naturally, in whole units.
SAID = [
    (datetime.timedelta(days=1), "1 day", "1 Tag"),
    (datetime.timedelta(days=2), "2 days", "2 Tage"),
    (datetime.timedelta(days=30), "30 days", "30 Tage"),
    (datetime.timedelta(days=60), "60 days", "60 Tage"),
    (datetime.timedelta(days=61), "2 months", "2 Monate"),
    (datetime.timedelta(days=91), "3 months", "3 Monate"),
    (datetime.timedelta(days=200), "6 months", "6 Monate"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("left, english, german", SAID)
def test_the_home_page_says_the_time_left_as_people_say_it_in_english_and_in_german(
        client, reporter_at, left, english, german):
    cycle = factories.CycleFactory(title="2019 national risk assessments", starts_on=datetime.date(2018, 10, 1))
    factories.MilestoneFactory(cycle=cycle, code="NRA-SUBMIT", title="Send the assessment", due_date=DUE,
                               tracks_submission=True)
    client.force_login(reporter_at)
    with time_machine.travel(END_OF_DUE_DAY - left, tick=False):
        page = client.get(reverse("authority_home")).content.decode()
        assert f"<strong>{english} left</strong>" in page
        reporter_at.language = "de"
        reporter_at.save()
        page = client.get(reverse("authority_home")).content.decode()
        assert f"<strong>noch {german}</strong>" in page
    assert "week" not in page and "Woche" not in page


@pytest.mark.parametrize("delta, english, german", [
    (datetime.timedelta(seconds=0.4), "less than a minute", "weniger als eine Minute"),
    (datetime.timedelta(minutes=1), "1 minute", "1 Minute"),
    (datetime.timedelta(minutes=45), "45 minutes", "45 Minuten"),
    (datetime.timedelta(hours=1, minutes=59), "1 hour", "1 Stunde"),
    (datetime.timedelta(days=1, hours=2), "1 day", "1 Tag"),
    (datetime.timedelta(days=2, hours=23), "2 days", "2 Tage"),  # what is left is never overstated
    (datetime.timedelta(days=364), "12 months", "12 Monate"),
    (datetime.timedelta(days=365), "1 year", "1 Jahr"),
    (datetime.timedelta(days=800), "2 years", "2 Jahre"),
    (-datetime.timedelta(days=3), "3 days", "3 Tage"),  # late by: the sentence says which way
])
def test_every_unit_is_pluralised_in_the_readers_language(delta, english, german):
    with translation.override("en"):
        assert duration_in_words(delta) == english
    with translation.override("de"):
        assert duration_in_words(delta) == german


@pytest.mark.django_db
def test_a_late_submission_says_by_how_long_on_the_dashboard_and_the_receipt(client, submit, reviewer):
    cycle = helpers.cycle_with_questionnaire(codes=["AT"])
    version = submit(cycle, "AT", END_OF_DUE_DAY + datetime.timedelta(days=61, hours=5))
    client.force_login(reviewer)
    dashboard = client.get(reverse("reporting:dashboard", args=[cycle.pk]), {"as_of": "2019-12-31"})
    assert re.search(r"Submitted late by 2 months\s*<", dashboard.content.decode())
    receipt = client.get(reverse("assessments:receipt", args=[version.assessment.pk, 1])).content.decode()
    assert "the first version was submitted late, by 2 months</dd>" in receipt


@pytest.mark.django_db
def test_a_lockout_says_how_long_it_lasts(client, admin_user, settings):
    client.force_login(admin_user)
    for hours, said in ((0.5, "30 minutes"), (1, "1 hour"), (2, "2 hours")):
        settings.AXES_COOLOFF_TIME = hours
        page = client.get(reverse("lockouts")).content.decode()
        assert f"is locked at that address for {said}; elsewhere it is not. Failures of the last {said}:" in page


@pytest.mark.django_db
def test_a_reminder_says_how_long_is_left_in_its_subject(reporter_at):
    cycle = helpers.cycle_with_questionnaire(codes=["AT"])
    cycle.reminder_days = "60,1"
    cycle.save()
    reporter_at.language = "de"
    reporter_at.save()
    for day, left in ((datetime.date(2019, 5, 16), "noch 60 Tage"), (datetime.date(2019, 7, 14), "noch 1 Tag")):
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=BRUSSELS), tick=False):
            reminders.send_reminders()
        assert mail.outbox[-1].subject.endswith(left), mail.outbox[-1].subject
