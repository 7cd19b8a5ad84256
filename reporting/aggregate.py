"""The figures of the coordinated review, computed by aggregate queries over the submitted answer rows.

Every function takes the ids of the input versions (the latest version of each member state of the cycle's
population) and returns plain JSON-ready data. Grouping, counting, sums and medians happen in the database;
Python only arranges the grouped rows. Results hold codes (R4, SM03, AT), never a title or a name: those
are the catalogue's, in each reader's language, when shown (reporting/tables.py). The definitions
(reporting/rounding.py, and the method note on every page):

- means are rounded half up to two decimals, once, from exact sums (shares are summed as integers of hundredths,
  `share_sum`); medians of ordinal scales are the lower median (always a level);
- a member state's supplier shares in a segment are "described"; 100 minus their sum is "other or unknown";
  the Herfindahl-Hirschman index is a range: from the listed shares alone (the unknown remainder spread over many
  small suppliers) to the listed shares plus the remainder as one supplier;
- a segment a member state did not report (no share given for any supplier) is left out of that segment's means;
  a supplier it did not list in a segment it reported counts as 0% there;
- a segment whose listed shares add up to more than 100% (a version submitted before the rule held on every path)
  is flagged and left out of that segment's figures: it has no remainder and no HHI.

`compute` gives the EU figures the review stores. The per-member-state listings (each member state's risk levels,
supplier concentration, measure statuses and notes, consistency flags) are not copied into the results: they are
read from the version rows when shown, a page of member states at a time (`listings`), so that a review's build and
its stored results grow with the questionnaire, not with the number of member states times the answers.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Aggregate, Case, Count, F, IntegerField, Max, Min, Q, Sum, Value, When
from django.db.models.functions import Cast, Round

from assessments.models import (
    AssetSensitivity,
    KeyAssetClass,
    LegislationAnswer,
    MeasureStatus,
    MeasureStatusChoice,
    Powers,
    RiskLevel,
    RiskScenario,
    ScenarioRating,
    SupplierPresence,
    ThreatActor,
    ThreatActorRating,
    ToolboxMeasure,
)
from assessments.questionnaire.shares import WHOLE, exceeds_whole, plain
from reporting.rounding import half_up, lower_median

LEVELS = [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.CRITICAL]
LEVEL_RANK = Case(*[When(level=level, then=Value(rank)) for rank, level in enumerate(LEVELS, 1)],
                  default=None, output_field=IntegerField())
SEGMENTS = SupplierPresence.SEGMENTS
MS = "version__assessment__member_state__eu_code"
IN_PLACE = [MeasureStatusChoice.ADOPTED, MeasureStatusChoice.APPLIED]
UNDER_WAY = [MeasureStatusChoice.PLANNED, MeasureStatusChoice.IN_PREPARATION, *IN_PLACE]


class LowerMedian(Aggregate):
    """PostgreSQL's percentile_disc(0.5): the lower median, always one of the values (a level, for ordinal scales)."""

    function = "PERCENTILE_DISC"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = IntegerField()


def _stats(rows, group, fields):
    """{group value: {field: {n, min, median, mean, max}}} for each ordinal field (expressions allowed)."""
    annotations = {}
    for name, expression in fields.items():
        annotations |= {f"{name}__n": Count(expression), f"{name}__min": Min(expression),
                        f"{name}__sum": Sum(expression), f"{name}__max": Max(expression)}
        if connection.vendor == "postgresql":
            annotations[f"{name}__median"] = LowerMedian(expression)
    result = {}
    for row in rows.values(group).annotate(**annotations).order_by(group):
        n = {name: row[f"{name}__n"] for name in fields}
        result[row[group]] = {name: {
            "n": n[name], "min": row[f"{name}__min"], "median": row.get(f"{name}__median"), "max": row[f"{name}__max"],
            # Mean from the exact integer sum, rounded half up: the same on PostgreSQL and SQLite.
            "mean": half_up(Decimal(row[f"{name}__sum"]) / n[name]) if n[name] else None} for name in fields}
    if connection.vendor != "postgresql":
        # SQLite (the embedded development mode) has no percentile function.
        for name, expression in fields.items():
            values = defaultdict(list)
            for key, value in rows.annotate(_v=expression).values_list(group, "_v"):
                if value is not None:
                    values[key].append(value)
            for key, found in values.items():
                result[key][name]["median"] = lower_median(found)
    return result


def _distribution(rows, group, field):
    counts = defaultdict(dict)
    for key, value, n in rows.values_list(group, field).annotate(n=Count("pk")).order_by():
        if value is not None:
            counts[key][str(value)] = n
    return counts


