"""Supplier figures that fall exactly on a half, worked out by hand (see EXPECTED), on PostgreSQL and on SQLite.

Rounded once, half up, from exact sums: a figure rounded to two decimals first and again after, or summed as
floats, misses some of these by a hundredth.

Core network:
  AT  Nokia 12.35, Ericsson 12.35           described 24.70, other 75.30
      HHI at least 12.35² + 12.35² = 305.045 -> 305.05; at most 305.045 + 75.30² = 5,975.135 -> 5,975.14
  DE  Nokia 99.90, Ericsson 0.05            described 99.95, other 0.05
      HHI at least 99.90² + 0.05² = 9,980.0125 -> 9,980.01; at most 9,980.0125 + 0.05² = 9,980.015 -> 9,980.02
  FR  Huawei 60 (high-risk), Nokia 40, Ericsson 50 = 150%, submitted before the rule held everywhere: flagged, and
      left out of the core network's figures (no "0% other", no HHI; not counted as reporting the segment)
  EU  2 member states report it; mean described (24.70 + 99.95) / 2 = 62.325 -> 62.33
      Nokia (12.35 + 99.90) / 2 = 56.125 -> 56.13; Ericsson (12.35 + 0.05) / 2 = 6.20; Huawei (only in FR's core)
      is not listed, and no high-risk supplier is counted in the core
Access network:
  AT  Huawei 20.05   HHI at least 402.0025 -> 402.0; at most 402.0025 + 79.95² = 6,794.005 -> 6,794.01
  DE  Huawei 19.71, Samsung 0.29             described 20.00, other 80.00 (SQLite reads 0.29 as a float, and 0.29 x 100
      is 28.999...: cut to an integer it would lose a hundredth)
      HHI at least 388.4841 + 0.0841 = 388.5682 -> 388.57; at most 388.5682 + 80² -> 6,788.57
  EU  mean described (20.05 + 20.00) / 2 = 20.025 -> 20.03; Huawei (20.05 + 19.71) / 2 = 19.88 in 2 member states;
      Samsung 0.29 / 2 = 0.145 -> 0.15 in 1
"""

from decimal import Decimal

from assessments import services
from assessments.models import AssessmentVersion, Supplier, SupplierPresence
from assessments.snapshots import rows_digests, version_answers
from reporting import services as review_services
from reporting.listings import review_listings
from tests import factories
from tests.assessments import helpers

# {member state: {supplier: (core share, access share, risk profile)}}
PLANS = {
    "AT": {"Nokia": ("12.35", None, "low"), "Ericsson": ("12.35", None, "low"), "Huawei": (None, "20.05", "low")},
    "DE": {"Nokia": ("99.90", None, "low"), "Ericsson": ("0.05", None, "low"), "Huawei": (None, "19.71", "low"),
           "Samsung": (None, "0.29", "low")},
    "FR": {"Huawei": ("60", None, "high"), "Nokia": ("40", None, "low"), "Ericsson": ("0", None, "low")},
}
# What FR's version says once the rule is bypassed (as it was, before it held on submission).
FR_SUBMITTED_CORE = {"Ericsson": Decimal(50)}

EXPECTED = {
    "concentration": {
        "AT": {"share_core": {"described": 24.7, "other_or_unknown": 75.3, "hhi_min": 305.05, "hhi_max": 5975.14,
                              "max_share": 12.35, "dominant": None},
               "share_access": {"described": 20.05, "other_or_unknown": 79.95, "hhi_min": 402.0, "hhi_max": 6794.01,
                                "max_share": 20.05, "dominant": None}},
        "DE": {"share_core": {"described": 99.95, "other_or_unknown": 0.05, "hhi_min": 9980.01, "hhi_max": 9980.02,
                              "max_share": 99.9, "dominant": "Nokia"},
               "share_access": {"described": 20.0, "other_or_unknown": 80.0, "hhi_min": 388.57, "hhi_max": 6788.57,
                                "max_share": 19.71, "dominant": None}},
        "FR": {"share_core": {"described": 150.0, "other_or_unknown": None, "hhi_min": None, "hhi_max": None,
                              "max_share": 60.0, "dominant": None},
               "share_access": None},
    },
    "segments": {
        "share_core": {"reporting": 2, "mean_described": 62.33, "high_risk_present_in": 0,
                       "suppliers": [["Nokia", 56.13, 2], ["Ericsson", 6.2, 2]]},
        "share_access": {"reporting": 2, "mean_described": 20.03, "high_risk_present_in": 0,
                         "suppliers": [["Huawei", 19.88, 2], ["Samsung", 0.15, 1]]},
    },
    "flags": [{"ms": "FR", "kind": "shares_over_100", "segment": "share_core", "total": "150"}],
}


def _answer(assessment, plan):
    helpers.fill(assessment)
    SupplierPresence.objects.filter(assessment=assessment, version__isnull=True).delete()
    criteria = {c.code: "no" for c in assessment.cycle.questionnaire.asked_criteria}
    for name, (core, access, profile) in plan.items():
        SupplierPresence.objects.create(
            assessment=assessment, supplier=Supplier.objects.get_or_create(name=name)[0],
            share_core=core and Decimal(core), share_access=access and Decimal(access), criteria=criteria,
            risk_profile=profile, justification="x")


def submitted_before_the_rule(version, core):
    """Change the version's core shares as an old submission would have had them, its snapshot, SHA-256 and rows
    digest with them: a version the build accepts as submitted."""
    for name, share in core.items():
        SupplierPresence.objects.filter(version=version, supplier__name=name).update(share_core=share)
    snapshot = {**version.snapshot, "answers": version_answers([version])[version.pk]}
    AssessmentVersion.objects.filter(pk=version.pk).update(snapshot=snapshot, sha256=AssessmentVersion.digest(snapshot),
                                                           rows_digest=rows_digests([version.pk])[version.pk])


def build():
    """The cycle with the three submissions; returns the cycle."""
    cycle = helpers.cycle_with_questionnaire(title="Halves", codes=list(PLANS))
    for code, plan in PLANS.items():
        lead = factories.user("lead reporter", code)
        assessment = services.assessment_start(cycle=cycle, member_state=lead.member_state, user=lead)
        _answer(assessment, plan)
        version = services.assessment_submit(certify=True, assessment=assessment, user=lead)
        if code == "FR":
            submitted_before_the_rule(version, FR_SUBMITTED_CORE)
    return cycle


def review(cycle):
    review, _ = review_services.review_request(cycle=cycle)
    review_services.review_build(review_id=review.pk)
    review.refresh_from_db()
    return review


def figures(review):
    """What EXPECTED speaks of, from the review's results and its member states' listings."""
    segments = {s["segment"]: s for s in review.results["suppliers"]["segments"]}
    listing = review_listings(review, review.provenance.all())
    return {
        "concentration": {row["ms"]: {s: row["segments"][s] for s in ("share_core", "share_access")}
                          for row in listing["concentration"]},
        "segments": {s: {"reporting": segments[s]["reporting"], "mean_described": segments[s]["mean_described"],
                         "high_risk_present_in": segments[s]["high_risk_present_in"],
                         "suppliers": [[x["name"], x["mean_share"], x["present_in"]] for x in segments[s]["suppliers"]]}
                     for s in ("share_core", "share_access")},
        "flags": [flag for flag in listing["flags"] if flag["kind"] == "shares_over_100"],
    }
