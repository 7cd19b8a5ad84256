"""The 2023 progress report's questions (issue 31): legislation giving authorities powers to assess suppliers and
issue restrictions, restrictions imposed, implementation under way. A section of their own, asked only by the cycles
whose questionnaire asks them, refused beside the field, frozen and hashed with a version."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from assessments import services
from assessments.forms.cycles import QuestionnaireForm
from assessments.models import (
    AssessmentVersion,
    LegislationAnswer,
    MeasureStatus,
    Questionnaire,
    Section,
    Status,
    UnsavedInput,
)
from assessments.questionnaire.data import questionnaire_data
from assessments.snapshots import integrity_problems, version_answers
from reporting.compare import comparison
from reporting.tables import SUPPRESSED, legislation_headline
from tests.api.helpers import ApiClient, token_for
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle_2023(db):
    """A 2023-style cycle: EU27, the Toolbox's measures and the legislation section."""
    cycle = helpers.cycle_with_questionnaire(title="2023 progress report", year=2023,
                                             starts_on=datetime.date(2023, 1, 16), due=datetime.date(2023, 3, 31))
    Questionnaire.objects.filter(cycle=cycle).update(asks_scope=False, asks_suppliers=False, asks_legislation=True)
    questionnaire = Questionnaire.objects.get(cycle=cycle)
    for catalogue in ("threat_actors", "threats", "asset_classes", "criteria", "scenarios"):
        getattr(questionnaire, catalogue).set([])
    cycle.refresh_from_db()
    return cycle


@pytest.fixture
def draft_2023(cycle_2023, reporter_at):
    return helpers.start(cycle_2023, reporter_at)


def url(assessment):
    return reverse("assessments:section", args=[assessment.pk, Section.LEGISLATION.value])


def answer(assessment):
    return LegislationAnswer.objects.get(assessment=assessment, version__isnull=True)


def complete(assessment, **values):
    MeasureStatus.objects.filter(assessment=assessment, version__isnull=True).update(status="adopted")
    LegislationAnswer.objects.filter(assessment=assessment, version__isnull=True).update(
        **{"powers": "adopted", "restrictions_imposed": "yes", "implementing": "no"} | values)


def test_only_a_cycle_that_asks_them_asks_the_questions(draft, draft_2023):
    assert draft_2023.cycle.questionnaire.sections == [Section.MEASURES, Section.LEGISLATION, Section.ATTACHMENTS]
    assert Section.LEGISLATION not in draft.cycle.questionnaire.sections
    assert not LegislationAnswer.objects.filter(assessment=draft).exists()
    assert LegislationAnswer.objects.filter(assessment=draft_2023, version__isnull=True).count() == 1


