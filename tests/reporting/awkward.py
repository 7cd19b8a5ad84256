"""An awkward cycle whose every figure is worked out by hand (see EXPECTED), on PostgreSQL and on SQLite.

Who is counted:
  AT, DE, FR submitted; BE submitted v1, was returned, and changed its draft without resubmitting (v1 counts);
  NL submitted and was then removed from the cycle by an admin (not counted); IT is asked and never submitted.
Answers that differ from helpers.fill:
  R5 likelihood  AT 4, BE 3 (draft: 1), DE 5, FR 2, NL 5   -> counted 2 3 4 5: lower median 3, mean 3.5
  R4 levels      AT critical, BE low, DE high, FR low       -> ranks 1 1 3 4: lower median 1 (low), mean 2.25
  core shares    AT Huawei 20, Ericsson 12 (32% described)  -> HHI at least 544, at most 544 + 68² = 5168
                 BE Ericsson 50, Nokia 50; DE Nokia 60, Ericsson 40; FR Nokia 42, Ericsson 50
                 Ericsson 12+50+40+50 = 152 = Nokia 50+60+42: a tie, ordered by name; mean 38.0 each
  transport      DE Samsung 1.54, FR Samsung 1.55; AT and BE report no transport share
                 -> 2 member states report it; mean (1.54 + 1.55) / 2 = 1.545, rounded half up 1.55
  management     DE Ericsson 0.1, Cisco 0.3; FR Ericsson 0.2 -> 0.15 each (0.1 + 0.2 is not 0.3 in floats): Cisco first
Lateness: FR submitted at 00:00:00 on 16 July (late by less than a second); DE at 23:59:59.999999 on 15 July.
"""

import datetime
from decimal import Decimal

from assessments import services
from assessments.models import ScenarioRating, Supplier, SupplierPresence
from portal import services as portal_services
from portal.deadlines import BRUSSELS
from reporting import services as review_services
from reporting.listings import review_listings
from tests import factories
from tests.assessments import helpers

ON_THE_DAY = datetime.datetime(2019, 7, 10, 12, 0, tzinfo=BRUSSELS)
LAST_MICROSECOND = datetime.datetime(2019, 7, 15, 23, 59, 59, 999999, tzinfo=BRUSSELS)
MIDNIGHT = datetime.datetime(2019, 7, 16, 0, 0, 0, tzinfo=BRUSSELS)

PLANS = {
    "AT": {"r5": 4, "r4": (5, 4), "core": {"Huawei": 20, "Ericsson": 12}, "at": ON_THE_DAY},
    "BE": {"r5": 3, "r4": (2, 2), "core": {"Ericsson": 50, "Nokia": 50}, "at": ON_THE_DAY},
    "DE": {"r5": 5, "r4": (4, 4), "core": {"Nokia": 60, "Ericsson": 40}, "transport": {"Samsung": "1.54"},
           "management": {"Ericsson": "0.1", "Cisco": "0.3"}, "at": LAST_MICROSECOND},
    "FR": {"r5": 2, "r4": (1, 3), "core": {"Nokia": 42, "Ericsson": 50}, "transport": {"Samsung": "1.55"},
           "management": {"Ericsson": "0.2"}, "at": MIDNIGHT},
    "NL": {"r5": 5, "r4": (5, 5), "core": {"Huawei": 100}, "at": ON_THE_DAY},
}

EXPECTED = {
    "r5_likelihood": {"n": 4, "min": 2, "median": 3, "mean": 3.5, "max": 5,
                      "distribution": {"2": 1, "3": 1, "4": 1, "5": 1}},
    "r4_level": {"n": 4, "min": 1, "median": 1, "mean": 2.25, "max": 4,
                 "distribution": {"low": 2, "high": 1, "critical": 1}},
    "at_core": {"described": 32.0, "other_or_unknown": 68.0, "hhi_min": 544.0, "hhi_max": 5168.0, "max_share": 20.0,
                "dominant": None},
    "core_order": [("Ericsson", 38.0), ("Nokia", 38.0), ("Huawei", 5.0)],
    "transport": {"reporting": 2, "suppliers": [("Samsung", 1.55)]},
    "management_order": [("Cisco", 0.15), ("Ericsson", 0.15)],
    "completeness": {"expected": ["AT", "BE", "DE", "FR", "IT"], "included": ["AT", "BE", "DE", "FR"],
                     "withheld": [], "missing": ["IT"], "late": ["FR"]},  # withheld: TLP:RED (docs/markings.md)
}


