"""A review's results as flat tables: the data beneath each chart, and what every export writes.

Each table comes from one small builder: those in `BUILDERS` read the review's stored EU figures, those in
`LISTING_BUILDERS` a page of its per-member-state listings (reporting/listings.py, read from the version rows). A
builder names the questionnaire's sections it reports on: a table of a section the cycle did not ask is not made. The
pages, the PDF, the XLSX, the CSV, the API and the charts all go through the functions at the bottom, so they cannot
drift apart. Authority staff get `public=True`: no per-member-state table, and disclosure control over every figure
(`protect`, the rule in reporting/disclosure.py); reviewers see everything.

Ordinal answers are summed up by their distribution first (how many member states at each level, and how many rated
it high or critical); their medians are the lower median and their means are of the coded levels, and each header
says so (the method note, reporting/method.py, too).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import (
    KeyAssetClass,
    MeasureStatusChoice,
    Questionnaire,
    RiskLevel,
    RiskScenario,
    Section,
    ThreatActor,
    ToolboxMeasure,
)
from portal.lib import translated
from portal.models import MemberState
from reporting import disclosure
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
RATINGS = range(1, 6)  # capability, intent and sensitivity: 1 (very low) to 5 (very high)
DEFAULT_SCALE = 5  # likelihood and impact of a review stored before it recorded its cycle's scales


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
    label_columns: int = 1  # how many leading columns only name the row
    note: str = ""
    # What disclosure control weighs (aggregate tables, written by `Figures`): each figure's name (a tuple, the same
    # in every table that shows it) and places [(row, column)], the member states behind it, its value, the sums
    # binding figures (disclosure.Group) and the means and medians of each distribution.
    cells: dict = field(default_factory=dict)
    members: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    groups: list = field(default_factory=list)
    summaries: dict = field(default_factory=dict)
    name_columns: int = 1  # the leading columns that name a row in the note (a code; a segment and a supplier)

    def __post_init__(self):
        self.title = _plain(self.title)
        self.headers = [_plain(h) for h in self.headers]
        self.rows = [[_plain(v) for v in row] for row in self.rows]

    @property
    def sheet(self):
        """The title as a spreadsheet allows a sheet name: at most 31 characters, none of []:*?/\\."""
        return "".join(" " if c in "[]:*?/\\" else c for c in self.title)[:31].strip()

    def figure(self, name):
        """The figure `name` as the table shows it (SUPPRESSED when hidden), None when the table has no such figure."""
        places = self.cells.get(name)
        if not places:
            return None
        row, column = places[0]
        return self.rows[row][column]

    def hide(self, hidden, minimum):
        """Blank the figures named in `hidden` ({name: reason}) and say in the note which, and why."""
        by_reason = {}
        for name, reason in hidden.items():
            for row, column in self.cells.get(name, []):
                self.rows[row][column] = SUPPRESSED
                by_reason.setdefault(reason, {}).setdefault(row, []).append(column)
        texts = {
            disclosure.PROTECTED: _("“–”: not shown to member states' staff, because fewer than %(n)s member states "
                                    "are behind the figure, or so that such a figure cannot be worked out from the "
                                    "others (a total minus the rest): %(cells)s."),
            disclosure.SUMMARY: _("Means and medians not shown because a cell of the distribution they sum up is "
                                  "hidden (with it they would give that cell away): %(cells)s."),
        }
        self.note = " ".join(texts[reason] % {"n": minimum, "cells": self._places(by_reason[reason])}
                             for reason in (disclosure.PROTECTED, disclosure.SUMMARY) if reason in by_reason)
        return self

    def _places(self, by_row):
        """The hidden cells, row by row: “R4 (Level: High, High or critical); R5 (every figure)”."""
        figures = {}
        for row, column in (place for places in self.cells.values() for place in places):
            figures.setdefault(row, set()).add(column)
        found = []
        for row in sorted(by_row):
            name = ", ".join(str(v) for v in self.rows[row][:self.name_columns])
            columns = sorted(set(by_row[row]))
            shown = _("every figure") if set(columns) >= figures[row] else ", ".join(
                str(self.headers[c]) for c in columns)
            found.append(f"{name} ({shown})")
        return "; ".join(found)


class Figures:
    """The rows of an aggregate table as its builder writes them, with what disclosure control needs of each figure."""

    def __init__(self):
        self.rows, self.cells, self.members, self.values, self.groups, self.summaries = [], {}, {}, {}, [], {}

    def row(self, *labels):
        self.rows.append(list(labels))

    def add(self, name, value, members=None):
        """Append `value` to the last row as the figure `name`, with the number of member states behind it (None: a
        figure about no member state's answers, or one not known: an old review's). Returns the name."""
        row = self.rows[-1]
        self.cells.setdefault(name, []).append((len(self.rows) - 1, len(row)))
        row.append(value)
        if members is not None and value is not None:
            self.members[name], self.values[name] = members, value
        return name

    def count(self, name, value):
        """A count of member states: the member states it counts are behind it."""
        return self.add(name, value, members=value)

    def total(self, total, parts, *, overlapping=False):
        """`total` is the sum of `parts` (see disclosure.Group)."""
        self.groups.append(disclosure.Group(total, tuple(parts), overlapping))

    def distribution(self, name, stats, scale, total):
        """The cells of an ordinal answer's distribution over `scale` (the stored keys), summed by `total`; None for
        each when the stored results have no distribution (a review built before they did)."""
        found = (stats or {}).get("distribution")
        cells = [self.count((*name, str(key)), None if found is None else found.get(str(key), 0)) for key in scale]
        if found is not None:
            self.total(total, cells)
        return cells, found is not None

    def summary(self, name, value, members, of):
        """A median or mean over `members` member states, hidden with any cell of its distribution `of`."""
        self.add(name, value, members=members)
        if of:
            self.summaries[name] = tuple(of)

    def table(self, key, title, headers, **options):
        return Table(key, title, headers, self.rows, cells=self.cells, members=self.members, values=self.values,
                     groups=self.groups, summaries=self.summaries, **options)


BUILDERS = []
LISTING_BUILDERS = []


def builder(*sections):
    """A builder of the review's EU figures about these sections (none: always made)."""
    def register(function):
        function.sections = sections
        BUILDERS.append(function)
        return function
    return register


