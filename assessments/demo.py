"""Answers and submission history for the demo data set. Deterministic per member state, so the seed is idempotent.

What reproduces the public record (and is asserted by tests/portal/test_seed_demo.py):
- 2019: 28 national assessments; on 19 July 2019, 24 of 28 had been sent (DOMAIN.md), the rest by October, before the
  EU coordinated risk assessment of 9 October 2019 (the demo's 2019 review is published that day: portal/demo.py).
  Which four came later is illustrative: the public record gives the count, not the names.
- 2020: 27 reports on the Toolbox's measures, shaped like the progress report of 24 July 2020: a large majority
  had reinforced the powers of national authorities (SM01 adopted or applied), restrictions on high-risk
  suppliers were applied in a few member states and in preparation in many (SM03), a majority were reviewing
  operators' security requirements (the technical measures in preparation). Its review is published on 24 July 2020.
Every other answer is plausible, not real: national assessments are not public.

Every event of the story carries its own date, never the day of seeding: the submissions (their versions,
transitions and audit entries), France's return and its clarification point, the acceptances, and (portal/demo.py)
the reviews' builds and the publications. Illustrative, because the record is silent: the exact times of day, the
date of France's return, and the acceptances, each made a week after the version it accepts arrived, at 10:00
Brussels time (as France's first version was questioned a week after it arrived).

- 2023: 27 reports for the second progress report on the Toolbox (15 June 2023), whose counts the published review
  reproduces: 24 member states with legislation adopted or in preparation giving authorities powers to assess
  suppliers and issue restrictions, 10 of them having imposed restrictions, 3 implementing the legislation. Which
  member states stand in which group is not public: the groups below (LEGISLATION_2023) are illustrative, a
  plausible spread, never the record. The Toolbox's statuses move on from 2020 (most member states' statuses one
  step further), SM03 following the legislation. The cycle's start, its deadline of 31 March 2023 and the dates of
  the submissions and acceptances are the demo's; the review is published on the report's day.
- 2026 (the supply-chain rules): the phase-out tracker of the Commission's proposal of 20 January 2026, which is a
  proposal, not law: no supplier has been designated under it. The demo's two designated suppliers are therefore
  named neutrally ("High-risk supplier A (illustrative)") and their designation dates are ours; operators are
  "Operator A", "Operator B"... Each row's planned date is set against the 36-month deadline its designation implies,
  so that the EU view shows every status. Four member states have submitted (in November 2026), two keep drafts.
"""

import datetime
import random

from django.db import transaction
from django.db.models import Q

from assessments import services
from assessments.models import (
    AssessmentVersion,
    AssetSensitivity,
    Attachment,
    ClarificationMessage,
    ClarificationPoint,
    KeyAssetClass,
    LegislationAnswer,
    MeasureStatus,
    MeasureStatusChoice,
    NationalAssessment,
    PhaseOutEntry,
    Powers,
    ScenarioRating,
    ScopeAnswer,
    Status,
    Supplier,
    SupplierPresence,
    ThreatActorRating,
    ThreatRelevance,
    Transition,
)
from portal.deadlines import BRUSSELS
from portal.lib.storage import attachment_storage


def _at(day, month, hour=12, minute=0, second=0, microsecond=0, year=2019):
    return datetime.datetime(year, month, day, hour, minute, second, microsecond, tzinfo=BRUSSELS)


