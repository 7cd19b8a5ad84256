import datetime

import pytest

from assessments.models import (
    KeyAssetClass,
    RiskScenario,
    Supplier,
    SupplierRiskCriterion,
    Threat,
    ThreatActor,
    ToolboxMeasure,
)
from portal.models import MemberState

pytestmark = pytest.mark.django_db


def test_28_member_states_and_27_of_them_members_on_1_july_2020():
    assert MemberState.objects.count() == 28
    on_1_july_2020 = MemberState.objects.members_on(datetime.date(2020, 7, 1))
    assert on_1_july_2020.count() == 27
    assert not on_1_july_2020.filter(eu_code="UK").exists()
    assert MemberState.objects.members_on(datetime.date(2019, 7, 15)).count() == 28


def test_the_uk_was_a_member_until_31_january_2020():
    uk = MemberState.objects.get(eu_code="UK")
    assert uk.iso_code == "GB"
    assert uk.is_member_on(datetime.date(2020, 1, 31))
    assert not uk.is_member_on(datetime.date(2020, 2, 1))


def test_greece_keeps_both_codes():
    greece = MemberState.objects.get(iso_code="GR")
    assert greece.eu_code == "EL"


def test_nine_risk_scenarios_in_five_categories_with_two_strategic():
    scenarios = RiskScenario.objects.select_related("category")
    assert [s.code for s in scenarios] == [f"R{i}" for i in range(1, 10)]
    assert len({s.category_id for s in scenarios}) == 5
    assert {s.code for s in scenarios if s.is_strategic} == {"R4", "R5"}
    assert scenarios.get(code="R9").title == "IoT (Internet of Things) exploitation"


def test_29_toolbox_measures_with_their_codes():
    codes = list(ToolboxMeasure.objects.values_list("code", flat=True))
    expected = [f"SM{i:02}" for i in range(1, 9)] + [f"TM{i:02}" for i in range(1, 12)] + [
        f"SA{i:02}" for i in range(1, 11)
    ]
    assert codes == expected
    assert ToolboxMeasure.objects.get(code="SM01").title == "Strengthening the role of national authorities"
    assert set(ToolboxMeasure.objects.filter(is_key_measure=True).values_list("code", flat=True)) == {"SM03", "SM05"}


def test_the_measure_to_scenario_mapping_starts_empty():
    # Annex 1 of the Toolbox is not public: nothing is invented.
    assert ToolboxMeasure.mitigates.through.objects.count() == 0


def test_actors_assets_criteria_threats_and_suppliers():
    assert ThreatActor.objects.count() == 6
    assert Threat.objects.count() == 4
    assert set(KeyAssetClass.objects.filter(is_critical=True).values_list("code", flat=True)) == {
        "core", "management", "access"
    }
    assert list(SupplierRiskCriterion.objects.values_list("code", flat=True)) == ["RP1", "RP2", "RP3", "RP4", "RP5"]
    assert set(Supplier.objects.values_list("name", flat=True)) >= {"Huawei", "ZTE", "Ericsson", "Nokia", "Samsung"}
