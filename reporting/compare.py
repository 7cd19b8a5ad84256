"""Member states side by side, one row per question, against the EU median.

The versions the cycle's population counts (assessments.population) are read once per answer table, whatever the
number of member states chosen: the EU median needs them all, and the chosen ones are among them. The median of an
ordinal scale is the lower median (reporting/rounding.py). Whether a member state stands out from it is decided by
`outlier()` alone, against both middle answers (with an odd count they are one): the page, its legend and the exports
read the direction it gives.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from assessments.editions import Lineage
from assessments.models import MeasureStatusChoice, RiskLevel
from assessments.population import counted_versions
from assessments.questionnaire.display import display
from assessments.questionnaire.sections import PARTS, SINGLES, Single, item_key
from assessments.services.carryover import across_editions, catalogue_of
from portal.models import ReportingCycle
from reporting.rounding import lower_median

# Ordinal scales: a difference of OUTLIER_STEPS steps or more from the EU median is marked (outlier()).
OUTLIER_STEPS = 2
STATUS_STEPS = {MeasureStatusChoice.NOT_STARTED: 0, MeasureStatusChoice.PLANNED: 1,
                MeasureStatusChoice.IN_PREPARATION: 2, MeasureStatusChoice.ADOPTED: 3, MeasureStatusChoice.APPLIED: 4}
LEVEL_STEPS = {RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3, RiskLevel.CRITICAL: 4}
NUMERIC = {"capability", "intent", "relevance", "sensitivity", "likelihood", "impact"}
STATUS_LABELS = dict(MeasureStatusChoice.choices)
LEVEL_LABELS = dict(RiskLevel.choices)


@dataclass
class Cell:
    shown: object
    step: float | None = None
    css: str = ""
    outlier: int = 0  # +1 two steps or more above the EU median, -1 below, 0 otherwise (outlier())
    previous: object = None

    @property
    def text(self):
        return str(self.shown)


@dataclass
class Row:
    question: str
    field: str
    kind: str  # "scale", "status" or "text"
    cells: list
    summary: str = ""

    @property
    def differs(self):
        """Whether the chosen member states answer this differently (an unanswered question counts as an answer)."""
        return len({cell.text for cell in self.cells}) > 1


@dataclass
class Comparison:
    cycle: object
    section: object
    member_states: list
    rows: list = field(default_factory=list)
    previous_cycle: object = None
    only_differing: bool = False
    questions: int = 0  # rows before the "only where member states differ" filter


def middles(values):
    """The two middle values of `values`, (lower, upper): the same one twice for an odd count; None if empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[(len(ordered) - 1) // 2], ordered[len(ordered) // 2]


def outlier(step, middle):
    """+1 when `step` is OUTLIER_STEPS or more above both middle answers of the EU (`middles()`), -1 as far below
    both, 0 otherwise or without either. With an even count the lower median alone would pull the marks one way:
    a step two above the lower middle but one above the upper would be marked up, its mirror image not down."""
    if step is None or middle is None:
        return 0
    lower, upper = middle
    if step - upper >= OUTLIER_STEPS:
        return 1
    if lower - step >= OUTLIER_STEPS:
        return -1
    return 0


def _step(name, value):
    if value in (None, ""):
        return None
    if name == "status":
        return STATUS_STEPS.get(value)
    if name == "level":
        return LEVEL_STEPS.get(value)
    return value if name in NUMERIC else None


def _shown_step(name, step):
    return LEVEL_LABELS[next(k for k, v in LEVEL_STEPS.items() if v == step)] if name == "level" else step


def _shown_value(model, name, value):
    return display(model, name, value)


def _css(name, value):
    if value in (None, ""):
        return "cmp-empty"
    if name in ("status", "level"):
        return f"cmp-{value}"
    return f"cmp-scale-{value}" if name in NUMERIC else ""


def _answers(versions, part):
    """{item key (a code, a supplier's name): (its title, {member state id: row})} for the given versions, in one
    query, in catalogue order."""
    member_state_of = {v.pk: v.assessment.member_state_id for v in versions}
    if isinstance(part, Single):  # a section answered in one row: the scope, the legislation
        rows = part.model.objects.filter(version__in=versions)
        return {part.prefix: (part.title, {member_state_of[r.version_id]: r for r in rows})} if rows else {}
    order = f"{part.item_field}__name" if part.catalogue is None else f"{part.item_field}__position"
    rows = (part.model.objects.filter(version__in=versions).select_related(part.item_field)
            .order_by(order, f"{part.item_field}_id"))
    by_item = {}
    for r in rows:
        item = getattr(r, part.item_field)
        by_item.setdefault(item_key(item), (str(item), {}))[1][member_state_of[r.version_id]] = r
    return by_item


def _earlier_rows(key, before, across, previous_cycle, lineage):
    """({member state id: row} of the previous cycle to show beside `key`'s answers, a note for every cell or ""):
    the same code's; for a code the previous cycle did not ask, the item it continues there ("renamed from SM05"),
    or none and "not asked in 2020" (assessments/editions.py)."""
    earlier = across.get(key)
    if earlier is None:
        return before.get(key, (None, {}))[1], ""
    if not earlier:
        return {}, _("not asked in %(year)s") % {"year": previous_cycle.year}
    if len(earlier) > 1:  # merged from several: their answers are other questions' answers
        return {}, _("not asked in %(year)s as one question (%(how)s)") % {
            "year": previous_cycle.year, "how": "; ".join(lineage.describe(key, code) for code in earlier)}
    return before.get(earlier[0], (None, {}))[1], lineage.describe(key, earlier[0])


def previous_cycle_of(cycle):
    return ReportingCycle.objects.filter(year__lt=cycle.year).order_by("-year", "-pk").first()


def compared_versions(cycle, previous_cycle=None):
    """{cycle: the versions its figures count} for the cycle and, when given, the previous one: what a comparison is
    made of (submitted versions never change: their ids name a comparison)."""
    return {c: counted_versions(c) for c in (cycle, previous_cycle) if c is not None}


def comparison(cycle, member_states, section, *, with_previous=False, only_differing=False, versions=None):
    """The chosen member states' answers to a section, row by row; `only_differing` keeps the rows where they differ.
    `versions` ({cycle: versions counted}) are read when not given (compared_versions)."""
    result = Comparison(cycle, section, member_states, only_differing=only_differing)
    if with_previous:
        result.previous_cycle = previous_cycle_of(cycle)
    versions = versions or compared_versions(cycle, result.previous_cycle)
    chosen = {m.pk for m in member_states}
    previous_versions = [v for v in versions.get(result.previous_cycle, []) if v.assessment.member_state_id in chosen]
    versions = versions[cycle]
    tables = [(SINGLES[section], SINGLES[section].model.snapshot_fields)] if section in SINGLES else [
        (part, part.model.snapshot_fields) for part in PARTS[section]]
    # Codes asked now that the previous cycle asked otherwise, or not at all: matched across catalogue editions.
    across = across_editions(section, cycle.questionnaire, result.previous_cycle.questionnaire) \
        if result.previous_cycle is not None and hasattr(result.previous_cycle, "questionnaire") else {}
    for part, fields in tables:
        answers = _answers(versions, part)
        before = _answers(previous_versions, part) if previous_versions else {}
        part_across = across.get(part.prefix, {})
        lineage = Lineage(catalogue_of(part)) if part_across else None
        for key, (label, rows) in answers.items():
            earlier, note = _earlier_rows(key, before, part_across, result.previous_cycle, lineage)
            for name in fields:
                result.rows.append(_row(part, label, name, member_states, rows, earlier, note))
    result.questions = len(result.rows)
    if only_differing:
        result.rows = [row for row in result.rows if row.differs]
    return result


def _row(part, item, name, member_states, rows, before, note=""):
    """One question's field across the chosen member states; `rows` are every member state's, for the median;
    `note` says how the previous cycle asked it, when not under the same code (beside each previous answer)."""
    model = part.model
    label = str(model._meta.get_field(name).verbose_name).capitalize()
    all_steps = [s for s in (_step(name, getattr(r, name)) for r in rows.values()) if s is not None]
    kind = "status" if name == "status" else "scale" if (name in NUMERIC or name == "level") else "text"
    middle = middles(all_steps) if kind != "text" else None
    median = lower_median(all_steps) if kind != "text" else None
    cells = []
    shown = {}  # value -> as a person reads it: a scale's few values recur across 27 member states

    def shown_value(value):
        try:
            return shown[value]
        except KeyError:
            found = shown[value] = _shown_value(model, name, value)
            return found
        except TypeError:  # a dict (a supplier's criteria) is not hashable: not kept
            return _shown_value(model, name, value)

    for member_state in member_states:
        row = rows.get(member_state.pk)
        value = getattr(row, name) if row is not None else None
        step = _step(name, value)
        previous = before.get(member_state.pk)
        earlier = shown_value(getattr(previous, name)) if previous is not None else None
        if note:
            earlier = note if earlier is None else f"{earlier} ({note})"
        cells.append(Cell(
            shown=shown_value(value) if row is not None else "—", step=step, css=_css(name, value),
            outlier=outlier(step, middle), previous=earlier))
    summary = ""
    if kind == "status":
        counts = {}
        for r in rows.values():
            shown = STATUS_LABELS.get(r.status, _("unanswered"))
            counts[shown] = counts.get(shown, 0) + 1
        summary = ", ".join(f"{label}: {n}" for label, n in sorted(counts.items(), key=lambda x: str(x[0])))
    elif median is not None:
        summary = _("EU median %(value)s") % {"value": _shown_step(name, median)}
        if middle[0] != middle[1]:
            summary += " " + _("(the lower of the two middle answers, %(lower)s and %(upper)s)") % {
                "lower": _shown_step(name, middle[0]), "upper": _shown_step(name, middle[1])}
    question = part.title if isinstance(part, Single) else item
    return Row(question=question, field=label, kind=kind, cells=cells, summary=summary)
