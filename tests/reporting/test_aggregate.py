"""Every figure of the review for four member states, against values worked out by hand.

Medians are lower medians (a level of the scale), means are rounded half up.

Risk matrix (default 5 x 5): score = likelihood x impact; low < 5 <= medium < 10 <= high < 17 <= critical.
  AT: R4 5x4=20 critical, R5 4x5=20 critical;  BE: R4 2x2=4 low, R5 3x3=9 medium
  DE: R4 4x4=16 high,     R5 5x5=25 critical;  FR: R4 1x3=3 low, R5 2x5=10 high
All other scenarios come from helpers.fill: likelihood 2, impact 2, low.
"""

import pytest

from reporting import services
from reporting.listings import review_listings
from reporting.models import CoordinatedReview

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(review):
    return review.results


@pytest.fixture
def listing(review):
    """Every member state's listings, read from the input versions' rows."""
    return review_listings(review, review.provenance.all())


def test_the_stored_results_hold_eu_figures_only_never_a_member_states_listing(results):
    """What each member state answered stays in its version; the review stores what is summed over them."""
    assert set(results) == {"scenarios", "actors", "assets", "suppliers", "toolbox", "completeness", "generated_at",
                            "sections", "scales"}
    # What the cycle asked: the sections its tables are made for, and its scales (the columns of distributions).
    assert results["sections"] == ["scope", "threats", "assets", "suppliers", "scenarios", "measures", "attachments"]
    assert results["scales"] == {"likelihood": 5, "impact": 5}
    assert set(results["suppliers"]) == {"reporting", "segments"}
    assert set(results["toolbox"]) == {"statuses", "measures"}


def by_code(items):
    return {item["code"]: item for item in items}


def test_scenario_counts_lower_medians_and_means(results):
    r4, r5, r1 = (by_code(results["scenarios"])[c] for c in ("R4", "R5", "R1"))
    assert r4["n"] == 4
    # likelihoods 5, 2, 4, 1 -> 1 2 4 5: lower median 2, mean 12/4 = 3
    assert r4["likelihood"] == {"n": 4, "min": 1, "median": 2, "mean": 3.0, "max": 5,
                                "distribution": {"1": 1, "2": 1, "4": 1, "5": 1}}
    # impacts 4, 2, 4, 3 -> 2 3 4 4: lower median 3, mean 13/4 = 3.25
    assert r4["impact"] == {"n": 4, "min": 2, "median": 3, "mean": 3.25, "max": 4,
                            "distribution": {"2": 1, "3": 1, "4": 2}}
    # levels critical 4, low 1, high 3, low 1 -> 1 1 3 4: lower median 1 (low), mean 9/4 = 2.25
    assert r4["level"] == {"n": 4, "min": 1, "median": 1, "mean": 2.25, "max": 4,
                           "distribution": {"low": 2, "high": 1, "critical": 1}}
    assert r4["high_or_critical"] == 2
    # R5 levels critical, medium, critical, high -> 2 3 4 4: lower median 3 (high), mean 3.25
    assert (r5["level"]["median"], r5["level"]["mean"], r5["high_or_critical"]) == (3, 3.25, 3)
    assert r1["likelihood"] == {"n": 4, "min": 2, "median": 2.0, "mean": 2.0, "max": 2, "distribution": {"2": 4}}
    assert r1["high_or_critical"] == 0


def test_the_heat_map_holds_each_member_states_level_per_scenario(listing):
    heat = listing["heatmap"]
    assert heat["columns"] == [f"R{i}" for i in range(1, 10)]
    rows = {row["ms"]: row["levels"] for row in heat["rows"]}
    assert sorted(rows) == ["AT", "BE", "DE", "FR"]
    assert (rows["AT"][3], rows["BE"][3], rows["DE"][3], rows["FR"][3]) == ("critical", "low", "high", "low")
    assert rows["DE"][4] == "critical" and rows["FR"][0] == "low"


def test_threat_actor_and_asset_distributions(results):
    state = by_code(results["actors"])["state"]["capability"]
    # capabilities 5, 4, 5, 3 -> 3 4 5 5: lower median 4
    assert (state["min"], state["median"], state["mean"], state["max"]) == (3, 4, 4.25, 5)
    assert state["distribution"] == {"3": 1, "4": 1, "5": 2}
    insider = by_code(results["actors"])["insider"]["intent"]  # helpers.fill: intent 3 everywhere
    assert insider["distribution"] == {"3": 4}
    core = by_code(results["assets"])["core"]["sensitivity"]
    # sensitivities 5, 4, 3, 4 -> 3 4 4 5
    assert (core["median"], core["mean"], core["distribution"]) == (4, 4.0, {"3": 1, "4": 2, "5": 1})


