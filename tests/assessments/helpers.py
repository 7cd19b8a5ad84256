"""Build drafts and form posts the way the browser would."""

import datetime

from assessments import services
from assessments.models import (
    AssetSensitivity,
    KeyAssetClass,
    MeasureStatus,
    PhaseOutEntry,
    Questionnaire,
    ScenarioRating,
    ScopeAnswer,
    Section,
    SectionState,
    Supplier,
    SupplierPresence,
    ThreatActorRating,
    ThreatRelevance,
)
from assessments.questionnaire.sections import SectionForms
from tests import factories


def cycle_with_questionnaire(title="2019 national risk assessments", codes=None, due=datetime.date(2019, 7, 15),
                             starts_on=datetime.date(2019, 3, 26), year=2019):
    """A cycle asking `codes` (every member on its start day by default), the whole catalogue, NRA-SUBMIT due `due`."""
    cycle = factories.CycleFactory(title=title, year=year, starts_on=starts_on, covering=codes)
    factories.MilestoneFactory(cycle=cycle, code="NRA-SUBMIT", due_date=due, tracks_submission=True)
    services.questionnaire_for(cycle)
    return cycle


def start(cycle, user):
    return services.assessment_start(cycle=cycle, member_state=user.member_state, user=user)


def post_data(assessment, section, **overrides):
    """The section's form as the browser would send it, with `overrides` ({html name: value}) applied."""
    data = SectionForms(section, assessment, assessment.cycle.questionnaire).as_post()
    data["_revision"] = str(SectionState.objects.get(assessment=assessment, section=section).revision)
    data.update({key: str(value) for key, value in overrides.items()})
    return data


def fill(assessment):
    """Answer every question of the draft directly (the tests of the forms fill them through HTTP)."""
    draft = {"assessment": assessment, "version__isnull": True}
    ScopeAnswer.objects.filter(**draft).update(
        contributing_authorities="RTR\nFederal Chancellery", method="iso27005",
        operators_consulted="A1 Telekom, Magenta, Drei", summary="Risks are highest in the core network.",
    )
    ThreatActorRating.objects.filter(**draft).update(capability=4, intent=3)
    ThreatRelevance.objects.filter(**draft).update(relevance=2)
    AssetSensitivity.objects.filter(**draft).update(sensitivity=4)
    ScenarioRating.objects.filter(**draft).update(likelihood=2, impact=2, level="low", trend="stable")
    MeasureStatus.objects.filter(**draft).update(status="adopted")
    criteria = {code: "no" for code in assessment.cycle.questionnaire.criteria.values_list("code", flat=True)}
    SupplierPresence.objects.get_or_create(
        assessment=assessment, version=None, supplier=Supplier.objects.get(name="Ericsson"),
        defaults={"share_core": 60, "share_access": 40, "criteria": criteria, "risk_profile": "low",
                  "justification": "EU supplier."},
    )
    return assessment


SECTIONS = [s for s in Section]


def answer(assessment, *, scenarios, sm03, suppliers, capability, sensitivity, note=""):
    """Set the answers the hand-computed test checks, on top of a complete draft."""
    fill(assessment)
    draft = {"assessment": assessment, "version__isnull": True}
    q = assessment.cycle.questionnaire
    for code, (likelihood, impact) in scenarios.items():
        level = q.risk_level(likelihood, impact)
        ScenarioRating.objects.filter(**draft, scenario__code=code).update(
            likelihood=likelihood, impact=impact, level=level, justification="Because.")
    MeasureStatus.objects.filter(**draft, measure__code="SM03").update(status=sm03, note=note)
    ThreatActorRating.objects.filter(**draft, actor__code="state").update(capability=capability)
    AssetSensitivity.objects.filter(**draft, asset_class__code="core").update(sensitivity=sensitivity)
    SupplierPresence.objects.filter(**draft).delete()
    for name, core, access, profile in suppliers:
        SupplierPresence.objects.create(
            assessment=assessment, supplier=Supplier.objects.get(name=name), share_core=core, share_access=access,
            criteria={c.code: "no" for c in q.asked_criteria}, risk_profile=profile, justification="x")


HUAWEI_DESIGNATED, ZTE_DESIGNATED = datetime.date(2026, 3, 31), datetime.date(2026, 6, 30)


def phase_out_cycle(codes=None):
    """A 2026 cycle keeping the phase-out tracker; two suppliers designated high-risk (illustrative dates)."""
    cycle = cycle_with_questionnaire(title="2026 supply-chain rules", codes=codes, due=datetime.date(2026, 12, 31),
                                     starts_on=datetime.date(2026, 2, 13), year=2026)
    Questionnaire.objects.filter(cycle=cycle).update(asks_phase_out=True)
    Supplier.objects.filter(name="Huawei").update(designated_high_risk_on=HUAWEI_DESIGNATED)
    Supplier.objects.filter(name="ZTE").update(designated_high_risk_on=ZTE_DESIGNATED)
    cycle.refresh_from_db()
    return cycle


def phase_out_row(assessment, operator, asset_code, supplier_name, **fields):
    """A draft row of the tracker, written directly (the tests of the form post through HTTP)."""
    return PhaseOutEntry.objects.create(assessment=assessment, operator=operator,
                                        asset_class=KeyAssetClass.objects.get(code=asset_code),
                                        supplier=Supplier.objects.get(name=supplier_name), **fields)
