import datetime

import pytest
from django.urls import reverse

from assessments.population import Timeliness
from portal.deadlines import BRUSSELS
from portal.models import Role
from reporting.timeliness import dashboard
from tests import factories
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


def brussels(*args):
    return datetime.datetime(*args, tzinfo=BRUSSELS)


@pytest.fixture
def five(admin_user, submit):
    """AT on time, BE late by 1 day 2 hours, DE extended, FR overdue, PL submitted after the as-of day."""
    cycle = helpers.cycle_with_questionnaire(title="Five", codes=["AT", "BE", "DE", "FR", "PL"])
    submit(cycle, "AT", brussels(2019, 7, 15, 23, 59, 59))
    submit(cycle, "BE", brussels(2019, 7, 17, 2, 0, 0))
    submit(cycle, "PL", brussels(2019, 7, 21, 10, 0))
    factories.ExtensionFactory(milestone=cycle.milestones.get(), member_state=factories.member_state("DE"),
                               granted_by=admin_user, granted_at=brussels(2019, 7, 10, 9, 0))
    return cycle


def test_the_figures_of_a_hand_built_cycle_of_five(five):
    report = dashboard(five, at=brussels(2019, 7, 20, 23, 59, 59))
    states = {m.member_state.eu_code: m for m in report.members}
    assert {code: m.css_state for code, m in states.items()} == {
        "AT": "on_time", "BE": "late", "DE": "extended", "FR": "overdue", "PL": "overdue"}
    assert states["BE"].late_by == datetime.timedelta(days=1, hours=2)
    assert states["DE"].deadline.ends_at == brussels(2019, 8, 1, 0, 0)
    figures = report.figures
    assert (figures.expected, figures.submitted, figures.on_time, figures.late, figures.missing, figures.not_due) == (
        5, 2, 1, 1, 2, 1)
    assert figures.submitted + figures.missing + figures.not_due == figures.expected
    assert [row[2] for row in figures.rows] == [100.0, 40.0, 20.0, 20.0, 40.0, 20.0]
    # Later, PL's submission counts, late; DE's extension has run out.
    later = {m.member_state.eu_code: m.state for m in dashboard(five, at=brussels(2019, 8, 1, 0, 0)).members}
    assert (later["PL"], later["DE"]) == (Timeliness.LATE, Timeliness.OVERDUE)


def test_a_member_state_that_was_not_a_member_on_the_reference_date_is_not_counted(db, submit):
    # An old row covering the UK in a 2020 cycle (admins can no longer add one) does not make it expected.
    cycle = helpers.cycle_with_questionnaire(title="2020", codes=["IE"], due=datetime.date(2020, 4, 30),
                                             starts_on=datetime.date(2020, 2, 1), year=2020)
    uk = factories.member_state("UK")
    cycle.coverages.create(member_state=uk, since=cycle.starts_at)
    report = dashboard(cycle, at=brussels(2020, 5, 1, 12, 0))
    assert [m.member_state.eu_code for m in report.members] == ["IE"]
    assert report.figures.expected == 1


@pytest.mark.parametrize("at", [brussels(2019, 7, 16, 12), brussels(2019, 7, 20, 12), brussels(2019, 7, 22, 0)])
def test_what_records_a_population_counts_as_the_pages_do(five, submit, at):
    """A review's request reads the population as plain values: the same member states, versions and lateness as
    the pages' models, as of any instant (here with a second version, an extension, a late, an overdue one)."""
    from assessments import services
    from assessments.models import NationalAssessment
    from assessments.population import cycle_population, population_values

    austria = NationalAssessment.objects.get(cycle=five, member_state__eu_code="AT")
    services.assessment_return(assessment=austria, user=factories.user(Role.REVIEWER), points=[("scope", "", "?")])
    submit(five, "AT", brussels(2019, 7, 18, 9, 0), fill=False)
    uk = factories.member_state("UK")
    five.coverages.create(member_state=uk, since=five.starts_at)  # a member in 2019: counted, overdue
    models = sorted((m.member_state.eu_code, m.latest.pk if m.latest else None, m.latest.number if m.latest else None,
                     m.state, m.deadline.ends_at if m.deadline else None) for m in cycle_population(five, at=at))
    values = [(c.eu_code, c.version_id, c.number, c.lateness.state,
               c.lateness.deadline.ends_at if c.lateness.deadline else None) for c in population_values(five, at=at)]
    assert values == models and len(values) == 6
    assert dict((code, number) for code, _version, number, *_rest in values)["AT"] == (1 if at.day < 18 else 2)


@pytest.mark.parametrize("due, last_on_time_utc", [
    (datetime.date(2019, 3, 31), datetime.datetime(2019, 3, 31, 21, 59, 59, 999999, tzinfo=datetime.UTC)),
    (datetime.date(2019, 10, 27), datetime.datetime(2019, 10, 27, 22, 59, 59, 999999, tzinfo=datetime.UTC)),
    (datetime.date(2019, 7, 15), datetime.datetime(2019, 7, 15, 21, 59, 59, 999999, tzinfo=datetime.UTC)),
    (datetime.date(2020, 1, 15), datetime.datetime(2020, 1, 15, 22, 59, 59, 999999, tzinfo=datetime.UTC)),
])
def test_the_last_microsecond_of_the_day_in_brussels_is_on_time_and_midnight_is_late(db, submit, due,
                                                                                      last_on_time_utc):
    cycle = helpers.cycle_with_questionnaire(title=f"Due {due}", codes=["AT", "BE"], due=due)
    submit(cycle, "AT", last_on_time_utc)
    submit(cycle, "BE", last_on_time_utc + datetime.timedelta(microseconds=1))
    states = {m.member_state.eu_code: m.state
              for m in dashboard(cycle, at=last_on_time_utc + datetime.timedelta(days=1)).members}
    assert states == {"AT": Timeliness.ON_TIME, "BE": Timeliness.LATE}


def test_the_dashboard_page_shows_the_figures_as_of_a_day(client, reviewer, five):
    client.force_login(reviewer)
    page = client.get(reverse("reporting:dashboard", args=[five.pk]), {"as_of": "2019-07-20"}).content.decode()
    assert "As of 20 July 2019, 23:59" in page
    assert "Submitted late by 1 day<br>" in page  # 1 day and 2 hours: said in its largest unit
    assert "extended until 31 Jul 2019" in page
    assert "How these figures are computed" in page


def test_the_dashboard_runs_the_same_queries_for_five_or_twenty_eight_member_states(
    client, reviewer, five, submit, same_queries
):
    client.force_login(reviewer)
    shown = [five]

    def grow():
        everyone = helpers.cycle_with_questionnaire(title="EU28")
        for code in ["AT", "BE", "DE", "EL", "UK"]:
            submit(everyone, code, brussels(2019, 7, 10, 12, 0))
        shown[0] = everyone

    same_queries(lambda: client.get(reverse("reporting:dashboard", args=[shown[0].pk])), grow)


def test_authority_staff_get_404_on_the_dashboard(client, reporter_at, five):
    client.force_login(reporter_at)
    assert client.get(reverse("reporting:dashboard", args=[five.pk])).status_code == 404