# (EU code, submitted at, Brussels time). 20 on time, 4 late by 19 July, 4 after 19 July.
SUBMISSIONS_2019 = [
    ("EE", _at(8, 7)), ("BE", _at(9, 7, 14)), ("DK", _at(10, 7)), ("LV", _at(10, 7, 15)), ("CZ", _at(11, 7)),
    ("LT", _at(11, 7, 16)), ("AT", _at(12, 7, 16, 30)), ("FI", _at(12, 7, 9)), ("MT", _at(12, 7, 11)),
    ("HU", _at(13, 7)), ("HR", _at(14, 7)), ("SK", _at(14, 7, 18)), ("SI", _at(15, 7, 10)), ("IE", _at(15, 7)),
    ("EL", _at(15, 7, 16)), ("LU", _at(15, 7, 17, 30)), ("BG", _at(15, 7, 18)), ("IT", _at(15, 7, 20)),
    ("DE", _at(15, 7, 22, 10)),
    ("CY", _at(15, 7, 23, 59, 59, 999999)),  # the last microsecond of the deadline day: on time
    ("NL", _at(16, 7, 8, 20)), ("PT", _at(17, 7, 11)), ("FR", _at(18, 7, 9, 45)), ("ES", _at(19, 7, 14)),
    ("PL", _at(26, 7, 11)),  # within its extension to 31 July
    ("RO", _at(6, 8)), ("SE", _at(2, 9)),
    ("UK", _at(30, 9)),  # before 9 October: the review published that day counts all 28
]
# Poland's extension, granted on 10 July 2019 (in force from then: the dashboard as of earlier days ignores it).
EXTENSION_2019 = ("PL", datetime.date(2019, 7, 31), "New ministry structure; assessment adopted by the Council of "
                                                    "Ministers on 23 July.", _at(10, 7, 10))
# France is asked about its sources on non-EU state actors (what and when, illustrative), answers and sends version 2;
# NL and RO are left awaiting review. (Not about a risk scenario: the 2019 questionnaire asks none, DOMAIN.md.)
RETURNED_2019 = ("FR", _at(25, 7, 10), "threats", "state",
                 "Non-EU states are rated the most capable actor without a source: which assessments did you rely on?",
                 _at(5, 8, 15))
ANSWERED_2019 = ("The national intelligence services' threat assessment of 2019 and the operators' incident reports "
                 "to the telecom regulator.")
AWAITING_REVIEW_2019 = {"NL", "RO"}
# Illustrative (the record gives no dates): each version is accepted a week after it arrived, at 10:00.
REVIEWED_AFTER = datetime.timedelta(days=7)

SUBMISSIONS_2020 = {  # the 30 April deadline; most on time, a few late
    "BG": _at(5, 5, year=2020), "CY": _at(12, 5, year=2020), "RO": _at(20, 5, year=2020),
    "HU": _at(2, 6, 10, year=2020),
}
DEFAULT_2020 = _at(27, 4, 15, year=2020)

# How many of the 27 member states stood at each status in the 2020 reports, per measure (see the docstring).
TOOLBOX_2020 = {
    "SM01": {"applied": 9, "adopted": 12, "in_preparation": 4, "planned": 2},
    "SM02": {"applied": 6, "adopted": 10, "in_preparation": 7, "planned": 4},
    "SM03": {"applied": 4, "adopted": 3, "in_preparation": 13, "planned": 5, "not_started": 2},
    "SM05": {"applied": 2, "adopted": 4, "in_preparation": 11, "planned": 8, "not_started": 2},
}
TECHNICAL_2020 = {"applied": 3, "adopted": 5, "in_preparation": 15, "planned": 4}
OTHER_2020 = {"applied": 1, "adopted": 4, "in_preparation": 12, "planned": 8, "not_started": 2}

