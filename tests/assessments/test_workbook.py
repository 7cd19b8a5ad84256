import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import (
    MeasureStatus,
    ScenarioRating,
    ScopeAnswer,
    SectionState,
    SupplierPresence,
    UnsavedInput,
)
from assessments.questionnaire.sections import ANSWER_MODELS
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


def download(client, draft):
    response = client.get(reverse("assessments:workbook", args=[draft.pk]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def upload(client, draft, workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return client.post(reverse("assessments:workbook_upload", args=[draft.pk]),
                       {"workbook": SimpleUploadedFile("filled.xlsx", buffer.getvalue())})


def answers(draft):
    return [list(model.objects.filter(assessment=draft, version=None).order_by("pk").values())
            for model in ANSWER_MODELS]


def test_the_workbook_has_a_sheet_per_part_with_the_draft_and_drop_down_lists(client, draft, reporter_at):
    helpers.fill(draft)
    client.force_login(reporter_at)
    workbook = download(client, draft)
    assert {"Scope and method", "Threat actors", "Main threats", "Key assets", "Suppliers", "Risk scenarios",
            "Toolbox measures"} <= set(workbook.sheetnames)
    scenarios = workbook["Risk scenarios"]
    assert [c.value for c in scenarios[1]][:4] == ["Code", "Risk scenarios", "Likelihood", "Impact"]
    assert scenarios["A5"].value == "R4" and scenarios["C5"].value == "2"
    assert workbook["Toolbox measures"]["C2"].value == "Adopted"
    assert any(v.formula1.startswith("=_lists!") for v in workbook["Toolbox measures"].data_validations.dataValidation)


def test_exporting_and_reimporting_an_unchanged_workbook_changes_nothing(client, draft, reporter_at):
    helpers.fill(draft)
    # Text that a spreadsheet would read as a formula is written as text, and comes back as typed.
    MeasureStatus.objects.filter(assessment=draft, measure__code="SM01").update(note='=HYPERLINK("http://x","y")')
    client.force_login(reporter_at)
    cell = download(client, draft)["Toolbox measures"]["E2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x","y")', "s")
    before = answers(draft)
    revisions = list(SectionState.objects.filter(assessment=draft).values_list("revision", flat=True))
    response = upload(client, draft, download(client, draft))
    assert response.status_code == 302
    assert answers(draft) == before
    assert list(SectionState.objects.filter(assessment=draft).values_list("revision", flat=True)) == revisions


def test_a_filled_workbook_is_applied(client, draft, reporter_at):
    client.force_login(reporter_at)
    workbook = download(client, draft)
    workbook["Risk scenarios"]["C5"] = 5  # R4 likelihood
    workbook["Risk scenarios"]["D5"] = "4"  # impact
    workbook["Risk scenarios"]["E5"] = "Increasing"
    workbook["Risk scenarios"]["F5"] = "One supplier holds most of the RAN."
    workbook["Toolbox measures"]["C4"] = "Applied"  # SM03
    workbook["Suppliers"].append(["Huawei", "Huawei", 0, 35.5])
    workbook["Scope and method"]["B6"] = "Summary typed offline."
    assert upload(client, draft, workbook).status_code == 302
    r4 = ScenarioRating.objects.get(assessment=draft, version=None, scenario__code="R4")
    assert (r4.likelihood, r4.impact, r4.level, r4.trend) == (5, 4, "critical", "increasing")
    assert r4.justification == "One supplier holds most of the RAN."
    assert MeasureStatus.objects.get(assessment=draft, version=None, measure__code="SM03").status == "applied"
    huawei = SupplierPresence.objects.get(assessment=draft, version=None, supplier__name="Huawei")
    assert (huawei.share_core, float(huawei.share_access)) == (0, 35.5)
    assert ScopeAnswer.objects.get(assessment=draft, version=None).summary == "Summary typed offline."


def test_a_workbook_the_portal_cannot_read_as_the_drafts_changes_nothing(client, draft, reporter_at):
    helpers.fill(draft)
    client.force_login(reporter_at)
    before = answers(draft)
    workbook = download(client, draft)
    workbook["Scope and method"]["B6"] = "A valid change that must not be applied alone."
    workbook["Suppliers"].append(["Acme Telecom"])
    response = upload(client, draft, workbook)
    assert response.status_code == 400
    assert "is not a supplier the portal knows" in response.content.decode()
    assert answers(draft) == before and not UnsavedInput.objects.exists()


def test_a_workbook_with_invalid_rows_applies_the_rest_and_names_sheet_row_and_column(client, draft, reporter_at):
    helpers.fill(draft)
    client.force_login(reporter_at)
    workbook = download(client, draft)
    workbook["Scope and method"]["B6"] = "A valid change, applied."
    workbook["Risk scenarios"]["C3"] = 9  # R2 likelihood outside 1-5
    workbook["Risk scenarios"]["F3"] = "R2's justification, refused with its row."
    workbook["Toolbox measures"]["C2"] = "Almost done"  # SM01: not a status
    workbook["Toolbox measures"]["E3"] = "SM02's note, applied."
    response = upload(client, draft, workbook)
    page = response.content.decode()
    assert response.status_code == 200
    refused = page[page.index('id="workbook-refused"'):]
    assert "<td>Risk scenarios</td><td>3</td><td>C</td>" in refused
    assert "<td>Toolbox measures</td><td>2</td><td>C</td>" in refused
    assert "Toolbox measures</td><td>3<" not in refused
    assert ScopeAnswer.objects.get(assessment=draft, version=None).summary == "A valid change, applied."
    measures = {m.measure.code: m for m in MeasureStatus.objects.filter(assessment=draft, version=None)
                .select_related("measure")}
    assert measures["SM02"].note == "SM02's note, applied." and measures["SM01"].status == "adopted"
    r2 = ScenarioRating.objects.get(assessment=draft, version=None, scenario__code="R2")
    assert (r2.likelihood, r2.justification) == (2, "")  # the whole row refused, not only its wrong cell
    # What the refused rows said is kept, on their sections' pages, for whoever uploaded it.
    kept = {u.section_state.section: u.data for u in UnsavedInput.objects.filter(user=reporter_at)}
    assert kept == {"scenarios": {"scenarios.R2.likelihood": "9",
                                  "scenarios.R2.justification": "R2's justification, refused with its row."},
                    "measures": {"measures.SM01.status": "Almost done"}}


def test_a_workbook_downloaded_before_a_colleagues_save_merges_and_never_overwrites_it(client, draft, reporter_at):
    client.force_login(reporter_at)
    workbook = download(client, draft)
    client.post(reverse("assessments:section", args=[draft.pk, "scope"]),
                helpers.post_data(draft, "scope", **{"scope-summary": "Colleague's summary"}))
    # The same field changed in the workbook: refused, naming the cell, the colleague's value and the workbook's.
    workbook["Scope and method"]["B6"] = "Old workbook's summary"
    response = upload(client, draft, workbook)
    page = response.content.decode()
    assert response.status_code == 400
    assert "A colleague changed “Scope and method: Summary” after the workbook was downloaded" in page
    assert "Colleague&#x27;s summary" in page and "Old workbook&#x27;s summary" in page
    assert ScopeAnswer.objects.get(assessment=draft, version=None).summary == "Colleague's summary"
    # Another field changed in the workbook: merged with the colleague's summary.
    workbook["Scope and method"]["B6"] = None
    workbook["Scope and method"]["B5"] = "Telecom operators"
    assert upload(client, draft, workbook).status_code == 302
    scope = ScopeAnswer.objects.get(assessment=draft, version=None)
    assert (scope.summary, scope.operators_consulted) == ("Colleague's summary", "Telecom operators")


def test_another_member_states_workbook_is_refused(client, draft, reporter_at, reporter_fr, cycle):
    client.force_login(reporter_fr)
    other = helpers.start(cycle, reporter_fr)
    workbook = download(client, other)
    client.force_login(reporter_at)
    response = upload(client, draft, workbook)
    assert "not downloaded from this assessment" in response.content.decode()
    client.force_login(reporter_fr)
    assert client.get(reverse("assessments:workbook", args=[draft.pk])).status_code == 404



def test_a_french_colleagues_workbook_is_imported_unchanged_by_a_german_one(client, draft, reporter_at):
    """The workbook speaks its reader's language; it is read back by part and by choice whatever the importer's."""
    from django.utils import translation

    from portal.models import Role
    from tests import factories

    helpers.fill(draft)
    reporter_at.language = "fr"
    reporter_at.save()
    client.force_login(reporter_at)
    workbook = download(client, draft)
    with translation.override("fr"):
        french_sheet, adopted = str(translation.gettext("Risk scenarios")), str(translation.gettext("Adopted"))
    assert french_sheet != "Risk scenarios" and french_sheet in workbook.sheetnames
    measures = next(sheet for sheet in workbook.worksheets if sheet["C2"].value == adopted)
    assert measures["A2"].value == "SM01"
    before = answers(draft)
    revisions = list(SectionState.objects.filter(assessment=draft).values_list("revision", flat=True))
    german = factories.user(Role.REPORTER, "AT")
    german.language = "de"
    german.save()
    client.force_login(german)
    response = upload(client, draft, workbook)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert answers(draft) == before
    assert list(SectionState.objects.filter(assessment=draft).values_list("revision", flat=True)) == revisions
