"""Trends across cycles (reporting/trends.py): a measure followed from 2020 to 2026 across catalogue editions, from
published reviews only, with their disclosure rules; its CSV and XLSX; who may read it; its fixed query count."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import (
    CatalogueEdition,
    MeasureContinuation,
    MeasureStatus,
    Questionnaire,
    ToolboxMeasure,
)
from portal.markings import Marking
from portal.models import BRUSSELS, Role
from reporting import publishing
from reporting import services as review_services
from reporting.models import CoordinatedReview, Export
from reporting.trends import Subject, trend
from tests import factories
from tests.assessments import helpers
from tests.reporting.exporting import body, made_here, workbook

pytestmark = pytest.mark.django_db

# SM05's status in 2020 and 2023, and SC-05's (SM05 renamed in the 2026 edition) in 2026, per member state.
STATUSES = {
    "AT": {2020: "planned", 2023: "adopted", 2026: "applied"},
    "BE": {2020: "not_started", 2023: "in_preparation", 2026: "adopted"},
    "DE": {2020: "planned", 2023: "adopted", 2026: "adopted"},
}
STARTS = {2020: datetime.date(2020, 1, 29), 2023: datetime.date(2023, 1, 15), 2026: datetime.date(2026, 2, 13),
          2025: datetime.date(2025, 2, 1)}


def supply_chain_edition():
    """What an admin enters for the 2026 Toolbox: SM05 continued as SC-05 (renamed), and SC-01, new."""
    edition = CatalogueEdition.objects.get(code="ict-supply-chain-2026")
    sc05 = ToolboxMeasure.objects.create(code="SC-05", kind="SC", edition=edition, position=105,
                                         title="Multi-vendor strategies (2026 wording)")
    ToolboxMeasure.objects.create(code="SC-01", kind="SC", edition=edition, position=101,
                                  title="Assessing critical suppliers")
    MeasureContinuation.objects.create(later=sc05, earlier=ToolboxMeasure.objects.get(code="SM05"), kind="renamed")
    sc03 = ToolboxMeasure.objects.create(code="SC-03", kind="SC", edition=edition, position=103,
                                         title="Restricting high-risk suppliers for key assets")
    MeasureContinuation.objects.create(later=sc03, earlier=ToolboxMeasure.objects.get(code="SM03"), kind="split")


def cycle_of(year, codes):
    return helpers.cycle_with_questionnaire(title=f"{year} cycle", codes=codes, year=year, starts_on=STARTS[year],
                                            due=datetime.date(year, 7, 15))


def submit_status(submit, cycle, code, status, marking=None, shared_with=()):
    lead = factories.user(Role.LEAD_REPORTER, code)
    draft = helpers.fill(assessment_services.assessment_start(cycle=cycle, member_state=lead.member_state,
                                                              user=lead))
    measure = "SC-05" if cycle.year >= 2026 else "SM05"
    MeasureStatus.objects.filter(assessment=draft, version=None, measure__code=measure).update(status=status)
    return submit(cycle, code, datetime.datetime(cycle.year, 7, 10, tzinfo=BRUSSELS), fill=False, lead=lead,
                  marking=marking, shared_with=shared_with)


def publish(cycle):
    review, _created = review_services.review_request(cycle=cycle)
    review_services.review_build(review_id=review.pk)
    review = CoordinatedReview.objects.get(pk=review.pk)
    assert review.is_done, review.error
    return publishing.review_publish(review=review, user=factories.user(Role.REVIEWER))


@pytest.fixture
def three_cycles(submit, settings):
    """2020, 2023 and 2026, each published; France's versions are TLP:RED (withheld from the EU figures)."""
    settings.REVIEW_MIN_GROUP_SIZE = 3
    supply_chain_edition()
    named = factories.user(Role.REVIEWER, username="named-reviewer")
    cycles = {}
    for year in (2020, 2023, 2026):
        cycle = cycles[year] = cycle_of(year, [*STATUSES, "FR"])
        for code, statuses in STATUSES.items():
            submit_status(submit, cycle, code, statuses[year])
        submit_status(submit, cycle, "FR", "applied", marking=Marking.RED, shared_with=[named])
        publish(cycle)
    return cycles