# 2023 (see the module's docstring): the report gives the counts, never the names, so these groups are illustrative.
# (powers, restrictions imposed, implementing, member states): 24 with powers, 10 restricting, 3 implementing.
LEGISLATION_2023 = [
    (Powers.ADOPTED, "yes", "no", ["BE", "CZ", "DK", "EE", "FR", "LT", "LV", "RO", "SE", "SK"]),
    (Powers.ADOPTED, "no", "yes", ["DE", "FI", "NL"]),
    (Powers.ADOPTED, "no", "no", ["EL", "HU", "LU"]),
    (Powers.IN_PREPARATION, "no", "no", ["AT", "ES", "HR", "IE", "IT", "PL", "PT", "SI"]),
    (Powers.NONE, "", "", ["BG", "CY", "MT"]),
]
LEGISLATION_NOTES_2023 = {  # a few, in the member states' own words (invented): never one text copied 27 times
    "yes": ["Restrictions decided on the core network and on sensitive parts of the RAN.",
            "Two decisions excluding a supplier from the core network; operators given a transition period.",
            "Restrictions apply to new equipment; existing equipment is replaced at its end of life."],
    "implementing": ["The implementing decree on the assessment procedure is in preparation.",
                     "The authority is setting up the procedure to assess suppliers."],
    Powers.IN_PREPARATION: ["Draft law before parliament.", "Draft law in public consultation.", ""],
}
SUBMISSIONS_2023 = {  # the demo's dates: most by the deadline of 31 March 2023, a few after it
    "BG": _at(12, 4, 11, year=2023), "MT": _at(20, 4, 15, year=2023), "PL": _at(4, 5, 10, year=2023),
}
ON_TIME_2023 = (datetime.date(2023, 3, 13), 19)  # the others, one or two a working day from 13 March 2023
# One step further along the way a measure is put in place (a status of 2020 moves on by 2023).
STEP = {"not_started": "planned", "planned": "in_preparation", "in_preparation": "adopted", "adopted": "applied",
        "applied": "applied"}

# Illustrative designations (see the module's docstring): deadlines 31 March 2029 and 30 September 2029.
PHASE_OUT_SUPPLIERS = {"A": ("High-risk supplier A (illustrative)", datetime.date(2026, 3, 31)),
                       "B": ("High-risk supplier B (illustrative)", datetime.date(2026, 9, 30))}
D = datetime.date
# {EU code: (submitted at, or None for a draft, [(operator, key asset class, supplier, present, planned removal,
# progress, removed on, note)])}.
PHASE_OUT_2026 = {
    "DE": (_at(3, 11, 10, year=2026), [
        ("Operator A", "core", "A", True, D(2028, 9, 30), 40, None, "Core replaced site by site."),
        ("Operator A", "access", "A", True, D(2029, 6, 30), 15, None, "RAN swap delayed by equipment supply."),
        ("Operator B", "core", "A", True, None, 100, D(2026, 10, 15), ""),
        ("Operator B", "management", "B", False, None, None, None, "")]),
    "FR": (_at(12, 11, 15, year=2026), [
        ("Operator A", "access", "A", True, D(2028, 12, 31), 55, None, ""),
        ("Operator B", "access", "A", True, D(2029, 3, 31), 30, None, "Planned for the last day of the period."),
        ("Operator C", "core", "B", True, None, None, None, "Plan expected in 2027.")]),
    "NL": (_at(20, 11, 11, year=2026), [
        ("Operator A", "core", "A", True, D(2027, 12, 31), 70, None, ""),
        ("Operator B", "access", "B", True, D(2029, 12, 31), 5, None, "Operator asks for more time.")]),
    "FI": (_at(25, 11, 9, year=2026), [
        ("Operator A", "access", "A", True, None, 100, D(2026, 6, 30), "Replaced in the 2026 network upgrade."),
        ("Operator B", "access", "A", True, D(2028, 6, 30), 60, None, "")]),
    "AT": (None, [
        ("Operator A", "access", "A", True, D(2028, 10, 31), 25, None, ""),
        ("Operator B", "core", "B", True, None, None, None, "")]),
    "PL": (None, [
        ("Operator A", "access", "A", True, D(2029, 2, 28), 20, None, ""),
        ("Operator C", "management", "A", False, None, None, None, "")]),
}


def phase_out_suppliers():
    """The demo's designated suppliers, made or given back their designation: {key: Supplier}."""
    found = {}
    for key, (name, designated_on) in PHASE_OUT_SUPPLIERS.items():
        found[key], _created = Supplier.objects.get_or_create(name=name,
                                                              defaults={"designated_high_risk_on": designated_on})
        if found[key].designated_high_risk_on != designated_on:  # saved only when changed: the audit trail sees it
            found[key].designated_high_risk_on = designated_on
            found[key].save(update_fields=["designated_high_risk_on"])
    return found


