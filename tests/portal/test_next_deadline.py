import datetime

import pytest
import time_machine
from django.urls import reverse

from portal import services
from portal.deadlines import BRUSSELS
from tests import factories
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_the_next_effective_deadline_in_brussels_and_in_the_users_zone(
    client, reporter_at, admin_user
):
    cycle = factories.CycleFactory(title="2019 national risk assessments")
    milestone = factories.MilestoneFactory(cycle=cycle, code="NRA-SUBMIT", title="Send the assessment",
                                           due_date=datetime.date(2019, 7, 15), tracks_submission=True)
    reporter_at.time_zone = "America/New_York"
    reporter_at.save()
    client.force_login(reporter_at)
    with time_machine.travel(datetime.datetime(2019, 7, 13, 23, 59, 59, tzinfo=BRUSSELS), tick=False):
        page = client.get(reverse("authority_home")).content.decode()
        assert "Send the assessment" in page
        # Until midnight in Brussels: 18:00 the same day in New York.
        assert "Monday 15 July 2019" in page and "until midnight, Brussels time" in page and "15 July, 18:00" in page
        assert "2 days left" in page
        assert "not started" in page
        services.extension_grant(milestone=milestone, member_state=reporter_at.member_state,
                                 due_date=datetime.date(2019, 7, 31), due_time=None, reason="Government formation",
                                 user=admin_user)
        page = client.get(reverse("authority_home")).content.decode()
        assert "Wednesday 31 July 2019" in page
        assert "Extended from 15 July 2019: Government formation" in page


def test_a_deadline_passed_without_a_submission_shows_as_overdue_on_the_home_page_and_the_overview(
    client, reporter_at
):
    cycle = helpers.cycle_with_questionnaire(title="2020 implementation of the EU Toolbox",
                                             due=datetime.date(2020, 4, 30), starts_on=datetime.date(2020, 2, 1))
    draft = helpers.start(cycle, reporter_at)
    client.force_login(reporter_at)
    with time_machine.travel(datetime.datetime(2020, 5, 2, 9, 0, tzinfo=BRUSSELS), tick=False):
        home = client.get(reverse("authority_home")).content.decode()
        overview = client.get(reverse("assessments:overview", args=[draft.pk])).content.decode()
    assert "Overdue" in home and "was due by 30 April 2020; nothing has been submitted yet" in home
    assert "No national deadline ahead" in home
    assert "Overdue" in overview and "The deadline has passed and nothing has been submitted yet." in overview


def test_a_closed_cycle_reopened_for_a_member_state_shows_on_its_home_page_with_open_until(
    client, reporter_at, reporter_fr, admin_user
):
    cycle = helpers.cycle_with_questionnaire()
    draft = helpers.start(cycle, reporter_at)
    services.cycle_close(cycle=cycle)
    client.force_login(reporter_at)
    assert cycle.title not in client.get(reverse("authority_home")).content.decode()
    services.reopening_grant(cycle=cycle, member_state=reporter_at.member_state, reason="Parliament", user=admin_user,
                             until=datetime.datetime(2030, 9, 30, 18, 0, tzinfo=BRUSSELS))
    home = client.get(reverse("authority_home")).content.decode()
    assert cycle.title in home and "open until 30 September 2030, 18:00" in home
    assert reverse("assessments:overview", args=[draft.pk]) in home
    overview = client.get(reverse("assessments:overview", args=[draft.pk])).content.decode()
    assert "open until 30 September 2030, 18:00" in overview
    client.force_login(reporter_fr)
    assert cycle.title not in client.get(reverse("authority_home")).content.decode()


def test_the_home_page_and_the_reviewers_pages_judge_a_member_state_alike_before_and_after_an_extension(
    client, reporter_at, reviewer, admin_user
):
    """Lateness is read in one place (assessments.population.lateness): the member state's home page, the
    dashboard and the submissions list never disagree about it."""
    cycle = helpers.cycle_with_questionnaire(title="2020 implementation of the EU Toolbox", codes=["AT", "FR"],
                                             due=datetime.date(2020, 4, 30), starts_on=datetime.date(2020, 2, 1))
    helpers.start(cycle, reporter_at)

    def pages():
        client.force_login(reporter_at)
        home = client.get(reverse("authority_home")).content.decode()
        client.force_login(reviewer)
        dashboard = client.get(reverse("reporting:dashboard", args=[cycle.pk])).content.decode()
        austria = dashboard[dashboard.index(">Austria<"):][:600]
        return "Overdue" in home, "Not submitted, overdue" in austria, "Extended, not yet due" in austria

    with time_machine.travel(datetime.datetime(2020, 5, 2, 9, 0, tzinfo=BRUSSELS), tick=False):
        assert pages() == (True, True, False)
        services.extension_grant(milestone=cycle.submission_milestone, member_state=reporter_at.member_state,
                                 due_date=datetime.date(2020, 5, 31), due_time=None, reason="Strike",
                                 user=admin_user)
        assert pages() == (False, False, True)
