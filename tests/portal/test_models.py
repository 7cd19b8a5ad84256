import datetime

import pytest
from django.db import IntegrityError

from portal.models import Milestone
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_deadline_is_the_end_of_the_day_in_brussels():
    milestone = factories.milestone(factories.cycle(), due=datetime.date(2019, 7, 15))
    # 15 July 2019 is summer time in Brussels (UTC+2).
    assert milestone.due_at.astimezone(datetime.timezone.utc) == datetime.datetime(
        2019, 7, 15, 21, 59, 59, tzinfo=datetime.timezone.utc
    )


def test_only_eu_level_steps_have_a_date_met():
    cycle = factories.cycle()
    factories.milestone(cycle, code="EU-CRA", scope=Milestone.Scope.EU, met_on=datetime.date(2019, 10, 9))
    with pytest.raises(IntegrityError):
        factories.milestone(cycle, code="NRA", met_on=datetime.date(2019, 7, 10))


def test_a_milestone_code_is_unique_within_its_cycle():
    cycle = factories.cycle()
    factories.milestone(cycle, code="NRA-SUBMIT")
    with pytest.raises(IntegrityError):
        factories.milestone(cycle, code="NRA-SUBMIT")