def fill_phase_out(assessment, rows, suppliers):
    """The tracker's draft rows, once (a draft that has rows keeps them: a demo filer's edits stay)."""
    if PhaseOutEntry.objects.filter(assessment=assessment, version__isnull=True).exists():
        return
    assets = {asset.code: asset for asset in KeyAssetClass.objects.all()}
    PhaseOutEntry.objects.bulk_create(
        PhaseOutEntry(assessment=assessment, operator=operator, asset_class=assets[asset], supplier=suppliers[key],
                      components_present=present, planned_removal_on=planned, progress=progress, removed_on=removed,
                      note=note)
        for operator, asset, key, present, planned, progress, removed, note in rows)


def story_2026(cycle):
    """The phase-out reports submitted, at their dates."""
    return sorted((at, "submit", code) for code, (at, _rows) in PHASE_OUT_2026.items() if at)


def tell_2026(cycle, leads):
    """The 2026 drafts and submissions, each at its date; the drafts of the others stay drafts."""
    member_states = {member_state.eu_code: member_state for member_state in cycle.covered_member_states()}
    suppliers = phase_out_suppliers()
    drafts = [code for code, (at, _rows) in PHASE_OUT_2026.items() if at is None]
    for code in [code for _at, _what, code in story_2026(cycle)] + drafts:
        at, rows = PHASE_OUT_2026[code]
        assessment = services.assessment_start(cycle=cycle, member_state=member_states[code], user=leads[code])
        fill(assessment)
        fill_phase_out(assessment, rows, suppliers)
        if at:
            services.assessment_submit(certify=True, assessment=assessment, user=leads[code], now=at)


def fill(assessment):
    """Answer every question the cycle asks, in a way that varies between member states."""
    rng = random.Random(f"{assessment.cycle.year}-{assessment.member_state.eu_code}")
    draft = {"assessment": assessment, "version__isnull": True}
    questionnaire = assessment.cycle.questionnaire
    ScopeAnswer.objects.filter(**draft).update(
        contributing_authorities="National cybersecurity authority\nTelecom regulator\nMinistry of the Interior",
        method=rng.choice(["iso27005", "national"]), method_detail="National risk method, 2019 edition",
        operators_consulted="The mobile network operators of the member state",
        summary="Demo answers generated for this member state: plausible, not its real assessment.")
    for row in ThreatActorRating.objects.filter(**draft).select_related("actor"):
        state = row.actor.code == "state"  # non-EU states: the most serious threat, by the coordinated assessment
        row.capability, row.intent = (5, rng.randint(4, 5)) if state else (rng.randint(2, 4), rng.randint(1, 4))
        row.save(update_fields=["capability", "intent"])
    for row in ThreatRelevance.objects.filter(**draft):
        row.relevance = rng.randint(1, 3)
        row.save(update_fields=["relevance"])
    for row in AssetSensitivity.objects.filter(**draft).select_related("asset_class"):
        row.sensitivity = 5 if row.asset_class.is_critical else rng.randint(2, 4)
        row.save(update_fields=["sensitivity"])
    for row in ScenarioRating.objects.filter(**draft).select_related("scenario"):
        low = 3 if row.scenario.is_strategic else 1
        row.likelihood, row.impact = rng.randint(low, 5), rng.randint(low + 1 if low < 5 else 5, 5)
        row.level = questionnaire.risk_level(row.likelihood, row.impact)
        row.trend = rng.choice(["increasing", "increasing", "stable"])
        row.justification = ("Dependence on few suppliers for the core network and the RAN."
                             if row.level in ("high", "critical") else "")
        row.save(update_fields=["likelihood", "impact", "level", "trend", "justification"])
    if questionnaire.asks_suppliers and not SupplierPresence.objects.filter(**draft).exists():
        _suppliers(assessment, rng, questionnaire)


