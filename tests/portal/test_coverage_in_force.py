"""One rule for "in force at an instant" (portal/models/cycles.py): started (inclusive), not yet ended (exclusive).

The edge reviewers found: a coverage that starts in the future is not in force now, on every page and queryset that
asks, and becomes so at its first instant.
"""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from assessments.population import cycle_population
from portal import services
from portal.models import BRUSSELS, CycleCoverage, Extension, MemberState, Reopening, ReportingCycle
from reporting import publishing
from reporting import services as review_services
from reporting.models import CoordinatedReview
from tests import factories
from tests.api.helpers import ApiClient, token_for
from tests.assessments import helpers
from tests.pages import publish

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2027, 1, 10, 12, 0, tzinfo=BRUSSELS)
STARTS = datetime.datetime(2027, 2, 1, 0, 0, tzinfo=BRUSSELS)  # the cycle's first instant


def member_state_count(page, title):
    """The "member states" cell of the cycle's row in the reviewers' and admins' table of cycles."""
    row = re.search(rf"<tr><td>[^\n]*?{re.escape(title)}.*?</tr>", page, re.S).group(0)
    return int(re.findall(r"<td>(\d+)</td>", row)[1])  # its year, then its member states


def what_austria_sees(client, reporter_at, cycle, api):
    """Whether each place an Austrian reporter could meet the cycle shows it."""
    client.force_login(reporter_at)
    api = api.get(reverse("api_cycles")).json()
    return {
        "queryset": ReportingCycle.objects.visible_to(reporter_at).filter(pk=cycle.pk).exists(),
        "files in": ReportingCycle.objects.current_for(reporter_at.member_state).filter(pk=cycle.pk).exists(),
        "home page": cycle.title in client.get(reverse("authority_home")).content.decode(),
        "API": any(c["id"] == cycle.pk for c in api["results"]),
        "start page": client.get(reverse("assessments:start", args=[cycle.pk])).status_code != 404,
    }


def test_a_coverage_starting_in_the_future_is_in_force_nowhere_until_its_first_instant(
        client, reporter_at, reviewer, admin_user):
    with time_machine.travel(TODAY, tick=False):
        api = ApiClient(token_for(reporter_at, days=60))
        cycle = helpers.cycle_with_questionnaire(title="2027 review", year=2027, starts_on=STARTS.date(),
                                                 due=datetime.date(2027, 6, 30), codes=["AT", "FR"])
        assert set(CycleCoverage.objects.filter(cycle=cycle).values_list("since", flat=True)) == {STARTS}

        assert not cycle.covered_member_states().exists()
        assert cycle_population(cycle) == []
        assert what_austria_sees(client, reporter_at, cycle, api) == dict.fromkeys(
            ["queryset", "files in", "home page", "API", "start page"], False)
        client.force_login(reviewer)
        assert member_state_count(client.get(reverse("review_home")).content.decode(), "2027 review") == 0
        # The admins' coverage page edits whom the cycle will ask: both, although neither is asked yet.
        assert sorted(m.eu_code for m in cycle.asked_member_states()) == ["AT", "FR"]
        client.force_login(admin_user)
        page = client.get(reverse("assessments:coverage", args=[cycle.pk])).content.decode()
        assert len(re.findall(r'name="member_states" value="\d+"[^>]*checked', page)) == 2

    with time_machine.travel(STARTS, tick=False):
        assert sorted(m.eu_code for m in cycle.covered_member_states()) == ["AT", "FR"]
        assert sorted(m.member_state.eu_code for m in cycle_population(cycle)) == ["AT", "FR"]
        assert what_austria_sees(client, reporter_at, cycle, api) == dict.fromkeys(
            ["queryset", "files in", "home page", "API", "start page"], True)
        client.force_login(reviewer)
        assert member_state_count(client.get(reverse("review_home")).content.decode(), "2027 review") == 2


def test_a_published_review_is_not_read_by_a_member_state_whose_coverage_starts_later(client, four, reviewer,
                                                                                      reporter_at):
    review = CoordinatedReview.objects.filter(cycle=four).latest("pk")
    review_services.review_build(review_id=review.pk)
    client.force_login(reviewer)
    assert publish(client, review).status_code == 302
    url = reverse("reporting:review", args=[review.pk])
    client.force_login(reporter_at)
    assert client.get(url).status_code == 200
    austria = MemberState.objects.get(eu_code="AT")
    assert austria in publishing.audience(review.cycle)[0]

    # Austria's coverage of the cycle is moved to start tomorrow: until then the cycle does not ask it.
    with time_machine.travel(TODAY, tick=False):
        CycleCoverage.objects.filter(cycle=review.cycle, member_state=austria).update(
            since=TODAY + datetime.timedelta(days=1))
        client.force_login(reporter_at)
        assert client.get(url).status_code == 404
        assert not CoordinatedReview.objects.visible_to(reporter_at).exists()
        assert austria not in publishing.audience(review.cycle)[0]
        assert review.cycle.title not in client.get(reverse("authority_home")).content.decode()
    with time_machine.travel(TODAY + datetime.timedelta(days=1), tick=False):
        client.force_login(reporter_at)
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("table", ["coverage", "reopening", "extension"])
def test_every_history_table_is_in_force_from_its_start_inclusive_to_its_end_exclusive(table, admin_user):
    cycle = helpers.cycle_with_questionnaire(codes=["AT"])
    austria = MemberState.objects.get(eu_code="AT")
    start, end = datetime.datetime(2019, 7, 1, tzinfo=BRUSSELS), datetime.datetime(2019, 7, 20, tzinfo=BRUSSELS)
    if table == "coverage":
        CycleCoverage.objects.filter(cycle=cycle).update(since=start, until=end)
        rows = CycleCoverage.objects.filter(cycle=cycle)
    elif table == "reopening":
        Reopening.objects.create(cycle=cycle, member_state=austria, reason="Late data", granted_by=admin_user,
                                 granted_at=start, ended_at=end)
        rows = Reopening.objects.filter(cycle=cycle)
    else:
        services.extension_grant(milestone=cycle.milestones.get(), member_state=austria, due_date=end.date(),
                                 due_time=None, reason="Elections", user=admin_user, granted_at=start)
        Extension.objects.update(ended_at=end)
        rows = Extension.objects.filter(member_state=austria)
    second = datetime.timedelta(microseconds=1)
    assert [rows.in_force(at).exists() for at in (start - second, start, end - second, end)] == [
        False, True, True, False]
    assert rows.not_ended().exists() is False


def test_a_reopening_is_in_force_only_before_its_own_until(admin_user):
    cycle = helpers.cycle_with_questionnaire(codes=["AT"])
    until = datetime.datetime(2019, 9, 1, tzinfo=BRUSSELS)
    Reopening.objects.create(cycle=cycle, member_state=MemberState.objects.get(eu_code="AT"), reason="Late data",
                             granted_by=admin_user, granted_at=datetime.datetime(2019, 8, 1, tzinfo=BRUSSELS),
                             until=until)
    assert cycle.reopened_member_states(until - datetime.timedelta(microseconds=1)).exists()
    assert not cycle.reopened_member_states(until).exists()
    assert factories.member_state("AT") not in cycle.reopened_member_states(until)
