import datetime

import pytest
from django.db import IntegrityError

from portal.deadlines import BRUSSELS, Deadline
from portal.models import Milestone
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day, last_on_time", [
    # 15 July 2019 is summer time in Brussels (UTC+2).
    (datetime.date(2019, 7, 15), datetime.datetime(2019, 7, 15, 21, 59, 59, 999999, tzinfo=datetime.UTC)),
    # 15 January 2020 is winter time (UTC+1).
    (datetime.date(2020, 1, 15), datetime.datetime(2020, 1, 15, 22, 59, 59, 999999, tzinfo=datetime.UTC)),
    # The days the clocks change: 31 March 2019 ends at UTC+2, 27 October 2019 at UTC+1.
    (datetime.date(2019, 3, 31), datetime.datetime(2019, 3, 31, 21, 59, 59, 999999, tzinfo=datetime.UTC)),
    (datetime.date(2019, 10, 27), datetime.datetime(2019, 10, 27, 22, 59, 59, 999999, tzinfo=datetime.UTC)),
])
def test_a_deadline_of_a_day_is_met_until_midnight_in_brussels_exclusive(day, last_on_time):
    deadline = Deadline(day)
    assert deadline.is_met_by(last_on_time)
    assert not deadline.is_met_by(last_on_time + datetime.timedelta(microseconds=1))
    assert deadline.ends_at == datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0),
                                                         tzinfo=BRUSSELS)


def test_a_deadline_with_a_time_is_late_from_that_instant():
    deadline = Deadline(datetime.date(2019, 7, 15), datetime.time(12, 0))
    assert deadline.is_met_by(datetime.datetime(2019, 7, 15, 11, 59, 59, 999999, tzinfo=BRUSSELS))
    assert not deadline.is_met_by(datetime.datetime(2019, 7, 15, 12, 0, tzinfo=BRUSSELS))


def test_only_eu_level_steps_have_a_date_met():
    cycle = factories.CycleFactory()
    factories.MilestoneFactory(cycle=cycle, code="EU-CRA", scope=Milestone.Scope.EU, met_on=datetime.date(2019, 10, 9))
    with pytest.raises(IntegrityError):
        factories.MilestoneFactory(cycle=cycle, code="NRA", met_on=datetime.date(2019, 7, 10))


def test_a_milestone_code_is_unique_within_its_cycle():
    cycle = factories.CycleFactory()
    factories.MilestoneFactory(cycle=cycle, code="NRA-SUBMIT")
    with pytest.raises(IntegrityError):
        factories.MilestoneFactory(cycle=cycle, code="NRA-SUBMIT")


def test_a_member_state_has_one_extension_in_force_per_milestone():
    milestone = factories.MilestoneFactory(cycle=factories.CycleFactory())
    factories.ExtensionFactory(milestone=milestone)
    with pytest.raises(IntegrityError):
        factories.ExtensionFactory(milestone=milestone)
