"""Trends across cycles: for a measure, a risk scenario or a supplier's segment, each member state's answer cycle by
cycle, matched by code across catalogue editions (assessments/editions.py), from published reviews only.

Each cycle with a standing publication is a column: its newest one, as member states' staff read it. A member state's
cell is its answer in the version that review counted; a version withheld from the EU figures (TLP:RED,
assessments/population.py `withheld()`) stays withheld here, whoever reads, and is never read. A cycle whose
questionnaire did not ask the subject, nor any item it continues, says "not asked in this cycle"; a cycle that asked
it under an earlier code says which ("asked as SM05"), and the first cycle that asked it under its own code says how it
continues the earlier one ("renamed from SM05"). The EU row is the published figure, through the same disclosure
control as the review's public page (reporting/tables.py `protect`): a cell member states' staff see as "–" stays
"–" here.

A fixed number of queries whatever the numbers of cycles and member states: the publications with their reviews and
questionnaires, the continuations, what each questionnaire asked, the answers, the member states (and the catalogue's
titles, read once per request).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.editions import Lineage
from assessments.models import (
    MeasureStatus,
    Questionnaire,
    RiskScenario,
    ScenarioRating,
    Supplier,
    SupplierPresence,
    ToolboxMeasure,
)
from assessments.questionnaire.display import display
from portal.markings import Marking, marking_of
from portal.models import MemberState
from reporting.models import Publication
from reporting.tables import SEGMENT_LABELS, STATUS_LABELS, aggregate_tables, asked_sections, protect

MEASURE, SCENARIO, SUPPLIER = "measure", "scenario", "supplier"
KIND_LABELS = {MEASURE: gettext_lazy("Toolbox measure"), SCENARIO: gettext_lazy("Risk scenario"),
               SUPPLIER: gettext_lazy("Supplier")}
SEGMENTS = list(SEGMENT_LABELS)


@dataclass(frozen=True)
class Subject:
    """What a trend follows: a measure's status, a scenario's risk level, or a supplier's share of a segment."""

    kind: str
    key: str  # a catalogue code, or a supplier's name
    segment: str = ""  # a supplier's segment (share_core...), for SUPPLIER

    @property
    def catalogue(self):
        return {MEASURE: ToolboxMeasure, SCENARIO: RiskScenario, SUPPLIER: Supplier}[self.kind]

    @property
    def answers(self):
        return {MEASURE: (MeasureStatus, "measure", "status"), SCENARIO: (ScenarioRating, "scenario", "level"),
                SUPPLIER: (SupplierPresence, "supplier", self.segment)}[self.kind]

    @property
    def value(self):
        """The subject as the form and an export's parameters name it: "measure:SM03", "supplier:Huawei"."""
        return f"{self.kind}:{self.key}"


@dataclass
class Cell:
    text: str
    note: str = ""
    state: str = "answer"  # answer, unanswered, not_asked, not_covered, missing, withheld


@dataclass
class Column:
    """One cycle: its published review, and the codes it asked the subject as."""

    cycle: object
    publication: object
    asked_as: list = field(default_factory=list)  # [] when the cycle did not ask it
    note: str = ""
    eu: str = ""


@dataclass
class Trend:
    subject: Subject
    title: str
    columns: list
    rows: list  # [(member state, [Cell])]

    @property
    def asked_anywhere(self):
        return any(column.asked_as for column in self.columns)

    @property
    def marking(self):
        """The handling marking of what it shows: the strictest of the reviews whose counted versions it reads (a
        review is at least as strict as its strictest input), TLP:CLEAR when it reads none."""
        return marking_of([column.publication.review for column in self.columns]) or Marking.CLEAR


def publications():
    """Each cycle's newest standing publication, oldest cycle first, with its review, cycle and questionnaire: one
    query."""
    found = {}
    for publication in (Publication.objects.standing()
                        .select_related("review", "cycle__questionnaire")
                        .order_by("cycle__year", "cycle__starts_on", "cycle_id", "-published_at", "-pk")):
        found.setdefault(publication.cycle_id, publication)
    return list(found.values())