def _suppliers(assessment, rng, questionnaire):
    """Three or four suppliers, with shares of their own in the core and the RAN; in some member states the listed
    shares do not describe the whole market. The risk profile follows the criteria as the member state answered them,
    so that not every state rates every supplier alike."""
    names = ["Huawei", "Ericsson", "Nokia"] + (["ZTE"] if rng.random() < 0.3 else [])
    core, access = _shares(rng, len(names)), _shares(rng, len(names))
    for name, share_core, share_access in zip(names, core, access, strict=True):
        if not share_core and not share_access:
            continue
        flagged = name in ("Huawei", "ZTE")
        criteria = {c.code: rng.choice(["yes", "yes", "yes", "partly", "no"] if flagged else ["no", "no", "partly"])
                    for c in questionnaire.asked_criteria}
        SupplierPresence.objects.create(
            assessment=assessment, supplier=Supplier.objects.get(name=name), share_core=share_core,
            share_access=share_access, criteria=criteria, risk_profile=_profile(criteria),
            justification="Demo profile, from the criteria as this member state answered them.")


def _shares(rng, count):
    """`count` market shares in percent, the first the largest on average; most member states describe the whole
    market (100), some only part of it."""
    described = rng.choice([100, 100, 100, 95, 90, 80])
    weights = [rng.uniform(0.3, 1.0) * (1.6 if position == 0 else 1.0) for position in range(count)]
    shares = [int(described * weight / sum(weights)) for weight in weights]
    shares[0] += described - sum(shares)  # what the rounding down left over
    return shares


def _profile(criteria):
    """High when most criteria are met, medium when some are, else low."""
    met = sum({"yes": 2, "partly": 1}.get(answer, 0) for answer in criteria.values())
    most = len(criteria) or 1
    return "high" if met >= most * 3 // 2 else "medium" if met >= most // 2 else "low"


def measure_statuses(member_states, measures):
    """{(member state code, measure code): status}, with the counts of TOOLBOX_2020, deterministically spread."""
    codes = [m.eu_code for m in member_states]
    statuses = {}
    for measure in measures:
        plan = TOOLBOX_2020.get(measure.code) or _varied(
            TECHNICAL_2020 if measure.kind == "TM" else OTHER_2020, random.Random(measure.code))
        pool = [status for status, n in plan.items() for _ in range(n)]
        pool += ["planned"] * (len(codes) - len(pool))
        random.Random(measure.code).shuffle(pool)
        statuses |= {(code, measure.code): status for code, status in zip(codes, pool[:len(codes)])}
    return statuses


def _varied(plan, rng):
    """`plan`'s counts with a few member states moved one status up or down, so that measures without a figure of
    their own in the record do not all stand alike; in preparation stays the most common."""
    counts, order = dict(plan), list(plan)
    for _move in range(rng.randint(1, 4)):
        source = rng.choice([status for status in order if counts[status] > 1 and status != "in_preparation"]
                            or ["in_preparation"])
        index = order.index(source)
        target = order[min(len(order) - 1, index + 1) if rng.random() < 0.5 else max(0, index - 1)]
        counts[source] -= 1
        counts[target] += 1
    return counts


def progress_statuses(member_states, measures):
    """2023: {(member state code, measure code): status}, moved on from 2020's (`measure_statuses`): most statuses one
    step further, deterministically; SM03 (restrictions on high-risk suppliers) as the member state's legislation
    stands (LEGISLATION_2023): applied where restrictions were imposed, in preparation with the legislation, planned
    without any."""
    statuses = {key: STEP.get(status, status) if random.Random(f"2023-{key[0]}-{key[1]}").random() < 0.7 else status
                for key, status in measure_statuses(member_states, measures).items()}
    sm03 = {Powers.ADOPTED: "adopted", Powers.IN_PREPARATION: "in_preparation", Powers.NONE: "planned"}
    for code, (powers, restricted, _implementing) in legislation_2023().items():
        if (code, "SM03") in statuses:
            statuses[(code, "SM03")] = "applied" if restricted == "yes" else sm03[powers]
    return statuses


def legislation_2023():
    """{EU code: (powers, restrictions imposed, implementing)} of LEGISLATION_2023."""
    return {code: (powers, restricted, implementing)
            for powers, restricted, implementing, codes in LEGISLATION_2023 for code in codes}