def listing_builder(*sections):
    """A builder of a page of per-member-state listings about these sections (any of them; none: always made)."""
    def register(function):
        function.sections = sections
        LISTING_BUILDERS.append(function)
        return function
    return register


def _level_name(rank):
    return None if rank is None else str(LEVEL_LABELS[LEVELS[int(rank) - 1]])


def _ordinal(figures, name, stats, scale, total, *, top=None, top_count=None, rank=False):
    """An ordinal answer's distribution over `scale`, then (for `top`: the keys of its upper levels) how many gave
    one of those (`top_count`, else summed from the distribution), then its lower median and its mean: the figures
    the builder's headers of it name."""
    stats = stats or {}
    cells, known = figures.distribution(name, stats, scale, total)
    summed = list(cells)
    if top:
        upper = [cells[scale.index(key)] for key in top]
        found = stats.get("distribution")
        if top_count is None and found is not None:
            top_count = sum(found.get(str(key), 0) for key in top)
        severe = figures.count((*name, "top"), top_count)
        if known:
            figures.total(severe, upper)
            figures.total(total, [c for c in cells if c not in upper] + [severe])
        summed.append(severe)
    n = stats.get("n") or 0
    median = _level_name(stats.get("median")) if rank else stats.get("median")
    figures.summary((*name, "median"), median, n, summed if known else None)
    figures.summary((*name, "mean"), stats.get("mean"), n, summed if known else None)


def _ordinal_headers(label, keys, *, top=None, coding):
    """The headers of `_ordinal`'s figures: “Level: High”…, the upper levels, the lower median, the coded mean."""
    headers = [_("%(answer)s: %(value)s") % {"answer": label, "value": key} for key in keys]
    if top:
        headers.append(top)
    return [*headers, _("%(answer)s median (lower middle)") % {"answer": label},
            _("%(answer)s mean (%(coding)s)") % {"answer": label, "coding": coding}]


