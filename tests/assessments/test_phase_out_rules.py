"""The phase-out tracker's two rules: the deadline a designation implies, and a row's status as of an instant."""

import datetime

import pytest

from assessments.models import PhaseOutStatus, phase_out_deadline, phase_out_status
from portal.deadlines import BRUSSELS

D = datetime.date
DESIGNATED = D(2026, 3, 31)


def brussels(*args):
    return datetime.datetime(*args, tzinfo=BRUSSELS)


def status(at, *, designated_on=DESIGNATED, present=True, planned_on=None, removed_on=None):
    return phase_out_status(designated_on=designated_on, present=present, planned_on=planned_on,
                            removed_on=removed_on, at=at)


def test_the_deadline_is_36_months_later_to_the_day_until_the_end_of_that_day_in_brussels():
    deadline = phase_out_deadline(D(2026, 3, 31))
    assert deadline.day == D(2029, 3, 31)
    assert deadline.ends_at == brussels(2029, 4, 1)
    assert deadline.is_met_by(brussels(2029, 3, 31, 23, 59, 59, 999999))
    assert not deadline.is_met_by(brussels(2029, 4, 1))


def test_a_designation_on_29_february_ends_on_the_last_day_of_february():
    assert phase_out_deadline(D(2024, 2, 29)).day == D(2027, 2, 28)
    assert phase_out_deadline(D(2028, 2, 29)).day == D(2031, 2, 28)
    assert phase_out_deadline(D(2025, 2, 28)).day == D(2028, 2, 28)  # 2028 has a 29th; the 28th is "to the day"


def test_the_end_of_the_day_is_brussels_midnight_in_summer_and_in_winter():
    # 31 March 2029 is summer time (UTC+2); 31 October 2029 winter time (UTC+1), three days after the change.
    assert phase_out_deadline(D(2026, 3, 31)).ends_at.astimezone(datetime.UTC) == datetime.datetime(
        2029, 3, 31, 22, 0, tzinfo=datetime.UTC)
    assert phase_out_deadline(D(2026, 10, 31)).ends_at.astimezone(datetime.UTC) == datetime.datetime(
        2029, 10, 31, 23, 0, tzinfo=datetime.UTC)
    # The deadline day of the clock change itself (28 October 2029, 25 hours long) ends at midnight all the same.
    assert phase_out_deadline(D(2026, 10, 28)).ends_at.astimezone(datetime.UTC) == datetime.datetime(
        2029, 10, 28, 23, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(("at", "expected"), [
    (brussels(2029, 3, 30, 12), PhaseOutStatus.ON_TRACK),  # the day before
    (brussels(2029, 3, 31, 23, 59, 59, 999999), PhaseOutStatus.ON_TRACK),  # the last instant of the day of
    (brussels(2029, 4, 1, 0, 0), PhaseOutStatus.OVERDUE),  # the first instant of the day after
])
def test_a_plan_on_the_deadline_is_on_track_until_the_deadline_ends_then_overdue(at, expected):
    assert status(at, planned_on=D(2029, 3, 31)) == expected


def test_a_plan_moved_after_the_deadline_turns_on_track_into_at_risk():
    at = brussels(2027, 6, 1, 12)
    assert status(at, planned_on=D(2029, 3, 31)) == PhaseOutStatus.ON_TRACK
    assert status(at, planned_on=D(2029, 4, 1)) == PhaseOutStatus.AT_RISK


def test_no_plan_is_at_risk_from_the_set_number_of_months_before_the_deadline(settings):
    settings.PHASE_OUT_PLAN_DUE_MONTHS = 12
    assert status(brussels(2028, 3, 30, 23, 59)) == PhaseOutStatus.ON_TRACK
    assert status(brussels(2028, 3, 31, 0, 0)) == PhaseOutStatus.AT_RISK
    settings.PHASE_OUT_PLAN_DUE_MONTHS = 6
    assert status(brussels(2028, 3, 31, 0, 0)) == PhaseOutStatus.ON_TRACK


def test_removed_counts_from_the_day_of_removal_and_even_after_the_deadline():
    removed_on = D(2029, 5, 2)  # late
    assert status(brussels(2029, 5, 1, 12), removed_on=removed_on) == PhaseOutStatus.OVERDUE
    assert status(brussels(2029, 5, 2, 0, 0), removed_on=removed_on) == PhaseOutStatus.REMOVED


def test_no_components_present_is_nothing_to_remove_and_no_designation_nothing_due():
    assert status(brussels(2030, 1, 1), present=False) == PhaseOutStatus.REMOVED
    assert status(brussels(2030, 1, 1), designated_on=None) is None
