"""Catalogue editions (assessments/editions.py): what a cycle asks, the database's rules for codes and continuations,
and an earlier cycle's answers read across editions by the prefill, the section page and the comparison."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments import services
from assessments.forms.cycles import QuestionnaireForm
from assessments.models import (
    CarriedAnswer,
    CatalogueEdition,
    MeasureContinuation,
    MeasureStatus,
    Prefill,
    Questionnaire,
    Section,
    ToolboxMeasure,
)
from portal.models import BRUSSELS, MemberState, Role
from reporting.compare import comparison
from tests import factories
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def editions(db):
    """The 2026 edition as an admin enters it: SM05 renamed SC-05, SC-01 new."""
    edition = CatalogueEdition.objects.get(code="ict-supply-chain-2026")
    sc05 = ToolboxMeasure.objects.create(code="SC-05", kind="SC", edition=edition, position=105,
                                         title="Multi-vendor strategies (2026 wording)")
    ToolboxMeasure.objects.create(code="SC-01", kind="SC", edition=edition, position=101,
                                  title="Assessing critical suppliers")
    MeasureContinuation.objects.create(later=sc05, earlier=ToolboxMeasure.objects.get(code="SM05"), kind="renamed")
    return edition


@pytest.fixture
def cycles(editions):
    """A 2020 cycle (the 5G Toolbox's edition) and a 2026 one (the supply-chain edition), both asking Austria."""
    earlier = helpers.cycle_with_questionnaire(title="2020 progress", codes=["AT", "BE"], year=2020,
                                               starts_on=datetime.date(2020, 1, 29), due=datetime.date(2020, 6, 30))
    later = helpers.cycle_with_questionnaire(title="2026 supply chain", codes=["AT", "BE"], year=2026,
                                             starts_on=datetime.date(2026, 2, 13), due=datetime.date(2026, 12, 31))
    return earlier, later


def submitted_2020(submit, cycle, code, status="adopted", note="Multi-vendor rule in the telecoms act."):
    lead = factories.user(Role.LEAD_REPORTER, code)
    draft = helpers.fill(services.assessment_start(cycle=cycle, member_state=lead.member_state, user=lead))
    MeasureStatus.objects.filter(assessment=draft, version=None, measure__code="SM05").update(status=status,
                                                                                             note=note)
    return submit(cycle, code, datetime.datetime(2020, 6, 1, tzinfo=BRUSSELS), fill=False, lead=lead), lead


def test_the_code_rules_hold_in_the_database(editions):
    with pytest.raises(IntegrityError), transaction.atomic():
        ToolboxMeasure.objects.create(code="SC05", kind="SC", edition=editions, title="Unprefixed")
    sm05, sc05 = ToolboxMeasure.objects.get(code="SM05"), ToolboxMeasure.objects.get(code="SC-05")
    with pytest.raises(IntegrityError), transaction.atomic():  # renamed once only
        MeasureContinuation.objects.create(later=ToolboxMeasure.objects.get(code="SC-01"), earlier=sm05,
                                           kind="renamed")
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureContinuation.objects.create(later=sc05, earlier=sc05, kind="split")
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureContinuation.objects.create(later=sc05, earlier=ToolboxMeasure.objects.get(code="SM01"), kind="x")


def test_each_cycle_asks_its_edition(cycles):
    earlier, later = cycles
    asked = {cycle.year: set(Questionnaire.objects.get(cycle=cycle).measures.values_list("code", flat=True))
             for cycle in cycles}
    assert len(asked[2020]) == 29 and "SM05" in asked[2020] and not any(c.startswith("SC-") for c in asked[2020])
    assert {"SC-01", "SC-05"} <= asked[2026] and "SM05" not in asked[2026] and len(asked[2026]) == 30
    # The questionnaire's page refuses a measure its edition does not hold, beside the field.
    questionnaire = Questionnaire.objects.get(cycle=earlier)
    form = QuestionnaireForm({"edition": questionnaire.edition.pk, "likelihood_levels": 5, "impact_levels": 5,
                              "medium_from": 5, "high_from": 10, "critical_from": 17,
                              "measures": list(ToolboxMeasure.objects.filter(code__in=["SM01", "SC-01"])
                                               .values_list("pk", flat=True))}, instance=questionnaire)
    assert not form.is_valid()
    assert "SC-01" in form.errors["measures"][0]


def test_the_prefill_carries_an_answer_to_its_renamed_question(client, cycles, submit):
    earlier, later = cycles
    version, lead = submitted_2020(submit, earlier, "AT")
    draft = services.assessment_start(cycle=later, member_state=lead.member_state, user=lead, source=version)
    row = MeasureStatus.objects.get(assessment=draft, version=None, measure__code="SC-05")
    assert (row.status, row.note) == ("adopted", "Multi-vendor rule in the telecoms act.")
    # Carried, so to be confirmed like any other; SM05 is not listed as left behind: it came along.
    keys = set(CarriedAnswer.objects.filter(section_state__assessment=draft).values_list("key", flat=True))
    assert {"measures.SC-05.status", "measures.SC-05.note"} <= keys
    assert not [entry for entry in Prefill.objects.get(assessment=draft).left_behind if "SM05" in entry["key"]]
    # A question the 2020 cycle did not ask starts empty.
    assert MeasureStatus.objects.get(assessment=draft, version=None, measure__code="SC-01").status == ""


def test_the_section_page_says_which_question_was_not_asked_and_which_was_renamed(client, cycles, submit):
    earlier, later = cycles
    _version, lead = submitted_2020(submit, earlier, "AT")
    client.force_login(lead)
    client.post(reverse("assessments:start", args=[later.pk]), {"start_from": "empty"})
    draft = later.assessments.get(member_state=lead.member_state)
    page = text(client.get(reverse("assessments:section", args=[draft.pk, Section.MEASURES])))
    sc01 = page.split('id="item-SC-01"')[1].split("</fieldset>")[0]
    assert "Not asked in 2020 progress: no earlier answer to start from." in sc01
    sc05 = page.split('id="item-SC-05"')[1].split("</fieldset>")[0]
    assert "Your answer in 2020 progress (version 1)" in sc05 and "(renamed from SM05)" in sc05
    assert "Multi-vendor rule in the telecoms act." in sc05 and "changed since" in sc05  # empty now
    sm01 = page.split('id="item-SM01"')[1].split("</fieldset>")[0]
    assert "Your answer in 2020 progress (version 1)" in sm01 and "renamed" not in sm01


def test_the_comparison_with_the_previous_cycle_says_renamed_and_not_asked(cycles, submit):
    earlier, later = cycles
    submitted_2020(submit, earlier, "AT", status="planned")
    submitted_2020(submit, earlier, "BE", status="adopted")
    for code in ["AT", "BE"]:
        submit(later, code, datetime.datetime(2026, 6, 1, tzinfo=BRUSSELS))
    chosen = list(MemberState.objects.filter(eu_code__in=["AT", "BE"]).order_by("eu_code"))
    result = comparison(later, chosen, Section.MEASURES, with_previous=True)
    assert result.previous_cycle == earlier

    def previous(code):
        row = next(r for r in result.rows if str(r.question).startswith(code) and r.field == "Status")
        return [cell.previous for cell in row.cells]

    assert previous("SC-05") == ["Planned (renamed from SM05)", "Adopted (renamed from SM05)"]
    assert previous("SC-01") == ["not asked in 2020", "not asked in 2020"]
    assert previous("SM01") == ["Adopted", "Adopted"]


def test_an_admin_enters_a_measure_of_the_2026_toolbox_and_what_it_continues(client, admin_user, editions):
    client.force_login(admin_user)
    assert client.get(reverse("admin:assessments_catalogueedition_changelist")).status_code == 200
    sm03 = ToolboxMeasure.objects.get(code="SM03")
    response = client.post(reverse("admin:assessments_toolboxmeasure_add"), {
        "code": "SC-03", "title": "Restrictions on high-risk suppliers", "position": 103, "kind": "SC",
        "edition": editions.pk, "continues-TOTAL_FORMS": "1", "continues-INITIAL_FORMS": "0",
        "continues-0-earlier": sm03.pk, "continues-0-kind": "split"})
    assert response.status_code == 302, response.content.decode()[:3000]
    sc03 = ToolboxMeasure.objects.get(code="SC-03")
    assert (sc03.edition, list(sc03.continues.values_list("earlier__code", "kind"))) == (editions, [("SM03", "split")])
    page = client.get(reverse("admin:assessments_toolboxmeasure_change", args=[sc03.pk])).content.decode()
    assert "SM03" in page
