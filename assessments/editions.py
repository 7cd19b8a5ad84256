"""Catalogue editions: what an edition holds, and how an answer to an item of one edition is matched to an item of
another (assessments/models/catalogue.py).

An edition's catalogue is every measure (or scenario) of the editions published up to it that no item of those
editions continues: the 2026 edition holds the 5G Toolbox's measures it kept and its own "SC-…" ones. Answers are
matched by code: an item is its own match in any cycle that asked it; in a cycle that did not, its nearest earlier
items that cycle asked (following "renamed from", "split from", "merged from" back, edition by edition). Continuation
tables are small: a `Lineage` reads one whole, in one query.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from assessments.models import (
    CatalogueEdition,
    ContinuationKind,
    MeasureContinuation,
    RiskScenario,
    ScenarioContinuation,
    ToolboxMeasure,
)

CONTINUATIONS = {ToolboxMeasure: MeasureContinuation, RiskScenario: ScenarioContinuation}
# The questionnaire's catalogue of each model that editions hold.
ASKED = {ToolboxMeasure: "measures", RiskScenario: "scenarios"}


def edition_for(day):
    """The edition a cycle starting on `day` asks: the newest published by then, else the first one."""
    editions = CatalogueEdition.objects.order_by("published_on")
    return editions.filter(published_on__lte=day).last() or editions.first()


def items_of(edition, model):
    """The measures (or scenarios) of `edition`'s catalogue: those of the editions up to it, less those continued by
    an item of those editions."""
    upto = Q(edition__published_on__lte=edition.published_on)
    continued = CONTINUATIONS[model].objects.filter(later__edition__published_on__lte=edition.published_on)
    return model.objects.filter(upto).exclude(pk__in=continued.values("earlier"))


def relation_label(kind, code):
    """"renamed from SM05", "split from R4", "merged from TM03"; "continues X" when the link is not direct."""
    if kind is None:
        return _("continues %(code)s") % {"code": code}
    return f"{ContinuationKind(kind).label} {code}"


class Lineage:
    """Every continuation of one catalogue (measures or scenarios), by code; other catalogues have none."""

    def __init__(self, model):
        self.earlier = {}  # later code: [(earlier code, kind)]
        self.later = {}  # earlier code: [(later code, kind)]
        through = CONTINUATIONS.get(model)
        if through is None:
            return
        for later, earlier, kind in through.objects.values_list("later__code", "earlier__code", "kind"):
            self.earlier.setdefault(later, []).append((earlier, kind))
            self.later.setdefault(earlier, []).append((later, kind))

    def kind(self, later, earlier):
        """How `later` continues `earlier` directly, or None."""
        return next((kind for code, kind in self.earlier.get(later, []) if code == earlier), None)

    def matched_in(self, code, asked):
        """The codes among `asked` that an answer to `code` is read from: itself when asked, else its nearest
        earlier items asked (all of them for a merge); [] when none was."""
        if code in asked:
            return [code]
        seen, frontier = {code}, [code]
        while frontier:
            step = [earlier for current in frontier for earlier, _kind in self.earlier.get(current, [])
                    if earlier not in seen]
            seen.update(step)
            found = sorted({earlier for earlier in step if earlier in asked})
            if found:
                return found
            frontier = step
        return []

    def family(self, code):
        """`code`, the items it continues (back to the first edition) and those it was renamed to: the codes a trend
        of `code` follows. A split or a merge forward is not followed: the later items are other questions."""
        found, frontier = [code], [code]
        while frontier:
            frontier = [earlier for current in frontier for earlier, _kind in self.earlier.get(current, [])
                        if earlier not in found]
            found += frontier
        current = code
        while True:
            renamed = [later for later, kind in self.later.get(current, []) if kind == ContinuationKind.RENAMED]
            if not renamed or renamed[0] in found:
                return found
            current = renamed[0]
            found.append(current)

    def describe(self, later, earlier):
        """How a person reads the link from `later` back to `earlier`: "renamed from SM05"."""
        return relation_label(self.kind(later, earlier), earlier)