def scenarios(version_ids):
    """Per scenario: the count, lower median, mean, extremes and distribution of likelihood, impact and level (the
    level's keyed by its name), and how many rated it high or critical."""
    rows = ScenarioRating.objects.filter(version__in=version_ids)
    stats = _stats(rows, "scenario_id", {"likelihood": F("likelihood"), "impact": F("impact"), "level": LEVEL_RANK})
    distributions = {name: _distribution(rows, "scenario_id", name) for name in ("likelihood", "impact", "level")}
    severe = dict(rows.filter(level__in=[RiskLevel.HIGH, RiskLevel.CRITICAL]).values_list("scenario_id")
                  .annotate(n=Count("pk")).order_by())
    return [
        {"code": s.code, "n": stats.get(s.pk, {}).get("likelihood", {}).get("n", 0),
         **{field: _with_distribution(stats.get(s.pk, {}).get(field), distributions[field].get(s.pk, {}))
            for field in ("likelihood", "impact", "level")},
         "high_or_critical": severe.get(s.pk, 0)}
        for s in RiskScenario.objects.filter(pk__in=rows.values("scenario_id"))
    ]


def _with_distribution(stats, distribution):
    return None if stats is None else {**stats, "distribution": distribution}


def heatmap(version_ids, columns=None):
    """Each member state's level of each scenario; `columns` (scenario codes) fixes the columns and their order."""
    rows = ScenarioRating.objects.filter(version__in=version_ids).values_list(
        MS, "scenario__code", "level").order_by(MS, "scenario__position")
    columns, table = list(columns or []), {}
    fixed = bool(columns)
    for code, scenario, level in rows:
        if scenario not in columns and not fixed:
            columns.append(scenario)
        table.setdefault(code, {"ms": code, "levels": {}})["levels"][scenario] = level or None
    return {"columns": columns, "rows": [
        {**row, "levels": [row["levels"].get(c) for c in columns]} for row in table.values()]}


def _rated(model, item_field, item_model, fields, version_ids):
    rows = model.objects.filter(version__in=version_ids)
    stats = _stats(rows, f"{item_field}_id", {name: F(name) for name in fields})
    distributions = {name: _distribution(rows, f"{item_field}_id", name) for name in fields}
    return [
        {"code": item.code,
         **{name: {**(stats.get(item.pk, {}).get(name) or {}), "distribution": distributions[name].get(item.pk, {})}
            for name in fields}}
        for item in item_model.objects.filter(pk__in=rows.values(f"{item_field}_id"))
    ]


def actors(version_ids):
    return _rated(ThreatActorRating, "actor", ThreatActor, ["capability", "intent"], version_ids)


def assets(version_ids):
    return _rated(AssetSensitivity, "asset_class", KeyAssetClass, ["sensitivity"], version_ids)


def hundredths(segment):
    """A share as a whole number of hundredths of a percent (12.35 -> 1235). Shares have two decimals, and SQLite
    hands them back as floats (12.35 as 12.3499...): each is rounded to its hundredth in the database before any sum,
    so that sums of these integers, and of their squares, are exact on PostgreSQL and SQLite alike."""
    return Cast(Round(F(segment) * 100), IntegerField())


def share_sum(segment, *, squares=False, **options):
    """The exact sum of a segment's shares, or of their squares, as an aggregate: an integer of hundredths of a
    percent (of squares: ten-thousandths), which `exact` turns into the Decimal it stands for. Every sum of shares
    in the review is this one."""
    each = hundredths(segment)
    return Sum(each * each if squares else each, **options)


def exact(total, *, squares=False):
    """A `share_sum` as a Decimal: 1235 -> 12.35; of squares, 3050450 -> 305.045. Rounded once, when shown."""
    return Decimal(total or 0).scaleb(-4 if squares else -2)


@dataclass(frozen=True)
class Listed:
    """What one version lists in one segment, summed exactly."""

    described: Decimal  # the listed shares added up
    squares: Decimal  # their squares added up: the HHI of the listed shares
    largest: Decimal

    @property
    def counted(self):
        """False when the shares add up to more than 100% (assessments/questionnaire/shares.py): such a segment is
        flagged and left out of the segment's figures, since its remainder and HHI would be made up."""
        return not exceeds_whole(self.described)


def _listed(version_ids):
    """[(version id, member state, {segment: Listed, or None where not reported})]: one query for every segment."""
    annotations = {}
    for s in SEGMENTS:
        annotations |= {f"given_{s}": Count(s), f"sum_{s}": share_sum(s), f"squares_{s}": share_sum(s, squares=True),
                        f"max_{s}": Max(hundredths(s))}
    return [(row["version_id"], row[MS], {
        s: Listed(exact(row[f"sum_{s}"]), exact(row[f"squares_{s}"], squares=True), exact(row[f"max_{s}"]))
        if row[f"given_{s}"] else None for s in SEGMENTS})
        for row in SupplierPresence.objects.filter(version__in=version_ids).values("version_id", MS)
        .annotate(**annotations).order_by(MS, "version_id")]