def test_a_new_cycle_asks_its_edition_and_the_renamed_measure_under_its_new_code(three_cycles):
    asked = {year: set(Questionnaire.objects.get(cycle=cycle).measures.values_list("code", flat=True))
             for year, cycle in three_cycles.items()}
    assert {"SM05"} <= asked[2020] and not {"SC-05", "SC-01"} & asked[2020]
    assert {"SC-05", "SC-01"} <= asked[2026] and "SM05" not in asked[2026]
    assert Questionnaire.objects.get(cycle=three_cycles[2026]).edition.code == "ict-supply-chain-2026"


def test_a_measure_is_followed_across_three_cycles_through_its_rename(three_cycles):
    result = trend(Subject("measure", "SC-05"))
    assert [column.cycle.year for column in result.columns] == [2020, 2023, 2026]
    assert [column.asked_as for column in result.columns] == [["SM05"], ["SM05"], ["SC-05"]]
    assert result.columns[0].note == "asked as SM05"
    assert result.columns[2].note == "renamed from SM05"
    rows = {member_state.eu_code: [cell.text for cell in cells] for member_state, cells in result.rows}
    assert rows["AT"] == ["Planned", "Adopted", "Applied"]
    assert rows["BE"] == ["Not started", "In preparation", "Adopted"]
    # Beside each cell, how the cycle asked it.
    notes = {member_state.eu_code: [cell.note for cell in cells] for member_state, cells in result.rows}
    assert notes["AT"] == ["asked as SM05", "asked as SM05", "renamed from SM05"]
    # A split: the new item reads the old one's answers; the old one says what continued it.
    split = trend(Subject("measure", "SC-03"))
    assert [column.asked_as for column in split.columns] == [["SM03"], ["SM03"], ["SC-03"]]
    assert split.columns[2].note == "split from SM03"
    before = trend(Subject("measure", "SM03"))
    assert before.columns[2].asked_as == [] and before.columns[2].note == "continued as SC-03"
    # Followed from the old code, the same row of answers.
    older = trend(Subject("measure", "SM05"))
    assert {ms.eu_code: [c.text for c in cells] for ms, cells in older.rows}["AT"] == rows["AT"]


def test_a_question_no_earlier_cycle_asked_says_so(three_cycles):
    result = trend(Subject("measure", "SC-01"))
    assert [column.asked_as for column in result.columns] == [[], [], ["SC-01"]]
    cells = {ms.eu_code: [c.text for c in cells] for ms, cells in result.rows}
    assert cells["AT"][:2] == ["not asked in this cycle", "not asked in this cycle"]
    assert cells["AT"][2] == "Adopted"  # helpers.fill's status


def test_withheld_versions_stay_withheld_and_hidden_figures_stay_hidden(three_cycles):
    result = trend(Subject("measure", "SC-05"))
    france = next(cells for member_state, cells in result.rows if member_state.eu_code == "FR")
    assert [cell.text for cell in france] == ["withheld (TLP:RED)"] * 3
    # France's "applied" is read nowhere: in 2020 nobody else applied SM05.
    assert "Applied" not in result.columns[0].eu
    # Published figures: 2 member states planned SM05 in 2020, fewer than 3: hidden, as staff read it ("–").
    assert "Planned: –" in result.columns[0].eu
    assert "–" in result.columns[2].eu