def fill_legislation(assessment):
    """The 2023 questions, as LEGISLATION_2023 says for the member state (nothing when the cycle does not ask them),
    with a note in some."""
    code = assessment.member_state.eu_code
    found = legislation_2023().get(code)
    if found is None:
        return
    powers, restricted, implementing = found
    key = "yes" if restricted == "yes" else "implementing" if implementing == "yes" else powers
    note = random.Random(f"legislation-{code}").choice(LEGISLATION_NOTES_2023.get(key) or [""])
    LegislationAnswer.objects.filter(assessment=assessment, version__isnull=True).update(
        powers=powers, restrictions_imposed=restricted, implementing=implementing, note=note)


def fill_measures(assessment, statuses):
    """The measures' statuses of `measure_statuses` (nothing when the cycle does not ask about measures); a measure
    planned or in preparation is due by the end of the cycle's year, or the middle of the next."""
    year = assessment.cycle.year
    for row in MeasureStatus.objects.filter(assessment=assessment, version__isnull=True).select_related("measure"):
        row.status = statuses[(assessment.member_state.eu_code, row.measure.code)]
        if row.status in (MeasureStatusChoice.PLANNED, MeasureStatusChoice.IN_PREPARATION):
            row.target_date = datetime.date(year, 12, 31) if row.status == "in_preparation" else datetime.date(
                year + 1, 6, 30)
        row.save(update_fields=["status", "target_date"])


def reviewed_at(submitted_at):
    day = submitted_at.astimezone(BRUSSELS).date() + REVIEWED_AFTER
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=BRUSSELS)


def story_2019(cycle):
    """The 2019 story as (time, what, EU code), in the order it happened: "submit", "return", "accept"."""
    france, asked, *_point, resubmitted = RETURNED_2019
    events = [(at, "submit", code) for code, at in SUBMISSIONS_2019]
    events += [(asked, "return", france), (resubmitted, "submit", france)]
    latest = dict(SUBMISSIONS_2019) | {france: resubmitted}
    events += [(reviewed_at(at), "accept", code) for code, at in latest.items() if code not in AWAITING_REVIEW_2019]
    return sorted(events)


def story_2020(cycle):
    """The 2020 reports, at their dates, in the order they came."""
    return sorted((SUBMISSIONS_2020.get(member_state.eu_code, DEFAULT_2020), "submit", member_state.eu_code)
                  for member_state in cycle.covered_member_states())


