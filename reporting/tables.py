"""A review's results as flat tables: the data beneath each chart, and what every export writes."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from assessments.models import MeasureStatusChoice, RiskLevel
from reporting.aggregate import LEVELS, SEGMENTS

STATUS_LABELS = dict(MeasureStatusChoice.choices)
LEVEL_LABELS = dict(RiskLevel.choices)


@dataclass
class Table:
    key: str
    title: str
    headers: list
    rows: list
    per_member_state: bool = False  # shows individual member states' answers: never on the public page

    def __post_init__(self):
        # Translated labels are lazy objects: tables hold plain values for every export.
        plain = lambda value: str(value) if isinstance(value, Promise) else value  # noqa: E731
        self.headers = [plain(h) for h in self.headers]
        self.rows = [[plain(v) for v in row] for row in self.rows]

    @property
    def sheet(self):
        return self.title[:31]


def _stat(stats, name, rank=False):
    value = (stats or {}).get(name)
    if rank and value is not None and name in ("min", "max"):
        return str(LEVEL_LABELS[LEVELS[int(value) - 1]])
    return value


def review_tables(results):
    tables = []
    scenario_rows = []
    for s in results["scenarios"]:
        scenario_rows.append([s["code"], s["title"], s["n"],
                              *[_stat(s["likelihood"], k) for k in ("min", "median", "mean", "max")],
                              *[_stat(s["impact"], k) for k in ("min", "median", "mean", "max")],
                              *[_stat(s["level"], k, rank=True) for k in ("min", "median", "mean", "max")],
                              s["high_or_critical"]])
    tables.append(Table("scenarios", _("Risk scenarios"), [
        _("Code"), _("Scenario"), _("Member states"), _("Likelihood min"), _("Likelihood median"),
        _("Likelihood mean"), _("Likelihood max"), _("Impact min"), _("Impact median"), _("Impact mean"),
        _("Impact max"), _("Level min"), _("Level median (1-4)"), _("Level mean (1-4)"), _("Level max"),
        _("High or critical")], scenario_rows))
    heat = results["heatmap"]
    tables.append(Table("heatmap", _("Risk levels by member state"), [_("Member state"), *heat["columns"]],
                        [[r["name"], *[LEVEL_LABELS.get(l, "") if l else "" for l in r["levels"]]]
                         for r in heat["rows"]], per_member_state=True))
    for key, title, item, fields in (("actors", _("Threat actors"), _("Threat actor"), ["capability", "intent"]),
                                     ("assets", _("Key assets"), _("Key asset class"), ["sensitivity"])):
        headers = [_("Code"), item]
        for f in fields:
            name = {"capability": _("Capability"), "intent": _("Intent"), "sensitivity": _("Sensitivity")}[f]
            headers += [f"{name} {k}" for k in (_("count"), _("min"), _("median"), _("mean"), _("max"))]
            headers += [f"{name} = {n}" for n in range(1, 6)]
        rows = []
        for item in results[key]:
            row = [item["code"], item["title"]]
            for f in fields:
                stats = item[f]
                row += [stats.get(k) for k in ("n", "min", "median", "mean", "max")]
                row += [stats.get("distribution", {}).get(str(n), 0) for n in range(1, 6)]
            rows.append(row)
        tables.append(Table(key, title, headers, rows))
    supplier_rows = [[seg["label"], s["name"], s["present_in"], s["mean_share"]]
                     for seg in results["suppliers"]["segments"] for s in seg["suppliers"]]
    tables.append(Table("suppliers", _("Supplier shares"), [_("Segment"), _("Supplier"), _("Member states present in"),
                                                            _("Mean national share (%)")], supplier_rows))
    tables.append(Table("high_risk", _("High-risk suppliers by segment"), [_("Segment"), _("Member states")],
                        [[seg["label"], seg["high_risk_present_in"]] for seg in results["suppliers"]["segments"]]))
    concentration = []
    for row in results["suppliers"]["concentration"]:
        for segment, label in SEGMENTS.items():
            cell = row["segments"][segment]
            if cell["hhi"] is not None:
                concentration.append([row["name"], label, cell["hhi"], cell["max_share"], cell["dominant"] or ""])
    tables.append(Table("concentration", _("Supplier concentration"), [
        _("Member state"), _("Segment"), _("HHI (0-10,000)"), _("Largest share (%)"), _("Single supplier above 50%")],
        concentration, per_member_state=True))
    statuses = results["toolbox"]["statuses"]
    tables.append(Table("toolbox", _("Toolbox measures"), [_("Code"), _("Measure"),
                                                           *[str(STATUS_LABELS[s]) for s in statuses], _("Unanswered")],
                        [[m["code"], m["title"], *[m["counts"].get(s, 0) for s in statuses],
                          m["counts"].get("unanswered", 0)] for m in results["toolbox"]["measures"]]))
    matrix = results["toolbox"]["matrix"]
    tables.append(Table("toolbox_matrix", _("Measures by member state"), [_("Member state"), *matrix["columns"]],
                        [[r["name"], *[str(STATUS_LABELS.get(s, "")) if s else "" for s in r["statuses"]]]
                         for r in matrix["rows"]], per_member_state=True))
    tables.append(Table("measure_notes", _("Notes on measures"), [_("Member state"), _("Measure"), _("Status"),
                                                                   _("Target date"), _("Note")],
                        [[n["ms"], n["measure"], str(STATUS_LABELS.get(n["status"], "")), n["target_date"] or "",
                          n["note"]] for n in results["toolbox"].get("notes", [])], per_member_state=True))
    c = results["completeness"]
    tables.append(Table("completeness", _("Completeness"), [_("Expected"), _("Included"), _("Missing"), _("Late")], [[
        len(c["expected"]), len(c["included"]), len(c["missing"]), len(c["late"])]]))
    tables.append(Table("completeness_states", _("Who is included"), [_("Included"), _("Missing"), _("Late")], [[
        ", ".join(c["included"]), ", ".join(c["missing"]), ", ".join(c["late"])]], per_member_state=True))
    tables.append(Table("flags", _("Consistency flags"), [_("Member state"), _("Flag"), _("Detail")],
                        [[f["ms"], f["kind"], f["message"]] for f in results["flags"]], per_member_state=True))
    return tables