def _asked(subject, columns, family):
    """{questionnaire id: {codes of `family` it asked}} in one query; suppliers: every questionnaire asking about
    suppliers asks every supplier."""
    questionnaires = [column.cycle.questionnaire.pk for column in columns if hasattr(column.cycle, "questionnaire")]
    if subject.kind == SUPPLIER:
        return {column.cycle.questionnaire.pk: {subject.key} for column in columns
                if hasattr(column.cycle, "questionnaire") and column.cycle.questionnaire.asks_suppliers}
    name = {MEASURE: "measures", SCENARIO: "scenarios"}[subject.kind]
    through = getattr(Questionnaire, name).through
    item = {MEASURE: "toolboxmeasure", SCENARIO: "riskscenario"}[subject.kind]
    asked = {}
    for questionnaire_id, code in through.objects.filter(
            questionnaire_id__in=questionnaires, **{f"{item}__code__in": family}).values_list(
            "questionnaire_id", f"{item}__code"):
        asked.setdefault(questionnaire_id, set()).add(code)
    return asked


def _asked_as(lineage, subject, family, asked):
    """The codes a cycle that asked `asked` (of the family) asked the subject as: its own, else the nearest earlier
    items, else the item it was renamed to."""
    found = lineage.matched_in(subject.key, asked)
    return found or [code for code in family if code in asked][:1]


def _notes(lineage, subject, columns, asked):
    """Say, above each column, under which code it was asked and, where the code changed from the previous asking
    cycle, how the one continues the other; a cycle that did not ask it but asked items continuing it (split or
    merged into) names them."""
    before = []
    for column in columns:
        if not column.asked_as:
            questionnaire = getattr(column.cycle, "questionnaire", None)
            later = sorted(code for code, _kind in lineage.later.get(subject.key, [])
                           if questionnaire is not None and code in asked.get(questionnaire.pk, set()))
            if later:
                column.note = _("continued as %(codes)s") % {"codes": ", ".join(later)}
            continue
        notes = []
        if column.asked_as != [subject.key]:
            notes.append(_("asked as %(codes)s") % {"codes": ", ".join(column.asked_as)})
        if before and before != column.asked_as:
            links = [lineage.describe(later, earlier) for later in column.asked_as for earlier in before
                     if lineage.kind(later, earlier)]
            notes += links or [_("asked before as %(codes)s") % {"codes": ", ".join(before)}]
        column.note = "; ".join(notes)
        before = column.asked_as


def _shown(subject, value):
    model, _item, name = subject.answers
    if value in (None, ""):
        return None
    if subject.kind == SUPPLIER:
        return f"{format(value.normalize(), 'f')} %"
    return str(display(model, name, value))


def _eu(subject, column, codes):
    """The published EU figure of the subject in this cycle, as member states' staff read it ("–" where hidden)."""
    review = column.publication.review
    if not review.results:
        return ""
    tables = protect(aggregate_tables(review.results, public=True, sections=asked_sections(review)),
                     settings.REVIEW_MIN_GROUP_SIZE)
    by_key = {table.key: table for table in tables}
    parts = []
    for code in codes:
        if subject.kind == MEASURE and "toolbox" in by_key:
            table = by_key["toolbox"]
            counts = [(STATUS_LABELS[status], table.figure(("measure", code, status)))
                      for status in review.results["toolbox"]["statuses"]]
            shown = ", ".join(f"{label}: {value}" for label, value in counts if value not in (None, 0))
        elif subject.kind == SCENARIO and "scenarios" in by_key:
            table = by_key["scenarios"]
            n = table.figure(("scenario", code, "n"))
            high = table.figure(("scenario", code, "level", "top"))
            shown = _("%(n)s rated, high or critical: %(high)s") % {"n": n, "high": high} if n is not None else ""
        elif subject.kind == SUPPLIER and "suppliers" in by_key:
            table = by_key["suppliers"]
            present = table.figure(("supplier", subject.segment, code, "present_in"))
            share = table.figure(("supplier", subject.segment, code, "share"))
            shown = _("present in %(n)s, mean share %(share)s %%") % {"n": present, "share": share} \
                if present is not None else ""
        else:
            shown = ""
        if shown:
            parts.append(f"{code}: {shown}" if len(codes) > 1 else shown)
    return "; ".join(parts)