@builder(Section.SCENARIOS)
def scenarios(results):
    """Per scenario: how many rated it and how many high or critical (the headline), the distribution of its level,
    likelihood and impact, their lower medians and their means of coded levels."""
    title, scales = titles(RiskScenario), results.get("scales") or {}
    likelihood = [str(v) for v in range(1, scales.get("likelihood", DEFAULT_SCALE) + 1)]
    impact = [str(v) for v in range(1, scales.get("impact", DEFAULT_SCALE) + 1)]
    levels = [str(level) for level in LEVELS]
    figures = Figures()
    for s in results["scenarios"]:
        code = s["code"]
        figures.row(code, title.get(code, code))
        n = figures.count(("scenario", code, "n"), s["n"])
        _ordinal(figures, ("scenario", code, "level"), s.get("level"), levels, n,
                 top=[str(RiskLevel.HIGH), str(RiskLevel.CRITICAL)], top_count=s["high_or_critical"], rank=True)
        _ordinal(figures, ("scenario", code, "likelihood"), s.get("likelihood"), likelihood, n)
        _ordinal(figures, ("scenario", code, "impact"), s.get("impact"), impact, n)
    level_names = [str(LEVEL_LABELS[level]) for level in LEVELS]
    headers = [
        _("Code"), _("Scenario"), _("Member states"),
        *_ordinal_headers(_("Level"), level_names, top=_("High or critical"),
                          coding=_("low = 1, medium = 2, high = 3, critical = 4")),
        *_ordinal_headers(_("Likelihood"), likelihood, coding=_("scale 1 to %(top)s") % {"top": likelihood[-1]}),
        *_ordinal_headers(_("Impact"), impact, coding=_("scale 1 to %(top)s") % {"top": impact[-1]}),
    ]
    return figures.table("scenarios", _("Risk scenarios"), headers, label_columns=2)


@listing_builder(Section.SCENARIOS)
def heatmap(listing):
    heat, names = listing["heatmap"], member_state_names()
    return Table("heatmap", _("Risk levels by member state"), [_("Member state"), *heat["columns"]],
                 [[names.get(r["ms"], r["ms"]),
                   *[LEVEL_LABELS.get(level, "") if level else "" for level in r["levels"]]]
                  for r in heat["rows"]], per_member_state=True)


def _rated(results, key, title, item, model, fields):
    """Ratings 1-5 of each item: per field, how many rated it, the distribution, how many 4 or 5, median, mean."""
    shown = titles(model)
    names = {"capability": _("Capability"), "intent": _("Intent"), "sensitivity": _("Sensitivity")}
    scale = [str(v) for v in RATINGS]
    headers = [_("Code"), item]
    for name in fields:
        headers += [_("%(answer)s: member states") % {"answer": names[name]},
                    *_ordinal_headers(names[name], scale, top=_("%(answer)s: 4 or 5") % {"answer": names[name]},
                                      coding=_("very low = 1 … very high = 5"))]
    figures = Figures()
    for entry in results[key]:
        figures.row(entry["code"], shown.get(entry["code"], entry["code"]))
        for name in fields:
            n = figures.count((key, entry["code"], name, "n"), entry[name].get("n") or 0)
            _ordinal(figures, (key, entry["code"], name), entry[name], scale, n, top=["4", "5"])
    return figures.table(key, title, headers, label_columns=2)


@builder(Section.THREATS)
def actors(results):
    return _rated(results, "actors", _("Threat actors"), _("Threat actor"), ThreatActor, ["capability", "intent"])


@builder(Section.ASSETS)
def assets(results):
    return _rated(results, "assets", _("Key assets"), _("Key asset class"), KeyAssetClass, ["sensitivity"])


# The figures of a segment, by the same name in both supplier tables: hidden in one, hidden in the other.
def _reporting(segment):
    return ("segment", segment["segment"], "reporting")


def _described(segment):
    return ("segment", segment["segment"], "described")


@builder(Section.SUPPLIERS)
def supplier_shares(results):
    """Each supplier's presence and mean national share, per segment; the shares add up to the mean described share
    (the other table), so that is their total."""
    figures = Figures()
    for segment in results["suppliers"]["segments"]:
        shares = []
        for supplier in segment["suppliers"]:
            name = ("supplier", segment["segment"], supplier["name"])
            figures.row(str(SEGMENT_LABELS[segment["segment"]]), supplier["name"])
            figures.count((*name, "present_in"), supplier["present_in"])
            figures.count(_reporting(segment), segment["reporting"])
            # A mean over the member states reporting the segment, of the shares of those where it has one.
            shares.append(figures.add((*name, "share"), supplier["mean_share"], members=supplier["present_in"]))
        figures.total(_described(segment), shares, overlapping=True)
    return figures.table("suppliers", _("Supplier shares"), [
        _("Segment"), _("Supplier"), _("Member states present in"), _("Member states reporting the segment"),
        _("Mean national share (%)")], label_columns=2, name_columns=2)