def _concentration(listed, dominant):
    """One member state's figures of one segment; of shares above 100%, only what it listed."""
    if not listed.counted:
        return {"described": half_up(listed.described), "other_or_unknown": None, "hhi_min": None, "hhi_max": None,
                "max_share": half_up(listed.largest), "dominant": None}
    remainder = WHOLE - listed.described
    return {"described": half_up(listed.described), "other_or_unknown": half_up(remainder),
            "hhi_min": half_up(listed.squares), "hhi_max": half_up(listed.squares + remainder * remainder),
            "max_share": half_up(listed.largest), "dominant": dominant}


def supplier_segments(version_ids):
    """Per member state and segment: whether it reported the segment, the share described, the HHI range."""
    rows = SupplierPresence.objects.filter(version__in=version_ids)
    dominant = {(r[MS], segment): r["supplier__name"] for segment in SEGMENTS
                for r in rows.filter(**{f"{segment}__gt": 50}).values(MS, "supplier__name")}
    # A segment not reported (None) is left out of this segment's figures.
    return [{"ms": code, "segments": {s: listed and _concentration(listed, dominant.get((code, s)))
                                      for s, listed in segments.items()}}
            for _version, code, segments in _listed(version_ids)]


def suppliers(version_ids):
    rows = SupplierPresence.objects.filter(version__in=version_ids)
    listed = _listed(version_ids)
    left_out = {s: [version for version, _code, by in listed if by[s] and not by[s].counted] for s in SEGMENTS}
    # A share counts where it is above 0, in a version whose segment is counted at all.
    counted = {s: Q(**{f"{s}__gt": 0}) & ~Q(version__in=left_out[s]) if left_out[s] else Q(**{f"{s}__gt": 0})
               for s in SEGMENTS}
    # Per supplier, in one pass for every segment: in how many member states it has a share, and their sum.
    present = {}
    for s in SEGMENTS:
        present |= {f"present_{s}": Count("version", filter=counted[s], distinct=True),
                    f"total_{s}": share_sum(s, filter=counted[s])}
    per_supplier = list(rows.values("supplier__name").annotate(**present).order_by())
    high_risk = rows.filter(risk_profile="high").aggregate(**{
        s: Count("version", filter=counted[s], distinct=True) for s in SEGMENTS})
    segments = []
    for segment in SEGMENTS:
        described = [by[segment].described for _version, _code, by in listed if by[segment] and by[segment].counted]
        reporting = len(described)
        ranked = sorted(((exact(r[f"total_{segment}"]), r["supplier__name"], r[f"present_{segment}"])
                         for r in per_supplier if r[f"present_{segment}"]),
                        key=lambda item: (-item[0], item[1]))  # ties by name, on exact sums on every database
        segments.append({
            "segment": segment, "reporting": reporting, "high_risk_present_in": high_risk[segment],
            "mean_described": half_up(sum(described) / reporting) if reporting else None,
            # Mean of national shares over the member states that reported this segment (unlisted there = 0%).
            "suppliers": [{"name": name, "present_in": present, "mean_share": half_up(total / reporting)}
                          for total, name, present in ranked],
        })
    return {"reporting": rows.values("version").distinct().count(), "segments": segments}


def toolbox(version_ids):
    rows = MeasureStatus.objects.filter(version__in=version_ids)
    counts = defaultdict(dict)
    for code, status, n in rows.values_list("measure__code", "status").annotate(n=Count("pk")).order_by():
        counts[code][status or "unanswered"] = n
    measures = [{"code": m.code, "kind": m.kind, "counts": counts.get(m.code, {}),
                 "n": sum(counts.get(m.code, {}).values())}
                for m in ToolboxMeasure.objects.filter(pk__in=rows.values("measure_id"))]
    return {"statuses": [s.value for s in MeasureStatusChoice], "measures": measures}


def legislation(version_ids):
    """The second progress report's counts (15 June 2023): how many member states have legislation giving their
    authorities powers to assess suppliers and issue restrictions (adopted, in preparation, none, unanswered), how
    many of those have imposed restrictions, and how many are implementing it. None when no input answers the
    section (a cycle that does not ask it): its review stores no such figures."""
    rows = LegislationAnswer.objects.filter(version__in=version_ids)
    with_powers = Q(powers__in=[Powers.ADOPTED, Powers.IN_PREPARATION])
    found = rows.aggregate(
        n=Count("pk"), adopted=Count("pk", filter=Q(powers=Powers.ADOPTED)),
        in_preparation=Count("pk", filter=Q(powers=Powers.IN_PREPARATION)),
        none=Count("pk", filter=Q(powers=Powers.NONE)), unanswered=Count("pk", filter=Q(powers="")),
        restrictions=Count("pk", filter=with_powers & Q(restrictions_imposed="yes")),
        implementing=Count("pk", filter=with_powers & Q(implementing="yes")))
    if not found["n"]:
        return None
    return {**found, "with_powers": found["adopted"] + found["in_preparation"]}


