"""A review's results as flat tables: the data beneath each chart, and what every export writes.

Each table comes from one small builder: those in `BUILDERS` read the review's stored EU figures, those in
`LISTING_BUILDERS` a page of its per-member-state listings (reporting/listings.py, read from the version rows). The
pages, the PDF, the XLSX and the CSV all go through the functions at the bottom, so they cannot drift apart.
Authority staff get `public=True`: no per-member-state table, and any figure over fewer member states than the
minimum group size is suppressed (reviewers see everything).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assessments.models import (
    KeyAssetClass,
    MeasureStatusChoice,
    RiskLevel,
    RiskScenario,
    ThreatActor,
    ToolboxMeasure,
)
from portal.lib import translated
from portal.models import MemberState
from reporting.aggregate import LEVELS, SEGMENTS

STATUS_LABELS = dict(MeasureStatusChoice.choices)
# A status in a cell a printed page has room for two letters in (the matrix of 29 measures); the legend says which.
STATUS_MARKS = {"not_started": "NS", "planned": "P", "in_preparation": "IP", "adopted": "AD", "applied": "AP",
                "not_applicable": "NA"}
LEVEL_LABELS = dict(RiskLevel.choices)
SEGMENT_LABELS = {"share_core": gettext_lazy("Core network"), "share_access": gettext_lazy("Access network (RAN)"),
                  "share_transport": gettext_lazy("Transport"),
                  "share_management": gettext_lazy("Management and orchestration")}
SUPPRESSED = "–"


def titles(model):
    """{code: title in the reader's language} of a catalogue: results keep codes, tables show the titles."""
    return translated.texts(model, "title")


def member_state_names():
    """{EU code: name in the reader's language}."""
    return translated.texts(MemberState, "name", key="eu_code")


def _plain(value):
    # Translated labels are lazy objects: tables hold plain values for every export.
    return str(value) if isinstance(value, Promise) else value


@dataclass
class Table:
    key: str
    title: str
    headers: list
    rows: list
    per_member_state: bool = False  # shows individual member states' answers: never on the public page
    # How many member states each row's figures are over, and how many leading columns only name the row.
    sizes: list = field(default_factory=list)
    label_columns: int = 1
    note: str = ""

    def __post_init__(self):
        self.title = _plain(self.title)
        self.headers = [_plain(h) for h in self.headers]
        self.rows = [[_plain(v) for v in row] for row in self.rows]

    @property
    def sheet(self):
        """The title as a spreadsheet allows a sheet name: at most 31 characters, none of []:*?/\\."""
        return "".join(" " if c in "[]:*?/\\" else c for c in self.title)[:31].strip()

    def suppress_below(self, minimum):
        """Blank the figures of every row computed over fewer than `minimum` member states."""
        hidden = 0
        for index, size in enumerate(self.sizes):
            if size is not None and size < minimum:
                row = self.rows[index]
                self.rows[index] = row[:self.label_columns] + [SUPPRESSED] * (len(row) - self.label_columns)
                hidden += 1
        if hidden:
            self.note = ngettext(
                "Figures over fewer than %(n)s member states are not shown (%(m)s row), so that no member state's "
                "own answer can be read from them.",
                "Figures over fewer than %(n)s member states are not shown (%(m)s rows), so that no member state's "
                "own answer can be read from them.", hidden) % {"n": minimum, "m": hidden}
        return self


BUILDERS = []
LISTING_BUILDERS = []


def builder(function):
    BUILDERS.append(function)
    return function


def listing_builder(function):
    LISTING_BUILDERS.append(function)
    return function


def _stat(stats, name, rank=False):
    value = (stats or {}).get(name)
    if rank and value is not None and name in ("min", "median", "max"):
        return str(LEVEL_LABELS[LEVELS[int(value) - 1]])
    return value


@builder
def scenarios(results):
    title = titles(RiskScenario)
    rows = [[s["code"], title.get(s["code"], s["code"]), s["n"],
             *[_stat(s["likelihood"], k) for k in ("min", "median", "mean", "max")],
             *[_stat(s["impact"], k) for k in ("min", "median", "mean", "max")],
             *[_stat(s["level"], k, rank=True) for k in ("min", "median", "mean", "max")],
             s["high_or_critical"]] for s in results["scenarios"]]
    return Table("scenarios", _("Risk scenarios"), [
        _("Code"), _("Scenario"), _("Member states"), _("Likelihood min"), _("Likelihood median"),
        _("Likelihood mean"), _("Likelihood max"), _("Impact min"), _("Impact median"), _("Impact mean"),
        _("Impact max"), _("Level min"), _("Level median"), _("Level mean (1-4)"), _("Level max"),
        _("High or critical")], rows, sizes=[s["n"] for s in results["scenarios"]], label_columns=2)


@listing_builder
def heatmap(listing):
    heat, names = listing["heatmap"], member_state_names()
    return Table("heatmap", _("Risk levels by member state"), [_("Member state"), *heat["columns"]],
                 [[names.get(r["ms"], r["ms"]),
                   *[LEVEL_LABELS.get(level, "") if level else "" for level in r["levels"]]]
                  for r in heat["rows"]], per_member_state=True)


def _rated(results, key, title, item, model, fields):
    shown = titles(model)
    names = {"capability": _("Capability"), "intent": _("Intent"), "sensitivity": _("Sensitivity")}
    headers = [_("Code"), item]
    for name in fields:
        headers += [f"{names[name]} {k}" for k in (_("count"), _("min"), _("median"), _("mean"), _("max"))]
        headers += [f"{names[name]} = {n}" for n in range(1, 6)]
    rows, sizes = [], []
    for entry in results[key]:
        row = [entry["code"], shown.get(entry["code"], entry["code"])]
        for name in fields:
            stats = entry[name]
            row += [stats.get(k) for k in ("n", "min", "median", "mean", "max")]
            row += [stats.get("distribution", {}).get(str(n), 0) for n in range(1, 6)]
        rows.append(row)
        sizes.append(min(entry[name].get("n") or 0 for name in fields))
    return Table(key, title, headers, rows, sizes=sizes, label_columns=2)


@builder
def actors(results):
    return _rated(results, "actors", _("Threat actors"), _("Threat actor"), ThreatActor, ["capability", "intent"])


@builder
def assets(results):
    return _rated(results, "assets", _("Key assets"), _("Key asset class"), KeyAssetClass, ["sensitivity"])


@builder
def supplier_shares(results):
    segments = results["suppliers"]["segments"]
    rows = [[str(SEGMENT_LABELS[seg["segment"]]), s["name"], s["present_in"], seg["reporting"], s["mean_share"]]
            for seg in segments for s in seg["suppliers"]]
    return Table("suppliers", _("Supplier shares"), [
        _("Segment"), _("Supplier"), _("Member states present in"), _("Member states reporting the segment"),
        _("Mean national share (%)")], rows,
        sizes=[seg["reporting"] for seg in segments for _s in seg["suppliers"]], label_columns=2)


@builder
def segments_described(results):
    segments = results["suppliers"]["segments"]
    return Table("segments", _("Supplier segments: reporting and described share"), [
        _("Segment"), _("Member states reporting the segment"), _("Mean share described (%)"),
        _("Member states where a high-risk supplier is present")],
        [[str(SEGMENT_LABELS[seg["segment"]]), seg["reporting"], seg.get("mean_described"),
          seg["high_risk_present_in"]] for seg in segments],
        sizes=[seg["reporting"] for seg in segments])


@listing_builder
def concentration(listing):
    rows, names = [], member_state_names()
    for row in listing["concentration"]:
        for segment in SEGMENTS:
            cell = row["segments"].get(segment)
            if cell:
                rows.append([names.get(row["ms"], row["ms"]), str(SEGMENT_LABELS[segment]), cell["described"],
                             cell["other_or_unknown"], cell["hhi_min"], cell["hhi_max"], cell["max_share"],
                             cell["dominant"] or ""])
    return Table("concentration", _("Supplier concentration"), [
        _("Member state"), _("Segment"), _("Share described (%)"), _("Other or unknown (%)"), _("HHI at least"),
        _("HHI at most"), _("Largest share (%)"), _("Single supplier above 50%")], rows, per_member_state=True)


@builder
def toolbox(results):
    statuses = results["toolbox"]["statuses"]
    measures, title = results["toolbox"]["measures"], titles(ToolboxMeasure)
    return Table("toolbox", _("Toolbox measures"),
                 [_("Code"), _("Measure"), *[str(STATUS_LABELS[s]) for s in statuses], _("Unanswered")],
                 [[m["code"], title.get(m["code"], m["code"]), *[m["counts"].get(s, 0) for s in statuses],
                   m["counts"].get("unanswered", 0)] for m in measures],
                 sizes=[m.get("n") for m in measures], label_columns=2)


@listing_builder
def toolbox_matrix(listing):
    matrix, names = listing["matrix"], member_state_names()
    return Table("toolbox_matrix", _("Measures by member state"), [_("Member state"), *matrix["columns"]],
                 [[names.get(r["ms"], r["ms"]), *[str(STATUS_LABELS.get(s, "")) if s else "" for s in r["statuses"]]]
                  for r in matrix["rows"]], per_member_state=True)


def in_marks(matrix):
    """The measures-by-member-state table with each status as its mark, and the legend as its note (for print)."""
    marks = {str(STATUS_LABELS[status]): mark for status, mark in STATUS_MARKS.items()}
    legend = "; ".join(f"{mark} {str(STATUS_LABELS[status]).lower()}" for status, mark in STATUS_MARKS.items())
    return Table(matrix.key, matrix.title, matrix.headers,
                 [row[:1] + [marks.get(cell, cell) for cell in row[1:]] for row in matrix.rows],
                 per_member_state=True, note=_("Statuses: %(legend)s.") % {"legend": legend})


@listing_builder
def measure_notes(listing):
    return Table("measure_notes", _("Notes on measures"),
                 [_("Member state"), _("Measure"), _("Status"), _("Target date"), _("Note")],
                 [[n["ms"], n["measure"], str(STATUS_LABELS.get(n["status"], "")), n["target_date"] or "", n["note"]]
                  for n in listing["notes"]], per_member_state=True)


@builder
def completeness(results):
    c = results["completeness"]
    return Table("completeness", _("Completeness"), [_("Expected"), _("Included"), _("Missing"), _("Late")], [[
        len(c["expected"]), len(c["included"]), len(c["missing"]), len(c["late"])]])


@builder
def completeness_states(results):
    c = results["completeness"]
    return Table("completeness_states", _("Who is included"), [_("Included"), _("Missing"), _("Late")], [[
        ", ".join(c["included"]), ", ".join(c["missing"]), ", ".join(c["late"])]], per_member_state=True)


def flag_text(flag):
    if flag["kind"] == "high_risk_core_without_sm03":
        status = STATUS_LABELS.get(flag["status"]) or _("not answered")
        return _("%(supplier)s, rated high-risk, is present in the core network while SM03 (restrictions on "
                 "high-risk suppliers) is %(status)s.") % {"supplier": flag["supplier"], "status": str(status).lower()}
    return _("%(scenario)s is rated critical but none of the measures mapped to it is planned, in preparation, "
             "adopted or applied.") % {"scenario": flag["scenario"]}


@listing_builder
def flags(listing):
    kinds = {"high_risk_core_without_sm03": _("High-risk supplier in the core, SM03 not in place"),
             "critical_without_measure": _("Critical scenario without a measure under way")}
    return Table("flags", _("Consistency flags"), [_("Member state"), _("Flag"), _("Detail")],
                 [[f["ms"], kinds[f["kind"]], flag_text(f)] for f in listing["flags"]], per_member_state=True)


def aggregate_tables(results, *, public=False):
    """The tables of a review's stored figures: for authority staff (`public`) aggregates only, small groups hidden."""
    tables = [build(results) for build in BUILDERS]
    if not public:
        return tables
    return [table.suppress_below(settings.REVIEW_MIN_GROUP_SIZE) for table in tables if not table.per_member_state]


def listing_tables(listing):
    """The per-member-state tables of one page of listings (reviewers only)."""
    return [build(listing) for build in LISTING_BUILDERS]


def segment_label(segment):
    return str(SEGMENT_LABELS[segment])