@builder(Section.SUPPLIERS)
def segments_described(results):
    figures = Figures()
    for segment in results["suppliers"]["segments"]:
        figures.row(str(SEGMENT_LABELS[segment["segment"]]))
        figures.count(_reporting(segment), segment["reporting"])
        figures.add(_described(segment), segment.get("mean_described"), members=segment["reporting"])
        figures.count(("segment", segment["segment"], "high_risk"), segment["high_risk_present_in"])
    return figures.table("segments", _("Supplier segments: reporting and described share"), [
        _("Segment"), _("Member states reporting the segment"), _("Mean share described (%)"),
        _("Member states where a high-risk supplier is present")])


@listing_builder(Section.SUPPLIERS)
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


@builder(Section.MEASURES)
def toolbox(results):
    """Per measure: how many member states answered, and how many stand at each status (they add up to that)."""
    statuses = results["toolbox"]["statuses"]
    measures, title = results["toolbox"]["measures"], titles(ToolboxMeasure)
    figures = Figures()
    for m in measures:
        figures.row(m["code"], title.get(m["code"], m["code"]))
        n = figures.count(("measure", m["code"], "n"), m.get("n", sum(m["counts"].values())))
        figures.total(n, [figures.count(("measure", m["code"], s), m["counts"].get(s, 0))
                          for s in [*statuses, "unanswered"]])
    return figures.table("toolbox", _("Toolbox measures"),
                         [_("Code"), _("Measure"), _("Member states"), *[str(STATUS_LABELS[s]) for s in statuses],
                          _("Unanswered")], label_columns=2)


@builder(Section.LEGISLATION)
def legislation(results):
    """The second progress report's figures (15 June 2023), each a count of member states out of those answering:
    legislation giving authorities powers to assess suppliers and issue restrictions, adopted or in preparation; of
    those ("of which"), restrictions imposed, and implementation under way."""
    found = results.get("legislation")
    if not found:
        return None  # a review of a cycle that does not ask them, or of none of its answers yet: no such table
    figures = Figures()
    n = found["n"]

    def of():  # each row's "of": the member states answering, the same figure as the first row's (hidden with it)
        figures.add(("legislation", "n"), n, members=n)

    figures.row(_("Member states answering"))
    total = figures.count(("legislation", "n"), n)
    of()
    figures.row(_("Legislation adopted or in preparation"))
    with_powers = figures.count(("legislation", "with_powers"), found["with_powers"])
    of()
    for key, label in (("adopted", _("of which adopted")), ("in_preparation", _("of which in preparation"))):
        figures.row(label)
        figures.count(("legislation", key), found[key])
        of()
    figures.total(with_powers, [("legislation", "adopted"), ("legislation", "in_preparation")])
    for key, label in (("none", _("No such legislation")), ("unanswered", _("Unanswered"))):
        figures.row(label)
        figures.count(("legislation", key), found[key])
        of()
    figures.total(total, [with_powers, ("legislation", "none"), ("legislation", "unanswered")])
    for key, label in (("restrictions", _("of which restrictions imposed")),
                       ("implementing", _("of which implementing the national legislation"))):
        figures.row(label)
        figures.count(("legislation", key), found[key])
        of()
    return figures.table("legislation", _("Legislation and restrictions"),
                         [_("Answer"), _("Member states"), _("Of")])


@dataclass(frozen=True)
class LegislationHeadline:
    """The second progress report's three figures as a dashboard quotes them (SUPPRESSED where hidden)."""

    n: int
    with_powers: object
    restrictions: object
    implementing: object


def legislation_headline(found, *, public):
    """The three figures of a review's stored `legislation` results (None when it has none); for authority staff
    (`public`) under the rules of every published figure. Its figures are bound by no sum with another table's, so
    protecting its table alone hides what the review page hides."""
    if not found:
        return None
    table = legislation({"legislation": found})
    if public:
        table = protect([table], settings.REVIEW_MIN_GROUP_SIZE)[0]
    return LegislationHeadline(found["n"], *(table.figure(("legislation", key))
                                             for key in ("with_powers", "restrictions", "implementing")))


@listing_builder(Section.MEASURES)
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