def test_only_published_reviews_are_read(three_cycles, submit):
    later = cycle_of(2025, ["AT"])  # submitted, built, never published
    submit_status(submit, later, "AT", "not_started")
    review, _created = review_services.review_request(cycle=later)
    review_services.review_build(review_id=review.pk)
    assert [column.cycle.year for column in trend(Subject("measure", "SC-05")).columns] == [2020, 2023, 2026]
    publication = publishing.standing_publication(CoordinatedReview.objects.filter(cycle=three_cycles[2023])
                                                  .latest("pk"))
    publishing.publication_withdraw(publication=publication, user=factories.user(Role.REVIEWER), reason="Wrong.")
    assert [column.cycle.year for column in trend(Subject("measure", "SC-05")).columns] == [2020, 2026]


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_cycles_and_member_states(
        client, three_cycles, submit, same_queries):
    client.force_login(factories.user(Role.REVIEWER))
    url = reverse("reporting:trends") + "?subject=measure:SC-05"

    def grow():
        cycle = cycle_of(2025, ["AT", "BE", "DE", "FR", "IT", "NL"])
        for code in ["AT", "IT", "NL"]:
            submit_status(submit, cycle, code, "applied")
        publish(cycle)

    same_queries(lambda: client.get(url), grow)
    page = client.get(url).content.decode()
    assert "2025 cycle" in page and "Italy" in page


def test_the_page_says_renamed_beside_the_cell_and_exports_the_same_table(client, three_cycles, export_root):
    client.force_login(factories.user(Role.REVIEWER))
    page = client.get(reverse("reporting:trends"), {"subject": "measure:SC-05"}).content.decode()
    assert "renamed from SM05" in page and "asked as SM05" in page and "withheld (TLP:RED)" in page
    response = client.get(reverse("reporting:trends_csv"), {"subject": "measure:SC-05"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    header = next(i for i, row in enumerate(rows) if row and row[0] == "Member state")
    assert rows[header][1:] == ["2020 cycle (2020)", "2023 cycle (2023)", "2026 cycle (2026)"]
    by_name = {row[0]: row[1:] for row in rows[header + 1:] if row}
    assert by_name["Austria"] == ["Planned (asked as SM05)", "Adopted (asked as SM05)", "Applied (renamed from SM05)"]
    assert by_name["France"] == ["withheld (TLP:RED)"] * 3
    sheet = workbook(made_here(client, reverse("reporting:trends_export"),
                               {"subject": "measure:SC-05", "format": "xlsx"})).worksheets[0]
    sheet_rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert sheet_rows == rows[header:]
    assert Export.objects.get().audience == "reviewer"


def test_a_supplier_segment_and_a_scenario_are_followed_too(client, three_cycles):
    client.force_login(factories.user(Role.REVIEWER))
    result = trend(Subject("supplier", "Ericsson", "share_core"))
    assert {ms.eu_code: [c.text for c in cells] for ms, cells in result.rows}["AT"] == ["60 %"] * 3
    scenario = trend(Subject("scenario", "R4"))
    assert {ms.eu_code: [c.text for c in cells] for ms, cells in scenario.rows}["AT"] == ["Low"] * 3
    page = client.get(reverse("reporting:trends"), {"subject": "supplier:Ericsson"})
    assert "Choose the segment of the network" in page.content.decode()


def test_bad_input_is_answered_beside_the_field(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("reporting:trends"), {"subject": "measure:NOPE"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert client.get(reverse("reporting:trends_csv"), {"subject": "x"}).status_code == 302
    assert client.post(reverse("reporting:trends_export"), {"subject": "x", "format": "xlsx"}).status_code == 302


@pytest.mark.parametrize("role, code, allowed", [
    (Role.REPORTER, "AT", False), (Role.LEAD_REPORTER, "AT", False), (Role.REVIEWER, None, True),
    (Role.ADMIN, None, True)])
def test_only_reviewers_and_admins_read_trends(client, three_cycles, role, code, allowed):
    client.force_login(factories.user(role, code))
    for response in [client.get(reverse("reporting:trends"), {"subject": "measure:SC-05"}),
                     client.get(reverse("reporting:trends_csv"), {"subject": "measure:SC-05"}),
                     client.post(reverse("reporting:trends_export"), {"subject": "measure:SC-05", "format": "xlsx"})]:
        assert (response.status_code in (200, 302)) if allowed else response.status_code == 404