def story_2023(cycle):
    """The 2023 reports at their (the demo's) dates, each accepted a week after it arrived."""
    codes = sorted(member_state.eu_code for member_state in cycle.covered_member_states())
    on_time = [code for code in codes if code not in SUBMISSIONS_2023]
    first, days = ON_TIME_2023
    submitted = dict(SUBMISSIONS_2023)
    for index, code in enumerate(on_time):  # spread over the days before the deadline, at varied hours
        day = first + datetime.timedelta(days=index * days // len(on_time))
        submitted[code] = datetime.datetime.combine(day, datetime.time(9 + index % 8, 15 * (index % 4)),
                                                    tzinfo=BRUSSELS)
    events = [(at, "submit", code) for code, at in submitted.items()]
    events += [(reviewed_at(at), "accept", code) for code, at in submitted.items()]
    return sorted(events)


def has_history(cycle):
    return AssessmentVersion.objects.filter(assessment__cycle=cycle).exists()


def story_told(cycle, story):
    """Whether the cycle holds `story`, no more and no less: a version at each submission's time, a transition for
    each event. Not so when an older seed told it at the day of seeding, or after a change by hand."""
    submitted = sorted((at, code) for at, what, code in story if what == "submit")
    versions = sorted(AssessmentVersion.objects.filter(assessment__cycle=cycle).values_list(
        "submitted_at", "assessment__member_state__eu_code"))
    return (versions == submitted and Transition.objects.filter(assessment__cycle=cycle).count() == len(story)
            and not answers_unasked(cycle))


def answers_unasked(cycle):
    """Whether the cycle's assessments answer a scenario or a measure its questionnaire does not ask (an older seed
    asked the 2019 cycle about the EU's scenarios, which came later)."""
    questionnaire = cycle.questionnaire
    return (ScenarioRating.objects.filter(assessment__cycle=cycle).exclude(
                scenario__in=questionnaire.scenarios.all()).exists()
            or MeasureStatus.objects.filter(assessment__cycle=cycle).exclude(
                measure__in=questionnaire.measures.all()).exists())


def tell(cycle, story, leads, reviewer):
    """Submissions, returns and acceptances, each at its time and in the order they happened, so that each submission
    asks for the review of the submissions as they stood then. `leads` are the lead reporters by EU code."""
    member_states = {member_state.eu_code: member_state for member_state in cycle.covered_member_states()}
    measures = list(cycle.questionnaire.measures.all())
    progress = progress_statuses if cycle.questionnaire.asks_legislation else measure_statuses  # 2023: moved on
    statuses = progress(list(member_states.values()), measures) if measures else {}
    assessments = {}
    for at, what, code in story:
        if what == "submit":
            assessment = assessments.get(code)
            if assessment is None:
                assessment = assessments[code] = services.assessment_start(
                    cycle=cycle, member_state=member_states[code], user=leads[code])
                fill(assessment)
                fill_measures(assessment, statuses)
                fill_legislation(assessment)
            else:  # France's answer to the point it was asked
                ThreatActorRating.objects.filter(assessment=assessment, version__isnull=True,
                                                 actor__code=RETURNED_2019[3]).update(note=ANSWERED_2019)
            services.assessment_submit(certify=True, assessment=assessment, user=leads[code], now=at)
        elif what == "return":
            _code, _asked, section, item, question, _resubmitted = RETURNED_2019
            services.assessment_return(assessment=assessments[code], user=reviewer, now=at,
                                       points=[(section, item, question)])
        else:
            services.assessment_accept(assessment=assessments[code], user=reviewer, now=at)


def discard(cycle, *, since=None):
    """Remove the national assessments' records of a demo cycle made after `since`, or all of them when None: what
    someone did while trying the demo. The assessments then stand at their last remaining transition.

    Its reviews must be gone first (they cite the versions: portal/demo.py, `versions_after`). Draft answers edited
    in an assessment that remains are not reverted."""
    versions = versions_after(cycle, since)
    recorded_after(ClarificationMessage.objects.filter(point__assessment__cycle=cycle), since, "at").delete()
    recorded_after(ClarificationPoint.objects.filter(assessment__cycle=cycle), since, "raised_at",
                   Q(version__in=versions)).delete()
    recorded_after(Transition.objects.filter(assessment__cycle=cycle), since, "at", Q(version__in=versions)).delete()
    versions.delete()
    attachments = recorded_after(Attachment.objects.filter(assessment__cycle=cycle), since, "uploaded_at")
    files = list(attachments.values_list("file", flat=True))
    attachments.delete()
    transaction.on_commit(lambda: [attachment_storage().delete(name) for name in files])  # never before the rows go
    assessments = NationalAssessment.objects.filter(cycle=cycle)
    # Started after `since`: every assessment the story made has a version of its own time.
    (assessments if since is None else assessments.filter(versions__isnull=True)).delete()
    for assessment in assessments.prefetch_related("transitions"):
        last = max(assessment.transitions.all(), key=lambda t: (t.at, t.pk), default=None)
        status = last.to_status if last else Status.DRAFT
        if assessment.status != status:
            NationalAssessment.objects.filter(pk=assessment.pk).update(status=status)


def versions_after(cycle, since=None):
    """The cycle's versions submitted after `since` (all when None): whatever cites them goes with them."""
    return recorded_after(AssessmentVersion.objects.filter(assessment__cycle=cycle), since, "submitted_at")


def recorded_after(rows, since, field, *citing):
    """The rows whose `field` is after `since`, or that match one of `citing` (what cites a row that goes); all of
    them when `since` is None."""
    if since is None:
        return rows
    condition = Q(**{f"{field}__gt": since})
    for also in citing:
        condition |= also
    return rows.filter(condition)