@listing_builder(Section.MEASURES)
def measure_notes(listing):
    return Table("measure_notes", _("Notes on measures"),
                 [_("Member state"), _("Measure"), _("Status"), _("Target date"), _("Note")],
                 [[n["ms"], n["measure"], str(STATUS_LABELS.get(n["status"], "")), n["target_date"] or "", n["note"]]
                  for n in listing["notes"]], per_member_state=True)


@builder()
def completeness(results):
    c = results["completeness"]
    return Table("completeness", _("Completeness"), [_("Expected"), _("Included"), _("Missing"), _("Late")], [[
        len(c["expected"]), len(c["included"]), len(c["missing"]), len(c["late"])]])


@builder()
def completeness_states(results):
    c = results["completeness"]
    return Table("completeness_states", _("Who is included"), [_("Included"), _("Missing"), _("Late")], [[
        ", ".join(c["included"]), ", ".join(c["missing"]), ", ".join(c["late"])]], per_member_state=True)


def flag_text(flag):
    if flag["kind"] == "shares_over_100":
        return _("%(segment)s: the listed shares add up to %(total)s%%; this segment of the answer is left out of the "
                 "segment's figures.") % {"segment": SEGMENT_LABELS[flag["segment"]], "total": flag["total"]}
    if flag["kind"] == "high_risk_core_without_sm03":
        status = STATUS_LABELS.get(flag["status"]) or _("not answered")
        return _("%(supplier)s, rated high-risk, is present in the core network while SM03 (restrictions on "
                 "high-risk suppliers) is %(status)s.") % {"supplier": flag["supplier"], "status": str(status).lower()}
    return _("%(scenario)s is rated critical but none of the measures mapped to it is planned, in preparation, "
             "adopted or applied.") % {"scenario": flag["scenario"]}


@listing_builder(Section.SCENARIOS, Section.SUPPLIERS)
def flags(listing):
    kinds = {"high_risk_core_without_sm03": _("High-risk supplier in the core, SM03 not in place"),
             "critical_without_measure": _("Critical scenario without a measure under way"),
             "shares_over_100": _("Listed shares above 100%")}
    return Table("flags", _("Consistency flags"), [_("Member state"), _("Flag"), _("Detail")],
                 [[f["ms"], kinds[f["kind"]], flag_text(f)] for f in listing["flags"]], per_member_state=True)


def _asks(build, sections):
    return sections is None or not build.sections or any(str(section) in sections for section in build.sections)


def asked_sections(review):
    """The sections the review's cycle asked ([section values]): recorded by its build, or, for a review built before
    it recorded them, what its cycle's questionnaire asks."""
    sections = (review.results or {}).get("sections")
    if sections is None:
        questionnaire = Questionnaire.objects.filter(cycle=review.cycle_id).first()
        sections = [section.value for section in questionnaire.sections] if questionnaire else None
    return sections


def aggregate_tables(results, *, public=False, sections=None):
    """The tables of a review's stored figures, of the `sections` asked (None: all); for authority staff (`public`)
    the aggregates only, protected (`protect`)."""
    # A builder gives None where the results hold none of its figures (the legislation's, before 2023).
    tables = [table for table in (build(results) for build in BUILDERS if _asks(build, sections)) if table is not None]
    if not public:
        return tables
    return protect([table for table in tables if not table.per_member_state], settings.REVIEW_MIN_GROUP_SIZE)


def review_tables(review, *, public=False):
    """A done review's tables for its reader: what the pages, exports, API and charts show of it."""
    return aggregate_tables(review.results, public=public, sections=asked_sections(review))


def protect(tables, minimum):
    """Hide, in place, every figure member states' staff must not see (reporting/disclosure.py), weighed over all
    the tables at once (a sum can bind figures of two tables), each table's note saying which and why."""
    members, values, groups, summaries = {}, {}, [], {}
    for table in tables:
        members |= table.members
        values |= table.values
        groups += table.groups
        summaries |= table.summaries
    hidden = disclosure.suppress(members, groups, minimum, summaries, values)
    for table in tables:
        table.hide({name: reason for name, reason in hidden.items() if name in table.cells}, minimum)
    return tables


def listing_tables(listing, sections=None):
    """The per-member-state tables of one page of listings (reviewers only), of the `sections` asked (None: all)."""
    return [build(listing) for build in LISTING_BUILDERS if _asks(build, sections)]


def segment_label(segment):
    return str(SEGMENT_LABELS[segment])

