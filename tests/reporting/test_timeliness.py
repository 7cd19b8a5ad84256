import datetime

import pytest
from django.urls import reverse

from assessments import services
from portal.models import BRUSSELS, Extension
from reporting.timeliness import State, timeliness
from tests import factories
from tests.assessments import helpers

pytestmark = pytest.mark.django_db

UTC = datetime.timezone.utc


def brussels(*args):
    return datetime.datetime(*args, tzinfo=BRUSSELS)


def submit(cycle, code, at):
    lead = factories.user("lead reporter", code)
    assessment = services.assessment_start(cycle=cycle, member_state=lead.member_state, user=lead)
    helpers.fill(assessment)
    return services.assessment_submit(assessment=assessment, user=lead, now=at)


@pytest.fixture
def five(admin_user):
    """AT on time, BE late by 1 day 2 hours, DE extended, FR overdue, PL submitted after the as-of day."""
    cycle = helpers.cycle_with_questionnaire(title="Five", codes=["AT", "BE", "DE", "FR", "PL"])
    submit(cycle, "AT", brussels(2019, 7, 15, 23, 59, 59))
    submit(cycle, "BE", brussels(2019, 7, 17, 1, 59, 59))
    submit(cycle, "PL", brussels(2019, 7, 21, 10, 0))
    Extension.objects.create(milestone=cycle.milestones.get(), member_state=factories.member_state("DE"),
                             due_date=datetime.date(2019, 7, 31), reason="Elections", granted_by=admin_user)
    return cycle


def test_the_figures_of_a_hand_built_cycle_of_five(five):
    report = timeliness(five, now=brussels(2019, 7, 20, 23, 59, 59))
    states = {ms.eu_code: cells[0] for ms, cells in report.rows}
    assert {code: cell.state for code, cell in states.items()} == {
        "AT": State.ON_TIME, "BE": State.LATE, "DE": State.EXTENDED, "FR": State.OVERDUE, "PL": State.OVERDUE}
    assert states["BE"].late_by == datetime.timedelta(days=1, hours=2)
    assert states["DE"].due == brussels(2019, 7, 31, 23, 59, 59)
    figures = report.figures[0]
    assert (figures.expected, figures.submitted, figures.on_time, figures.late, figures.missing, figures.not_due) == (
        5, 2, 1, 1, 2, 1)
    assert [row[2] for row in figures.rows] == [100.0, 40.0, 20.0, 20.0, 40.0, 20.0]
    # Later, PL's submission counts, late; DE's extension has run out.
    later = {ms.eu_code: cells[0].state for ms, cells in timeliness(five, now=brussels(2019, 8, 1, 0, 0)).rows}
    assert (later["PL"], later["DE"]) == (State.LATE, State.OVERDUE)


def test_a_member_state_that_left_before_the_due_date_is_not_applicable(db):
    cycle = helpers.cycle_with_questionnaire(title="Brexit-spanning", codes=["UK", "IE"],
                                             due=datetime.date(2020, 4, 30))
    report = timeliness(cycle, now=brussels(2020, 5, 1, 12, 0))
    states = {ms.eu_code: cells[0].state for ms, cells in report.rows}
    assert states == {"UK": State.NOT_APPLICABLE, "IE": State.OVERDUE}
    assert report.figures[0].expected == 1


@pytest.mark.parametrize("due, last_on_time_utc", [
    (datetime.date(2019, 3, 31), datetime.datetime(2019, 3, 31, 21, 59, 59, tzinfo=UTC)),  # first day of summer time
    (datetime.date(2019, 10, 27), datetime.datetime(2019, 10, 27, 22, 59, 59, tzinfo=UTC)),  # first day of winter time
])
def test_the_deadline_edge_is_the_end_of_the_day_in_brussels_across_clock_changes(db, due, last_on_time_utc):
    cycle = helpers.cycle_with_questionnaire(title=f"Due {due}", codes=["AT", "BE"], due=due)
    submit(cycle, "AT", last_on_time_utc)
    submit(cycle, "BE", last_on_time_utc + datetime.timedelta(seconds=1))
    states = {ms.eu_code: cells[0].state for ms, cells in timeliness(cycle, now=last_on_time_utc + datetime.timedelta(
        days=1)).rows}
    assert states == {"AT": State.ON_TIME, "BE": State.LATE}


def test_the_dashboard_page_shows_the_figures_as_of_a_day(client, reviewer, five):
    client.force_login(reviewer)
    page = client.get(reverse("reporting:dashboard", args=[five.pk]), {"as_of": "2019-07-20"}).content.decode()
    assert "As of 20 July 2019, 23:59" in page
    assert "Submitted late by 1 day, 2 hours" in page
    assert "extended until 31 Jul 2019" in page


def test_the_dashboard_runs_the_same_queries_for_five_or_twenty_seven_member_states(
    client, reviewer, five, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(reviewer)
    url = reverse("reporting:dashboard", args=[five.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    everyone = helpers.cycle_with_questionnaire(title="EU28")
    for code in ["AT", "BE", "DE"]:
        submit(everyone, code, brussels(2019, 7, 10, 12, 0))
    with django_assert_num_queries(len(small)):
        client.get(reverse("reporting:dashboard", args=[everyone.pk]))


def test_authority_staff_get_404_on_the_dashboard(client, reporter_at, five):
    client.force_login(reporter_at)
    assert client.get(reverse("reporting:dashboard", args=[five.pk])).status_code == 404
