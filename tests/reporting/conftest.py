import datetime

import pytest

from assessments import services
from assessments.models import (
    AssetSensitivity,
    MeasureStatus,
    ScenarioRating,
    Supplier,
    SupplierPresence,
    ThreatActorRating,
)
from portal.models import BRUSSELS
from tests import factories
from tests.assessments import helpers


def answer(assessment, *, scenarios, sm03, suppliers, capability, sensitivity, note=""):
    """Set the answers the hand-computed test checks, on top of a complete draft."""
    helpers.fill(assessment)
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


@pytest.fixture
def four(db):
    """Four member states with answers simple enough to work out by hand (see test_aggregate)."""
    cycle = helpers.cycle_with_questionnaire(title="Four", codes=["AT", "BE", "DE", "FR", "IT"])
    plans = {
        "AT": dict(scenarios={"R4": (5, 4), "R5": (4, 5)}, sm03="applied", capability=5, sensitivity=5,
                   suppliers=[("Huawei", 60, 40, "high"), ("Ericsson", 40, 60, "low")]),
        "BE": dict(scenarios={"R4": (2, 2), "R5": (3, 3)}, sm03="planned", capability=4, sensitivity=4,
                   suppliers=[("Nokia", 100, 50, "low"), ("Huawei", 0, 50, "high")]),
        "DE": dict(scenarios={"R4": (4, 4), "R5": (5, 5)}, sm03="adopted", capability=5, sensitivity=3,
                   suppliers=[("Ericsson", 50, 30, "low"), ("Nokia", 50, 70, "low")],
                   note='=HYPERLINK("http://evil.example","click")'),
        "FR": dict(scenarios={"R4": (1, 3), "R5": (2, 5)}, sm03="not_started", capability=3, sensitivity=4,
                   suppliers=[("Huawei", 30, 100, "high"), ("Ericsson", 70, 0, "low")]),
    }
    for code, plan in plans.items():
        lead = factories.user("lead reporter", code)
        assessment = services.assessment_start(cycle=cycle, member_state=lead.member_state, user=lead)
        answer(assessment, **plan)
        at = datetime.datetime(2019, 7, 20 if code == "FR" else 10, 12, 0, tzinfo=BRUSSELS)
        services.assessment_submit(assessment=assessment, user=lead, now=at)
    return cycle
