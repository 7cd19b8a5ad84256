"""The reviewers' EU view of the phase-out tracker: counts by status per member state and for the EU, as of a day."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from assessments import services
from portal.deadlines import BRUSSELS
from portal.models import Role
from tests import factories
from tests.assessments import helpers

pytestmark = pytest.mark.django_db

D = datetime.date
SUBMITTED = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=BRUSSELS)
LATER = datetime.datetime(2029, 6, 1, 12, 0, tzinfo=BRUSSELS)  # "now" in these tests: after the Huawei deadline

# (operator, asset class, supplier, fields) per member state. Huawei's deadline: 31 March 2029; ZTE's: 30 June 2029.
ROWS = {
    "AT": [("Operator A", "core", "Huawei", {"planned_removal_on": D(2028, 12, 31), "progress": 50}),
           ("Operator A", "access", "Huawei", {"planned_removal_on": D(2029, 6, 30), "progress": 10}),
           ("Operator B", "core", "ZTE", {"removed_on": D(2028, 5, 1), "progress": 100}),
           ("Operator B", "access", "Huawei", {"components_present": False})],
    "BE": [("Operator A", "core", "Huawei", {}),
           ("Operator A", "management", "ZTE", {"planned_removal_on": D(2029, 1, 31)})],
    "DE": [],
}


def file_and_submit(cycle, code, rows, *, at=SUBMITTED):
    lead = factories.user(Role.LEAD_REPORTER, code)
    assessment = helpers.fill(helpers.start(cycle, lead))
    for operator, asset, supplier, fields in rows:
        helpers.phase_out_row(assessment, operator, asset, supplier, **fields)
    return services.assessment_submit(certify=True, assessment=assessment, user=lead, now=at) if at else assessment


@pytest.fixture
def tracked():
    cycle = helpers.phase_out_cycle(codes=["AT", "BE", "DE", "FR"])
    for code, rows in ROWS.items():
        file_and_submit(cycle, code, rows)
    # France's draft has a row, but a draft never counts.
    file_and_submit(cycle, "FR", [("Operator A", "core", "Huawei", {})], at=None)
    return cycle


def table(client, user, cycle, as_of):
    with time_machine.travel(LATER, tick=False):
        client.force_login(user)  # in the future: a session of today would have expired by then
        response = client.get(reverse("reporting:phase_out", args=[cycle.pk]), {"as_of": as_of})
    assert response.status_code == 200
    report = response.context["report"]
    lines = {line.member_state.eu_code: (line.in_order, line.earliest_deadline and line.earliest_deadline.day)
             for line in report.lines}
    return lines, (report.eu.in_order, report.eu.earliest_deadline.day)


# Columns: removed, on track, at risk, overdue.
def test_the_eu_view_on_the_deadline_day_against_a_hand_count(client, reviewer, tracked):
    lines, eu = table(client, reviewer, tracked, "2029-03-31")
    # AT: planned before the deadline (on track), planned after it (at risk), removed, none present (removed).
    # BE: no plan within 12 months of the deadline (at risk), ZTE planned before its deadline (on track).
    assert lines == {"AT": ([2, 1, 1, 0], D(2029, 3, 31)), "BE": ([0, 1, 1, 0], D(2029, 3, 31)),
                     "DE": ([0, 0, 0, 0], None)}
    assert eu == ([2, 2, 2, 0], D(2029, 3, 31))


def test_the_day_after_the_deadline_the_rows_not_removed_are_overdue(client, reviewer, tracked):
    lines, eu = table(client, reviewer, tracked, "2029-04-01")
    assert lines["AT"] == ([2, 0, 0, 2], D(2029, 3, 31))
    assert lines["BE"] == ([0, 1, 0, 1], D(2029, 3, 31))
    assert eu == ([2, 1, 0, 3], D(2029, 3, 31))


def test_as_of_a_day_before_a_removal_it_is_not_removed_yet(client, reviewer, tracked):
    lines, _eu = table(client, reviewer, tracked, "2028-04-30")
    # Operator B's ZTE components are removed on 1 May 2028; the ZTE deadline (30 June 2029) is over a year away.
    # Belgium's Huawei row has no plan and its deadline is less than 12 months away: at risk already.
    assert lines["AT"] == ([1, 2, 1, 0], D(2029, 3, 31))
    assert lines["BE"] == ([0, 1, 1, 0], D(2029, 3, 31))


def test_the_csv_says_the_same(client, reviewer, tracked):
    with time_machine.travel(LATER, tick=False):
        client.force_login(reviewer)
        response = client.get(reverse("reporting:phase_out_csv", args=[tracked.pk]), {"as_of": "2029-04-01"})
    label, *rows = csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    assert label == ["TLP:AMBER+STRICT"]  # the versions' marking (their default)
    assert rows[0] == ["Member state", "Version", "Removed", "On track", "At risk", "Overdue", "Rows",
                       "Earliest deadline still to meet"]
    assert rows[1:] == [["Belgium", "1", "0", "1", "0", "1", "2", "2029-03-31"],  # in protocol order
                        ["Germany", "1", "0", "0", "0", "0", "0", ""],
                        ["Austria", "1", "2", "0", "0", "2", "4", "2029-03-31"],
                        ["EU total", "", "2", "1", "0", "3", "6", "2029-03-31"]]


def test_the_page_runs_the_same_queries_however_many_rows_and_member_states(client, reviewer, same_queries):
    cycle = helpers.phase_out_cycle(codes=["AT", "BE", "DE", "FR", "IT", "NL"])
    file_and_submit(cycle, "AT", ROWS["AT"][:1])
    client.force_login(reviewer)
    growths = [lambda: file_and_submit(cycle, "BE", ROWS["AT"]),
               lambda: [file_and_submit(cycle, code, ROWS["AT"] + ROWS["BE"][1:]) for code in ("DE", "NL")]]

    for name in ("reporting:phase_out", "reporting:phase_out_csv"):
        def page(name=name):
            response = client.get(reverse(name, args=[cycle.pk]))
            assert response.status_code == 200
            if response.streaming:
                b"".join(response.streaming_content)  # a CSV is read when streamed
        same_queries(page, growths.pop(0))


def test_only_reviewers_and_admins_see_it(client, reporter_at, lead_at, admin_user, reviewer, tracked):
    for name in ("reporting:phase_out", "reporting:phase_out_csv"):
        url = reverse(name, args=[tracked.pk])
        client.logout()
        assert client.get(url).status_code == 302  # anonymous: to the sign-in
        for user in (reporter_at, lead_at):
            client.force_login(user)
            assert client.get(url).status_code == 404
        for user in (reviewer, admin_user):
            client.force_login(user)
            assert client.get(url).status_code == 200


def test_a_version_marked_red_is_withheld_from_the_eu_view_and_said_to_be(client, reviewer, tracked):
    from assessments.models import AssessmentVersion
    from portal.markings import Marking

    AssessmentVersion.objects.filter(assessment__member_state__eu_code="BE").update(marking=Marking.RED)
    lines, eu = table(client, reviewer, tracked, "2029-04-01")
    assert set(lines) == {"AT", "DE"} and eu == ([2, 0, 0, 2], D(2029, 3, 31))  # Austria's rows alone
    with time_machine.travel(LATER, tick=False):
        page = client.get(reverse("reporting:phase_out", args=[tracked.pk]), {"as_of": "2029-04-01"})
    assert "Withheld from these figures: Belgium." in page.content.decode()


def test_the_csvs_download_is_audited_with_the_strictest_marking_of_the_versions_it_counts(client, reviewer, tracked):
    from auditlog.models import LogEntry

    from assessments.models import AssessmentVersion
    from portal.markings import Marking

    AssessmentVersion.objects.filter(assessment__member_state__eu_code="DE").update(marking=Marking.AMBER)
    AssessmentVersion.objects.exclude(assessment__member_state__eu_code="DE").update(marking=Marking.GREEN)
    client.force_login(reviewer)
    assert client.get(reverse("reporting:phase_out_csv", args=[tracked.pk])).status_code == 200
    entry = LogEntry.objects.get(additional_data__event="downloaded")
    assert (entry.additional_data["what"], entry.additional_data["marking"]) == ("phase-out overview", "TLP:AMBER")
