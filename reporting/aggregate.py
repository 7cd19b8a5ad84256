"""The figures of the coordinated review, computed by aggregate queries over the submitted answer rows.

Every function takes the ids of the input versions (the latest version of each
member state) and returns plain JSON-ready data. Grouping, counting, sums and
medians happen in the database; Python only arranges the grouped rows.
"""

import statistics
from collections import defaultdict

from django.db import connection
from django.db.models import Aggregate, Avg, Case, Count, F, FloatField, IntegerField, Max, Min, Sum, Value, When
from django.utils.translation import gettext_noop

from assessments.models import (

    AssetSensitivity,
    KeyAssetClass,
    MeasureStatus,
    MeasureStatusChoice,
    RiskLevel,
    RiskScenario,
    ScenarioRating,
    SupplierPresence,
    ThreatActor,
    ThreatActorRating,
    ToolboxMeasure,
)

LEVELS = [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.CRITICAL]
LEVEL_RANK = Case(*[When(level=level, then=Value(rank)) for rank, level in enumerate(LEVELS, 1)],
                  default=None, output_field=IntegerField())
# Stored in English in the results; translated when shown (gettext_noop marks them for extraction).
SEGMENTS = {"share_core": gettext_noop("Core network"), "share_access": gettext_noop("Access network (RAN)"),
            "share_transport": gettext_noop("Transport"),
            "share_management": gettext_noop("Management and orchestration")}
MS = "version__assessment__member_state__eu_code"
IN_PLACE = [MeasureStatusChoice.ADOPTED, MeasureStatusChoice.APPLIED]
UNDER_WAY = [MeasureStatusChoice.PLANNED, MeasureStatusChoice.IN_PREPARATION, *IN_PLACE]


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5): the median, interpolated between the two middle values."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _round(value):
    return None if value is None else round(float(value), 2)


def _stats(rows, group, fields):
    """{group value: {field: {n, min, median, mean, max}}} for each numeric field (expressions allowed)."""
    annotations = {}
    for name, expression in fields.items():
        annotations |= {f"{name}__n": Count(expression), f"{name}__min": Min(expression),
                        f"{name}__mean": Avg(expression), f"{name}__max": Max(expression)}
        if connection.vendor == "postgresql":
            annotations[f"{name}__median"] = Median(expression)
    result = {}
    for row in rows.values(group).annotate(**annotations).order_by(group):
        result[row[group]] = {name: {"n": row[f"{name}__n"], "min": row[f"{name}__min"],
                                     "median": _round(row.get(f"{name}__median")), "mean": _round(row[f"{name}__mean"]),
                                     "max": row[f"{name}__max"]} for name in fields}
    if connection.vendor != "postgresql":
        # SQLite (the embedded development mode) has no percentile function.
        for name, expression in fields.items():
            values = defaultdict(list)
            for key, value in rows.annotate(_v=expression).values_list(group, "_v"):
                if value is not None:
                    values[key].append(value)
            for key, found in values.items():
                result[key][name]["median"] = _round(statistics.median(found))
    return result


def _distribution(rows, group, field):
    counts = defaultdict(dict)
    for key, value, n in rows.values_list(group, field).annotate(n=Count("pk")).order_by():
        if value is not None:
            counts[key][str(value)] = n
    return counts


def scenarios(version_ids):
    rows = ScenarioRating.objects.filter(version__in=version_ids)
    stats = _stats(rows, "scenario_id", {"likelihood": F("likelihood"), "impact": F("impact"), "level": LEVEL_RANK})
    severe = dict(rows.filter(level__in=[RiskLevel.HIGH, RiskLevel.CRITICAL]).values_list("scenario_id")
                  .annotate(n=Count("pk")).order_by())
    return [
        {"code": s.code, "title": s.title, "n": stats.get(s.pk, {}).get("likelihood", {}).get("n", 0),
         **{field: stats.get(s.pk, {}).get(field) for field in ("likelihood", "impact", "level")},
         "high_or_critical": severe.get(s.pk, 0)}
        for s in RiskScenario.objects.filter(pk__in=rows.values("scenario_id"))
    ]


def heatmap(version_ids):
    rows = ScenarioRating.objects.filter(version__in=version_ids).values_list(
        MS, "version__assessment__member_state__name", "scenario__code", "level").order_by(MS, "scenario__position")
    columns, table = [], {}
    for code, name, scenario, level in rows:
        if scenario not in columns:
            columns.append(scenario)
        table.setdefault(code, {"ms": code, "name": name, "levels": {}})["levels"][scenario] = level or None
    return {"columns": columns, "rows": [
        {**row, "levels": [row["levels"].get(c) for c in columns]} for row in table.values()]}


def _rated(model, item_field, item_model, fields, version_ids):
    rows = model.objects.filter(version__in=version_ids)
    stats = _stats(rows, f"{item_field}_id", {name: F(name) for name in fields})
    distributions = {name: _distribution(rows, f"{item_field}_id", name) for name in fields}
    return [
        {"code": item.code, "title": item.title,
         **{name: {**(stats.get(item.pk, {}).get(name) or {}), "distribution": distributions[name].get(item.pk, {})}
            for name in fields}}
        for item in item_model.objects.filter(pk__in=rows.values(f"{item_field}_id"))
    ]