def toolbox_matrix(version_ids, columns):
    """Each member state's status of each measure (by code, in the order of `columns`)."""
    matrix = defaultdict(dict)
    for code, measure, status in MeasureStatus.objects.filter(version__in=version_ids).values_list(
            MS, "measure__code", "status").order_by(MS):
        matrix[code][measure] = status or None
    return {"columns": columns, "rows": [{"ms": code, "statuses": [by.get(c) for c in columns]}
                                         for code, by in matrix.items()]}


def measure_notes(version_ids):
    return [{"ms": code, "measure": measure, "status": status, "target_date": target and target.isoformat(),
             "note": note}
            for code, measure, status, target, note in MeasureStatus.objects.filter(version__in=version_ids)
            .exclude(note="").values_list(MS, "measure__code", "status", "target_date", "note")
            .order_by(MS, "measure__position")]


def flags(version_ids):
    """Answers that do not sit well together, for a reviewer to look at: codes and parameters, worded when shown."""
    found = []
    high_risk_core = (SupplierPresence.objects.filter(version__in=version_ids, risk_profile="high", share_core__gt=0)
                      .values_list("version_id", MS, "supplier__name"))
    sm03 = dict(MeasureStatus.objects.filter(version__in=version_ids, measure__code="SM03")
                .values_list("version_id", "status"))
    for version_id, code, supplier in high_risk_core:
        if sm03.get(version_id) not in IN_PLACE:
            found.append({"ms": code, "kind": "high_risk_core_without_sm03", "supplier": supplier,
                          "status": sm03.get(version_id) or ""})
    for _version, code, segments in _listed(version_ids):
        found += [{"ms": code, "kind": "shares_over_100", "segment": segment, "total": plain(listed.described)}
                  for segment, listed in segments.items() if listed and not listed.counted]
    mapping = defaultdict(set)
    for scenario_id, measure_id in ToolboxMeasure.mitigates.through.objects.values_list(
            "riskscenario_id", "toolboxmeasure_id"):
        mapping[scenario_id].add(measure_id)
    if mapping:
        under_way = defaultdict(set)
        for version_id, measure_id in MeasureStatus.objects.filter(
                version__in=version_ids, status__in=UNDER_WAY).values_list("version_id", "measure_id"):
            under_way[version_id].add(measure_id)
        for version_id, code, scenario_id, scenario in ScenarioRating.objects.filter(
                version__in=version_ids, level=RiskLevel.CRITICAL, scenario_id__in=mapping).values_list(
                "version_id", MS, "scenario_id", "scenario__code"):
            if not mapping[scenario_id] & under_way[version_id]:
                found.append({"ms": code, "kind": "critical_without_measure", "scenario": scenario})
    return sorted(found, key=lambda flag: (flag["ms"], flag["kind"]))


def asked(questionnaire):
    """What the cycle's questionnaire asked, for the tables: its sections and the top of its likelihood and impact
    scales (the columns of their distributions)."""
    return {"sections": [section.value for section in questionnaire.sections],
            "scales": {"likelihood": questionnaire.likelihood_levels, "impact": questionnaire.impact_levels}}


def compute(version_ids, completeness, questionnaire=None):
    """The EU figures a review stores: aggregates over every input, none of them a list of member states."""
    laws = legislation(version_ids)
    return {
        "scenarios": scenarios(version_ids), "actors": actors(version_ids), "assets": assets(version_ids),
        "suppliers": suppliers(version_ids), "toolbox": toolbox(version_ids), "completeness": completeness,
        **(asked(questionnaire) if questionnaire is not None else {}),
        **({"legislation": laws} if laws is not None else {}),  # only then: other cycles' results stay as they were
    }


def listings(version_ids, *, scenarios, measures):
    """The per-member-state listings of these versions (a page of a review's inputs): what `compute` leaves out.

    `scenarios` and `measures` are the codes of the review's columns, so that every page has the same ones.
    """
    return {"heatmap": heatmap(version_ids, scenarios), "concentration": supplier_segments(version_ids),
            "matrix": toolbox_matrix(version_ids, measures), "notes": measure_notes(version_ids),
            "flags": flags(version_ids)}
