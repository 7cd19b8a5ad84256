import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from portal import services
from portal.models import Milestone, ReportingCycle
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(admin_user):
    cycle = factories.CycleFactory(title="2019 national risk assessments")
    submit = factories.MilestoneFactory(cycle=cycle, code="NRA-SUBMIT", title="Send the assessment",
                                        tracks_submission=True)
    factories.MilestoneFactory(cycle=cycle, code="EU-CRA", title="EU coordinated risk assessment",
                               scope=Milestone.Scope.EU, due_date=datetime.date(2019, 10, 1))
    factories.MilestoneFactory(cycle=cycle, code="NOON", title="A noon deadline", due_date=datetime.date(2019, 9, 1),
                               due_time=datetime.time(12, 0))
    factories.ExtensionFactory(milestone=submit, member_state=factories.member_state("AT"), granted_by=admin_user)
    return cycle


def feed(client, user):
    response = client.get(reverse("calendar_feed", args=[user.calendar_token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar):
    return {str(e["summary"]).split(":")[0]: e for e in calendar.walk("VEVENT")}


def test_the_feed_holds_the_users_effective_deadlines_as_whole_days(client, cycle, reporter_at, reporter_fr):
    at = events(feed(client, reporter_at))
    # "By 31 July" is the whole of 31 July in every calendar, not a moment.
    assert at["NRA-SUBMIT"].decoded("dtstart") == datetime.date(2019, 7, 31)
    assert at["NRA-SUBMIT"].decoded("dtend") == datetime.date(2019, 8, 1)
    assert "Extended from 15 July 2019: Elections" in str(at["NRA-SUBMIT"]["description"])
    assert at["EU-CRA"].decoded("dtstart") == datetime.date(2019, 10, 1)
    assert at["NOON"].decoded("dtstart").isoformat() == "2019-09-01T12:00:00+02:00"
    fr = events(feed(client, reporter_fr))
    assert fr["NRA-SUBMIT"].decoded("dtstart") == datetime.date(2019, 7, 15)


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
    other = factories.CycleFactory(title="France only", covering=["FR"])
    factories.MilestoneFactory(cycle=other, code="FR-ONLY")
    assert "FR-ONLY" not in events(feed(client, reporter_at))


def test_a_closed_cycle_reopened_for_a_member_state_stays_in_its_feed_only(
    client, cycle, admin_user, reporter_at, reporter_fr
):
    services.cycle_close(cycle=cycle)
    assert "NRA-SUBMIT" not in events(feed(client, reporter_at))
    services.reopening_grant(cycle=ReportingCycle.objects.get(pk=cycle.pk), member_state=reporter_at.member_state,
                             until=None, reason="Parliament", user=admin_user)
    assert "NRA-SUBMIT" in events(feed(client, reporter_at))
    assert "NRA-SUBMIT" not in events(feed(client, reporter_fr))


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
