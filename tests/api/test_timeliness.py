"""Reviewers read the timeliness figures as of a day through the API: the dashboard's figures, the same rule."""

import datetime

import pytest

from portal.deadlines import BRUSSELS
from portal.models import Role
from tests import factories
from tests.api.helpers import ApiClient, token_for
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


def test_a_reviewer_reads_who_was_on_time_as_of_a_day(submit):
    cycle = helpers.cycle_with_questionnaire(codes=["AT", "DE", "FR"])
    submit(cycle, "AT", at=datetime.datetime(2019, 7, 12, 10, tzinfo=BRUSSELS))
    submit(cycle, "DE", at=datetime.datetime(2019, 7, 25, 10, tzinfo=BRUSSELS))
    reviewer = ApiClient(token_for(factories.user(Role.REVIEWER)))
    url = f"/api/v1/cycles/{cycle.pk}/timeliness/"
    on_19_july = reviewer.get(url, as_of="2019-07-19").json()
    assert on_19_july["figures"] == {"expected": 3, "submitted": 1, "on_time": 1, "late": 0, "missing": 2,
                                     "not_due": 0}
    assert {m["member_state"]: m["state"] for m in on_19_july["member_states"]} == {
        "AT": "on_time", "DE": "overdue", "FR": "overdue"}
    later = reviewer.get(url, as_of="2019-08-01").json()
    assert later["figures"]["late"] == 1 and later["figures"]["missing"] == 1
    refused = reviewer.get(url, as_of="19 July")
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"as_of"}
    assert ApiClient(token_for(factories.user(Role.LEAD_REPORTER, "AT"))).get(url).status_code == 404