@pytest.mark.parametrize(("language", "title", "question"), [
    ("en", "Legislation and restrictions", "Restrictions imposed on suppliers"),
    ("fr", "Législation et restrictions", "Restrictions imposées aux fournisseurs"),
    ("de", "Rechtsvorschriften und Beschränkungen", "Gegen Anbieter verhängte Beschränkungen"),
])
def test_the_section_page_asks_the_three_questions_in_the_filers_language(client, draft_2023, reporter_at, language,
                                                                          title, question):
    reporter_at.language = language
    reporter_at.save(update_fields=["language"])
    client.force_login(reporter_at)
    page = client.get(url(draft_2023), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert title in page and question in page
    assert 'name="legislation-powers"' in page and 'name="legislation-implementing"' in page


def test_a_filer_saves_the_answers(client, draft_2023, reporter_at):
    client.force_login(reporter_at)
    data = helpers.post_data(draft_2023, Section.LEGISLATION, **{
        "legislation-powers": "in_preparation", "legislation-restrictions_imposed": "no",
        "legislation-implementing": "yes", "legislation-note": "Draft law before parliament."})
    assert client.post(url(draft_2023), data).status_code == 302
    saved = answer(draft_2023)
    assert (saved.powers, saved.restrictions_imposed, saved.implementing, saved.note) == (
        "in_preparation", "no", "yes", "Draft law before parliament.")


def test_restrictions_without_legislation_are_refused_beside_the_field_and_kept_for_the_filer(
        client, draft_2023, reporter_at):
    client.force_login(reporter_at)
    data = helpers.post_data(draft_2023, Section.LEGISLATION, **{
        "legislation-powers": "none", "legislation-restrictions_imposed": "yes"})
    response = client.post(url(draft_2023), data, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Without legislation adopted or in preparation, leave this empty" in page
    assert 'id="error_1_id_legislation-restrictions_imposed"' in page
    summary = page[page.index('id="error-summary"'):]
    assert 'href="#id_legislation-restrictions_imposed"' in summary[:summary.index("</div>")]
    assert answer(draft_2023).restrictions_imposed == ""  # nothing applied, the input kept for its author
    assert UnsavedInput.objects.filter(user=reporter_at).count() == 1


def test_an_unknown_answer_is_refused_beside_the_field(client, draft_2023, reporter_at):
    client.force_login(reporter_at)
    data = helpers.post_data(draft_2023, Section.LEGISLATION, **{"legislation-powers": "maybe"})
    page = client.post(url(draft_2023), data, follow=True).content.decode()
    assert 'id="error_1_id_legislation-powers"' in page and "Select a valid choice" in page
    assert answer(draft_2023).powers == ""


def test_the_database_refuses_restrictions_without_legislation(draft_2023):
    with pytest.raises(IntegrityError), transaction.atomic():
        LegislationAnswer.objects.filter(pk=answer(draft_2023).pk).update(powers="none", implementing="yes")


def test_restrictions_and_implementation_must_be_answered_under_legislation_only(draft_2023):
    complete(draft_2023, restrictions_imposed="", implementing="")
    missing = [m.anchor for m in services.assessment_missing(draft_2023)[Section.LEGISLATION]]
    assert missing == ["id_legislation-restrictions_imposed", "id_legislation-implementing"]
    complete(draft_2023, powers="none", restrictions_imposed="", implementing="")
    assert services.assessment_missing(draft_2023)[Section.LEGISLATION] == []


def test_a_version_freezes_and_hashes_the_answers_and_its_document_shows_them(client, draft_2023, lead_at,
                                                                             reviewer):
    complete(draft_2023, note="Two decisions on the core network.")
    version = services.assessment_submit(certify=True, assessment=draft_2023, user=lead_at)
    assert version.snapshot["answers"]["legislation"] == {
        "powers": "adopted", "restrictions_imposed": "yes", "implementing": "no",
        "note": "Two decisions on the core network."}
    assert version.sha256 == AssessmentVersion.digest(version.snapshot)
    assert LegislationAnswer.objects.get(version=version).powers == "adopted"  # a row of its own, apart from the draft
    assert version_answers([version])[version.pk] == version.snapshot["answers"]
    assert integrity_problems({version.pk: version.sha256}) == {}
    # Changed behind the portal's back: the rows digest sees it.
    LegislationAnswer.objects.filter(version=version).update(restrictions_imposed="no")
    assert version.pk in integrity_problems({version.pk: version.sha256})
    LegislationAnswer.objects.filter(version=version).update(restrictions_imposed="yes")
    client.force_login(reviewer)
    document = client.get(reverse("assessments:version", args=[draft_2023.pk, 1])).content.decode()
    assert "Legislation and restrictions" in document and "Restrictions imposed on suppliers" in document
    assert "Two decisions on the core network." in document


def test_a_cycle_that_does_not_ask_them_keeps_its_snapshots_as_they_were(draft, lead_at):
    helpers.fill(draft)
    version = services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    assert "legislation" not in version.snapshot["answers"]
    assert integrity_problems({version.pk: version.sha256}) == {}


def test_the_questionnaire_description_names_the_questions_and_their_rule(draft_2023):
    data = questionnaire_data(draft_2023.cycle.questionnaire)
    part = next(s for s in data["sections"] if s["code"] == "legislation")["parts"][0]
    assert part["key"] == "legislation.{field}"
    powers = next(f for f in part["fields"] if f["name"] == "powers")
    assert powers["required_to_submit"] and [c["value"] for c in powers["choices"]] == [
        "adopted", "in_preparation", "none"]


def test_the_dashboards_headline_hides_what_too_few_member_states_stand_behind():
    counts = {"n": 27, "adopted": 20, "in_preparation": 4, "none": 3, "unanswered": 0, "with_powers": 24,
              "restrictions": 10, "implementing": 2}
    with translation.override("en"):
        shown = legislation_headline(counts, public=True)
        assert (shown.n, shown.with_powers, shown.restrictions, shown.implementing) == (27, 24, 10, SUPPRESSED)
        full = legislation_headline(counts, public=False)  # a reviewer reads every figure
        assert full.implementing == 2


def test_a_filers_tool_reads_and_writes_them_through_the_api_with_the_same_rules(draft_2023, reporter_at, reporter_fr):
    api = ApiClient(token_for(reporter_at))
    path = f"/api/v1/assessments/{draft_2023.pk}/sections/legislation/"
    section = api.get(path).json()
    assert section["values"] == {"legislation.powers": "", "legislation.restrictions_imposed": "",
                                 "legislation.implementing": "", "legislation.note": ""}
    saved = api.patch(path, {"revision": section["revision"],
                             "values": {"legislation.powers": "adopted", "legislation.implementing": "yes"}})
    assert saved.status_code == 200 and saved.json()["values"]["legislation.implementing"] == "yes"
    refused = api.patch(path, {"revision": saved.json()["revision"],
                               "values": {"legislation.powers": "none"}})
    assert refused.status_code == 400  # "none" beside implementation under way: refused, named by its key
    assert "legislation or in preparation" not in str(refused.json()["errors"].get("legislation.implementing"))
    assert "need legislation adopted or in preparation" in refused.json()["errors"]["legislation.powers"][0]
    assert answer(draft_2023).powers == "adopted"
    other = ApiClient(token_for(reporter_fr)).get(path)
    assert other.status_code == 404  # another member state's draft is not found


def test_a_second_version_says_what_changed_and_the_comparison_shows_the_answers(client, draft_2023, lead_at,
                                                                                 reviewer):
    complete(draft_2023, restrictions_imposed="no")
    services.assessment_submit(certify=True, assessment=draft_2023, user=lead_at)
    type(draft_2023).objects.filter(pk=draft_2023.pk).update(status=Status.RETURNED)
    complete(draft_2023, restrictions_imposed="yes")
    services.assessment_submit(certify=True, assessment=draft_2023, user=lead_at)
    client.force_login(reviewer)
    diff = client.get(reverse("assessments:diff", args=[draft_2023.pk]) + "?from=1&to=2").content.decode()
    changes = diff[diff.index("Legislation and restrictions"):]
    assert "Restrictions imposed on suppliers" in changes and "No" in changes and "Yes" in changes
    compared = comparison(draft_2023.cycle, [draft_2023.member_state], Section.LEGISLATION)
    shown = {row.field: [cell.shown for cell in row.cells] for row in compared.rows}
    assert shown["Restrictions imposed on suppliers"] == ["Yes"]
    assert shown["Legislation giving authorities powers to assess suppliers and issue restrictions"] == ["Adopted"]


def test_an_admin_who_asks_them_after_a_draft_began_gives_the_draft_its_questions(client, draft, admin_user,
                                                                                  reporter_at, lead_at):
    initial = QuestionnaireForm(instance=draft.cycle.questionnaire).initial
    data = {name: [item.pk for item in value] if isinstance(value, list) else value
            for name, value in initial.items() if value not in (None, False)}
    data["asks_legislation"] = "on"
    client.force_login(admin_user)
    assert client.post(reverse("assessments:questionnaire", args=[draft.cycle.pk]), data).status_code == 302
    assert LegislationAnswer.objects.filter(assessment=draft, version__isnull=True).count() == 1
    client.force_login(reporter_at)
    assert "Restrictions imposed on suppliers" in client.get(url(draft)).content.decode()
    draft = type(draft).objects.get(pk=draft.pk)  # with its questionnaire as the admin left it
    helpers.fill(draft)  # everything but the new questions: submitting says they are missing
    assert [m.anchor for m in services.assessment_missing(draft)[Section.LEGISLATION]] == ["id_legislation-powers"]


def test_the_workbook_has_the_questions_and_brings_them_back(client, draft_2023, reporter_at):
    complete(draft_2023, powers="in_preparation", restrictions_imposed="no", implementing="no")
    client.force_login(reporter_at)
    workbook = load_workbook(io.BytesIO(client.get(reverse("assessments:workbook", args=[draft_2023.pk])).content))
    sheet = workbook["Legislation and restrictions"]
    rows = {sheet[f"A{row}"].value: sheet[f"B{row}"].value for row in range(2, sheet.max_row + 1)}
    assert rows["Legislation giving authorities powers to assess suppliers and issue restrictions"] == "In preparation"
    sheet["B4"] = "Yes"  # implementation under way
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(reverse("assessments:workbook_upload", args=[draft_2023.pk]),
                           {"workbook": SimpleUploadedFile("filled.xlsx", buffer.getvalue())})
    assert response.status_code == 302
    assert answer(draft_2023).implementing == "yes"