def test_supplier_shares_concentration_and_high_risk_presence(results, listing):
    suppliers = results["suppliers"]
    assert suppliers["reporting"] == 4
    core = {s["segment"]: s for s in suppliers["segments"]}["share_core"]
    shares = {s["name"]: (s["present_in"], s["mean_share"]) for s in core["suppliers"]}
    # core: Huawei 60 + 0 (BE, not present) + 30 = 90 / 4; Ericsson 40 + 50 + 70 = 160 / 4; Nokia 100 + 50 = 150 / 4
    assert shares == {"Huawei": (2, 22.5), "Ericsson": (3, 40.0), "Nokia": (2, 37.5)}
    # high-risk present in the core: AT (60) and FR (30); BE's Huawei has 0% there. In access: AT, BE, FR.
    assert core["high_risk_present_in"] == 2
    assert {s["segment"]: s for s in suppliers["segments"]}["share_access"]["high_risk_present_in"] == 3
    hhi = {row["ms"]: row["segments"] for row in listing["concentration"]}
    # Every member state described 100% of its core: the range is one value.
    # AT core 60² + 40² = 5200; BE core 100² = 10000; DE core 50² + 50² = 5000; FR core 30² + 70² = 5800
    assert {ms: (seg["share_core"]["hhi_min"], seg["share_core"]["hhi_max"]) for ms, seg in hhi.items()} == {
        "AT": (5200.0, 5200.0), "BE": (10000.0, 10000.0), "DE": (5000.0, 5000.0), "FR": (5800.0, 5800.0)}
    # a single supplier above 50%: AT Huawei, BE Nokia, FR Ericsson in the core; DE none (50 is not above 50)
    assert {ms: seg["share_core"]["dominant"] for ms, seg in hhi.items()} == {
        "AT": "Huawei", "BE": "Nokia", "DE": None, "FR": "Ericsson"}
    assert hhi["FR"]["share_access"] == {"described": 100.0, "other_or_unknown": 0.0, "hhi_min": 10000.0,
                                         "hhi_max": 10000.0, "max_share": 100.0, "dominant": "Huawei"}
    # Nobody gave a transport share: the segment is not reported anywhere, and not averaged as 0%.
    assert all(seg["share_transport"] is None for seg in hhi.values())
    transport = {s["segment"]: s for s in suppliers["segments"]}["share_transport"]
    assert (transport["reporting"], transport["suppliers"]) == (0, [])


def test_toolbox_matrix_and_counts(results, listing):
    toolbox = results["toolbox"]
    sm03 = by_code(toolbox["measures"])["SM03"]["counts"]
    assert sm03 == {"applied": 1, "planned": 1, "adopted": 1, "not_started": 1}
    assert by_code(toolbox["measures"])["SM01"]["counts"] == {"adopted": 4}  # helpers.fill
    matrix = {row["ms"]: dict(zip(listing["matrix"]["columns"], row["statuses"])) for row in listing["matrix"]["rows"]}
    assert (matrix["AT"]["SM03"], matrix["FR"]["SM03"]) == ("applied", "not_started")
    assert len(listing["matrix"]["columns"]) == 29


def test_completeness_adds_up_to_the_population(results):
    # IT is covered by the cycle and did not submit; FR submitted on 20 July, after the 15 July deadline; nobody
    # marked a version TLP:RED, so nothing is withheld (tests/reporting/test_markings.py withholds one).
    assert results["completeness"] == {"expected": ["AT", "BE", "DE", "FR", "IT"],
                                       "included": ["AT", "BE", "DE", "FR"], "withheld": [], "missing": ["IT"],
                                       "late": ["FR"]}


def test_consistency_flags(listing):
    # BE: Huawei high-risk but 0% in the core -> no flag. FR: Huawei high-risk at 30% with SM03 not started -> flag.
    # AT: high-risk in the core but SM03 applied -> no flag.
    assert [(f["ms"], f["kind"]) for f in listing["flags"]] == [("FR", "high_risk_core_without_sm03")]


def test_a_critical_scenario_without_any_mapped_measure_under_way_is_flagged(four, reviewer, submit):
    from assessments import services as assessment_services
    from assessments.models import MeasureStatus, NationalAssessment, RiskScenario, ToolboxMeasure

    # Map R5 to SM05 (diversity of suppliers). helpers.fill set SM05 "adopted" everywhere; DE resubmits it
    # "not started" after being asked.
    ToolboxMeasure.objects.get(code="SM05").mitigates.add(RiskScenario.objects.get(code="R5"))
    germany = NationalAssessment.objects.get(cycle=four, member_state__eu_code="DE")
    assessment_services.assessment_return(assessment=germany, user=reviewer, points=[("measures", "SM05", "?")])
    MeasureStatus.objects.filter(assessment=germany, version=None, measure__code="SM05").update(status="not_started")
    submit(four, "DE", fill=False, lead=germany.created_by)
    review = CoordinatedReview.objects.filter(cycle=four).latest("pk")
    services.review_build(review_id=review.pk)
    review.refresh_from_db()
    # R5 is critical for AT (SM05 adopted: fine) and DE (SM05 not started: flagged).
    assert [(f["ms"], f["kind"]) for f in review_listings(review, review.provenance.all())["flags"]] == [
        ("DE", "critical_without_measure"), ("FR", "high_risk_core_without_sm03")]
