"""Plausible answers for the demo data set. Deterministic per member state, so the seed is idempotent."""

import datetime
import random

from assessments import services
from assessments.models import (
    AssetSensitivity,
    MeasureStatus,
    MeasureStatusChoice,
    ScenarioRating,
    ScopeAnswer,
    Supplier,
    SupplierPresence,
    ThreatActorRating,
    ThreatRelevance,
)
from portal.models import BRUSSELS

# (EU code, submitted at (Brussels), or None for a draft left unsubmitted)
DEMO_SUBMISSIONS_2019 = [
    ("AT", datetime.datetime(2019, 7, 12, 16, 30)),
    ("DE", datetime.datetime(2019, 7, 15, 22, 10)),
    ("FR", datetime.datetime(2019, 7, 18, 9, 45)),   # late
    ("PL", datetime.datetime(2019, 7, 26, 11, 0)),   # on time, within its extension
    ("BE", datetime.datetime(2019, 7, 9, 14, 0)),
    ("NL", datetime.datetime(2019, 7, 16, 8, 20)),   # late
]
DEMO_EXTENSION_2019 = ("PL", datetime.date(2019, 7, 31), "New ministry structure; assessment adopted by the "
                                                         "Council of Ministers on 23 July.")


def fill(assessment):
    """Answer every question the cycle asks, in a way that varies between member states."""
    rng = random.Random(assessment.member_state.eu_code)
    draft = {"assessment": assessment, "version__isnull": True}
    questionnaire = assessment.cycle.questionnaire
    ScopeAnswer.objects.filter(**draft).update(
        contributing_authorities="National cybersecurity authority\nTelecom regulator",
        method=rng.choice(["iso27005", "national"]), method_detail="National risk method, 2019 edition",
        operators_consulted="The mobile network operators of the member state",
        summary="Demo answers generated for this member state.")
    for row in ThreatActorRating.objects.filter(**draft):
        row.capability, row.intent = rng.randint(2, 5), rng.randint(1, 5)
        row.save(update_fields=["capability", "intent"])
    for row in ThreatRelevance.objects.filter(**draft):
        row.relevance = rng.randint(1, 3)
        row.save(update_fields=["relevance"])
    for row in AssetSensitivity.objects.filter(**draft):
        row.sensitivity = rng.randint(2, 5)
        row.save(update_fields=["sensitivity"])
    for row in ScenarioRating.objects.filter(**draft):
        row.likelihood, row.impact = rng.randint(1, 5), rng.randint(1, 5)
        row.level = questionnaire.risk_level(row.likelihood, row.impact)
        row.trend = rng.choice(["increasing", "stable"])
        row.justification = "Demo justification." if row.level in ("high", "critical") else ""
        row.save(update_fields=["likelihood", "impact", "level", "trend", "justification"])
    for row in MeasureStatus.objects.filter(**draft):
        row.status = rng.choice([MeasureStatusChoice.ADOPTED, MeasureStatusChoice.APPLIED,
                                 MeasureStatusChoice.NOT_STARTED])
        row.save(update_fields=["status"])
    if questionnaire.asks_suppliers and not SupplierPresence.objects.filter(**draft).exists():
        shares = [(name, rng.randint(10, 50)) for name in rng.sample(["Huawei", "Ericsson", "Nokia", "ZTE"], 2)]
        for name, share in shares:
            SupplierPresence.objects.create(
                assessment=assessment, supplier=Supplier.objects.get(name=name), share_core=share,
                share_access=share, criteria={c.code: rng.choice(["yes", "no", "partly"])
                                              for c in questionnaire.asked_criteria},
                risk_profile=rng.choice(["low", "medium", "high"]), justification="Demo justification.")


def submit_history(cycle, lead_for):
    """Demo submissions of the 2019 cycle at their (demo) dates; skipped where a version exists."""
    for code, at in DEMO_SUBMISSIONS_2019:
        member_state = cycle.member_states.get(eu_code=code)
        lead = lead_for(member_state)
        assessment = services.assessment_start(cycle=cycle, member_state=member_state, user=lead)
        if assessment.versions.exists():
            continue
        fill(assessment)
        services.assessment_submit(assessment=assessment, user=lead, now=at.replace(tzinfo=BRUSSELS))
