import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from portal.models import BRUSSELS, Extension, Milestone
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(admin_user):
    cycle = factories.cycle(title="2019 national risk assessments")
    submit = factories.milestone(cycle, code="NRA-SUBMIT", title="Send the assessment", tracks_submission=True)
    factories.milestone(cycle, code="EU-CRA", title="EU coordinated risk assessment", scope=Milestone.Scope.EU,
                        due=datetime.date(2019, 10, 1))
    Extension.objects.create(milestone=submit, member_state=factories.member_state("AT"),
                             due_date=datetime.date(2019, 7, 31), reason="Elections", granted_by=admin_user)
    return cycle


def feed(client, user):
    response = client.get(reverse("calendar_feed", args=[user.calendar_token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar):
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_holds_the_users_effective_deadlines(client, cycle, reporter_at, reporter_fr):
    at = events(feed(client, reporter_at))
    assert at["NRA-SUBMIT: Send the assessment"].decoded("dtstart") == datetime.datetime(
        2019, 7, 31, 23, 59, 59, tzinfo=BRUSSELS)
    assert "Extended from 15 July 2019: Elections" in str(at["NRA-SUBMIT: Send the assessment"]["description"])
    assert at["EU-CRA: EU coordinated risk assessment"].decoded("dtstart") == datetime.datetime(
        2019, 10, 1, 23, 59, 59, tzinfo=BRUSSELS)
    fr = events(feed(client, reporter_fr))
    assert fr["NRA-SUBMIT: Send the assessment"].decoded("dtstart") == datetime.datetime(
        2019, 7, 15, 23, 59, 59, tzinfo=BRUSSELS)


def test_an_unknown_or_reset_token_gives_404(client, cycle, reporter_at):
    assert client.get(reverse("calendar_feed", args=["not-a-token"])).status_code == 404
    old = reporter_at.calendar_token
    client.force_login(reporter_at)
    client.post(reverse("calendar_reset"))
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    reporter_at.refresh_from_db()
    assert reporter_at.calendar_token != old
    assert client.get(reverse("calendar_feed", args=[reporter_at.calendar_token])).status_code == 200


def test_a_cycle_not_covering_the_member_state_is_not_in_its_feed(client, cycle, reporter_at):
    other = factories.cycle(title="France only", codes=["FR"])
    factories.milestone(other, code="FR-ONLY")
    assert not any(s.startswith("FR-ONLY") for s in events(feed(client, reporter_at)))


def test_the_settings_page_shows_the_feed_address_and_saves_the_time_zone(client, reporter_at):
    client.force_login(reporter_at)
    page = client.get(reverse("account")).content.decode()
    assert reporter_at.calendar_token in page
    client.post(reverse("account"), {"time_zone": "Europe/Lisbon"})
    reporter_at.refresh_from_db()
    assert reporter_at.time_zone == "Europe/Lisbon"
    assert client.post(reverse("account"), {"time_zone": "Mars/Olympus"}).status_code == 200
    reporter_at.refresh_from_db()
    assert reporter_at.time_zone == "Europe/Lisbon"