def _answer(assessment, plan):
    helpers.fill(assessment)
    draft = {"assessment": assessment, "version__isnull": True}
    questionnaire = assessment.cycle.questionnaire
    ScenarioRating.objects.filter(**draft, scenario__code="R5").update(likelihood=plan["r5"], impact=1, level="low")
    likelihood, impact = plan["r4"]
    ScenarioRating.objects.filter(**draft, scenario__code="R4").update(
        likelihood=likelihood, impact=impact, level=questionnaire.risk_level(likelihood, impact), justification="x")
    SupplierPresence.objects.filter(**draft).delete()
    names = set(plan["core"]) | set(plan.get("transport", {})) | set(plan.get("management", {}))
    for name in sorted(names):
        SupplierPresence.objects.create(
            assessment=assessment, supplier=Supplier.objects.get_or_create(name=name)[0],
            share_core=plan["core"].get(name), share_transport=_share(plan.get("transport", {}).get(name)),
            share_management=_share(plan.get("management", {}).get(name)),
            criteria={c.code: "no" for c in questionnaire.asked_criteria}, risk_profile="low", justification="x")


def _share(value):
    return None if value is None else Decimal(value)


def build():
    """The awkward cycle, its submissions and its coverage change; returns the cycle."""
    cycle = helpers.cycle_with_questionnaire(title="Awkward", codes=["AT", "BE", "DE", "FR", "IT", "NL"])
    admin, reviewer = factories.user("admin"), factories.user("reviewer")
    for code, plan in PLANS.items():
        lead = factories.user("lead reporter", code)
        assessment = services.assessment_start(cycle=cycle, member_state=lead.member_state, user=lead)
        _answer(assessment, plan)
        services.assessment_submit(certify=True, assessment=assessment, user=lead, now=plan["at"])
        if code == "BE":
            # Returned, and changed in the draft, but never resubmitted: version 1 still counts.
            services.assessment_return(assessment=assessment, user=reviewer, points=[("scenarios", "R5", "Why?")])
            ScenarioRating.objects.filter(assessment=assessment, version__isnull=True, scenario__code="R5").update(
                likelihood=1)
    portal_services.coverage_end(cycle=cycle, member_state=factories.member_state("NL"), user=admin,
                                 reason="Asked by mistake; its submission is kept on record, not counted.")
    return cycle


def review(cycle):
    """The review of the cycle as it stands, built in this process."""
    review, _ = review_services.review_request(cycle=cycle)
    review_services.review_build(review_id=review.pk)
    review.refresh_from_db()
    return review


def figures(review):
    """The figures EXPECTED speaks of, picked out of a review's results and its member states' listings."""
    results = review.results
    scenarios = {s["code"]: s for s in results["scenarios"]}
    segments = {s["segment"]: s for s in results["suppliers"]["segments"]}
    listing = review_listings(review, review.provenance.all())
    concentration = {row["ms"]: row["segments"] for row in listing["concentration"]}
    return {
        "r5_likelihood": scenarios["R5"]["likelihood"],
        "r4_level": scenarios["R4"]["level"],
        "at_core": concentration["AT"]["share_core"],
        "core_order": [(s["name"], s["mean_share"]) for s in segments["share_core"]["suppliers"]],
        "transport": {"reporting": segments["share_transport"]["reporting"],
                      "suppliers": [(s["name"], s["mean_share"]) for s in segments["share_transport"]["suppliers"]]},
        "management_order": [(s["name"], s["mean_share"]) for s in segments["share_management"]["suppliers"]],
        "completeness": results["completeness"],
    }