def actors(version_ids):
    return _rated(ThreatActorRating, "actor", ThreatActor, ["capability", "intent"], version_ids)


def assets(version_ids):
    return _rated(AssetSensitivity, "asset_class", KeyAssetClass, ["sensitivity"], version_ids)


def suppliers(version_ids):
    rows = SupplierPresence.objects.filter(version__in=version_ids)
    reporting = rows.values("version").distinct().count()
    segments = []
    for segment, label in SEGMENTS.items():
        per_supplier = (rows.filter(**{f"{segment}__gt": 0}).values("supplier__name")
                        .annotate(present_in=Count("version", distinct=True), total=Sum(segment))
                        .order_by("-total", "supplier__name"))
        high_risk = (rows.filter(**{f"{segment}__gt": 0}, risk_profile="high")
                     .aggregate(n=Count("version", distinct=True))["n"])
        segments.append({
            "segment": segment, "label": label, "high_risk_present_in": high_risk,
            # Mean of national shares over the member states that described their suppliers (absent = 0%).
            "suppliers": [{"name": r["supplier__name"], "present_in": r["present_in"],
                           "mean_share": _round(r["total"] / reporting) if reporting else None} for r in per_supplier],
        })
    concentration = []
    squares = {f"hhi_{s}": Sum(F(s) * F(s)) for s in SEGMENTS} | {f"max_{s}": Max(s) for s in SEGMENTS}
    dominant = {(r[MS], segment): r["supplier__name"] for segment in SEGMENTS
                for r in rows.filter(**{f"{segment}__gt": 50}).values(MS, "supplier__name")}
    for row in rows.values(MS, "version__assessment__member_state__name").annotate(**squares).order_by(MS):
        code = row[MS]
        concentration.append({"ms": code, "name": row["version__assessment__member_state__name"], "segments": {
            s: {"hhi": _round(row[f"hhi_{s}"]), "max_share": _round(row[f"max_{s}"]),
                "dominant": dominant.get((code, s))} for s in SEGMENTS}})
    return {"reporting": reporting, "segments": segments, "concentration": concentration}


def toolbox(version_ids):
    rows = MeasureStatus.objects.filter(version__in=version_ids)
    counts = defaultdict(dict)
    for code, status, n in rows.values_list("measure__code", "status").annotate(n=Count("pk")).order_by():
        counts[code][status or "unanswered"] = n
    measures = [{"code": m.code, "title": m.title, "kind": m.kind, "counts": counts.get(m.code, {})}
                for m in ToolboxMeasure.objects.filter(pk__in=rows.values("measure_id"))]
    matrix = defaultdict(dict)
    for code, name, measure, status in rows.values_list(MS, "version__assessment__member_state__name",
                                                        "measure__code", "status").order_by(MS):
        matrix[(code, name)][measure] = status or None
    columns = [m["code"] for m in measures]
    notes = [{"ms": code, "measure": measure, "status": status, "target_date": target and target.isoformat(),
              "note": note}
             for code, measure, status, target, note in rows.exclude(note="").values_list(
                 MS, "measure__code", "status", "target_date", "note").order_by(MS, "measure__position")]
    return {"statuses": [s.value for s in MeasureStatusChoice], "measures": measures, "notes": notes, "matrix": {
        "columns": columns,
        "rows": [{"ms": code, "name": name, "statuses": [by.get(c) for c in columns]}
                 for (code, name), by in matrix.items()]}}


def flags(version_ids):
    """Answers that do not sit well together, for a reviewer to look at."""
    found = []
    high_risk_core = (SupplierPresence.objects.filter(version__in=version_ids, risk_profile="high", share_core__gt=0)
                      .values_list("version_id", MS, "supplier__name"))
    sm03 = dict(MeasureStatus.objects.filter(version__in=version_ids, measure__code="SM03")
                .values_list("version_id", "status"))
    for version_id, code, supplier in high_risk_core:
        if sm03.get(version_id) not in IN_PLACE:
            found.append({"ms": code, "kind": "high_risk_core_without_sm03", "message":
                          f"{supplier}, rated high-risk, is present in the core network while SM03 (restrictions "
                          f"on high-risk suppliers) is {sm03.get(version_id) or 'not answered'}."})
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
                found.append({"ms": code, "kind": "critical_without_measure", "message":
                              f"{scenario} is rated critical but none of the measures mapped to it is planned, in "
                              f"preparation, adopted or applied."})
    return sorted(found, key=lambda flag: (flag["ms"], flag["kind"]))


def floor_query(version_ids):
    """The benchmark's floor: one hand-written SQL aggregate over the same scenario rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT scenario_id, COUNT(*), MIN(likelihood), AVG(likelihood), MAX(likelihood), "
            "MIN(impact), AVG(impact), MAX(impact) FROM assessments_scenariorating "
            "WHERE version_id = ANY(%s) GROUP BY scenario_id", [list(version_ids)])
        return cursor.fetchall()


def compute(version_ids, completeness):
    return {
        "scenarios": scenarios(version_ids), "heatmap": heatmap(version_ids), "actors": actors(version_ids),
        "assets": assets(version_ids), "suppliers": suppliers(version_ids), "toolbox": toolbox(version_ids),
        "flags": flags(version_ids), "completeness": completeness,
    }