def trend(subject, *, title=""):
    """The subject's Trend over every cycle with a standing publication."""
    columns = [Column(publication.cycle, publication) for publication in publications()]
    lineage = Lineage(subject.catalogue)
    family = lineage.family(subject.key) if subject.kind != SUPPLIER else [subject.key]
    successors = [code for code, _kind in lineage.later.get(subject.key, []) if code not in family]
    asked = _asked(subject, columns, family + successors)
    for column in columns:
        questionnaire = getattr(column.cycle, "questionnaire", None)
        codes = asked.get(questionnaire.pk, set()) if questionnaire else set()
        codes = codes & set(family)  # a new set: `asked` still names the successors, for the notes
        column.asked_as = _asked_as(lineage, subject, family, codes) if codes else []
    _notes(lineage, subject, columns, asked)
    # Every version the published reviews counted, never one withheld: {version id: (column index, EU code)}.
    counted, states = {}, []
    for index, column in enumerate(columns):
        population = column.publication.review.population or []
        states.append({entry["ms"]: entry for entry in population})
        for entry in population:
            if entry.get("version_id") and not entry.get("withheld"):
                counted[entry["version_id"]] = (index, entry["ms"])
    model, item, name = subject.answers
    lookup = "name" if subject.kind == SUPPLIER else "code"
    values = {}
    for version_id, key, value in model.objects.filter(
            version_id__in=list(counted), **{f"{item}__{lookup}__in": family}).values_list(
            "version_id", f"{item}__{lookup}", name):
        index, code = counted[version_id]
        values[index, code, key] = value
    member_states = [ms for ms in MemberState.objects.all()  # the EU's protocol order
                     if any(ms.eu_code in state for state in states)]
    rows = []
    for member_state in member_states:
        cells = []
        for index, column in enumerate(columns):
            cells.append(_cell(subject, column, states[index].get(member_state.eu_code), values, index))
        rows.append((member_state, cells))
    for column in columns:
        if column.asked_as:
            column.eu = _eu(subject, column, column.asked_as)
    return Trend(subject, title or subject.key, columns, rows)


def _cell(subject, column, entry, values, index):
    if not column.asked_as:
        return Cell(_("not asked in this cycle"), state="not_asked")
    if entry is None:
        return Cell(_("not in the cycle"), state="not_covered")
    if not entry.get("version_id"):
        return Cell(_("no submission"), state="missing")
    if entry.get("withheld"):
        return Cell(_("withheld (TLP:RED)"), state="withheld")
    shown = []
    for code in column.asked_as:
        value = _shown(subject, values.get((index, entry["ms"], code)))
        if value is not None:
            shown.append(f"{code}: {value}" if len(column.asked_as) > 1 else value)
    if not shown:
        return Cell(_("unanswered"), column.note, state="unanswered")
    return Cell("; ".join(shown), column.note)


def trend_note():
    """What the trend's figures are, for the page and every export of it."""
    return _("Each member state's answer in the version the cycle's published review counted (its newest standing "
             "publication); a version withheld from the EU figures (TLP:RED) stays withheld. Answers are matched by "
             "catalogue code across editions: “asked as” names the code a cycle asked, and how it continues the "
             "earlier one. The EU row is the published figure, “–” where member states' staff do not see it.")


def trend_rows(result):
    """The table as rows of plain values (CSV, XLSX): the header, a row saying how each cycle asked it, each member
    state, then the published EU figure."""
    yield [_("Member state"), *[f"{column.cycle.title} ({column.cycle.year})" for column in result.columns]]
    yield [_("Asked as"), *[(", ".join(column.asked_as) if column.asked_as else _("not asked in this cycle"))
                            + (f" ({column.note})" if column.note else "") for column in result.columns]]
    for member_state, cells in result.rows:
        yield [member_state.name, *[f"{cell.text} ({cell.note})" if cell.note else cell.text for cell in cells]]
    yield [_("EU, as published"), *[column.eu for column in result.columns]]
