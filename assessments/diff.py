"""What changed between two versions, question by question, with text changes marked word by word."""

import difflib
import re
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import mark_safe

from assessments.display import display
from assessments.models import ScopeAnswer, Section
from assessments.sections import PARTS

TEXT_FIELDS = {"note", "justification", "summary", "contributing_authorities", "operators_consulted",
               "method_detail"}


@dataclass
class Change:
    question: str
    field: str
    old: object
    new: object
    marked: str | None = None  # for text: the new text with deletions and insertions marked


@dataclass
class PartChanges:
    title: str
    changes: list = field(default_factory=list)


def mark_words(old, new):
    """HTML of `new` with the words removed from `old` in <del> and the words added in <ins>."""
    before, after = re.findall(r"\S+|\s+", old or ""), re.findall(r"\S+|\s+", new or "")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op in ("replace", "delete"):
            out.append(f"<del>{escape(''.join(before[i1:i2]))}</del>")
        if op in ("replace", "insert"):
            out.append(f"<ins>{escape(''.join(after[j1:j2]))}</ins>")
        if op == "equal":
            out.append(escape("".join(after[j1:j2])))
    return mark_safe("".join(out))


def _label(model, name):
    return str(model._meta.get_field(name).verbose_name).capitalize()


def _compare(question, model, name, old, new, changes):
    if old == new:
        return
    marked = mark_words(str(old or ""), str(new or "")) if name in TEXT_FIELDS else None
    changes.append(Change(question, _label(model, name), display(model, name, old), display(model, name, new),
                          marked))


def version_diff(old_answers, new_answers):
    """[PartChanges] between two versions' answers; parts without changes are left out."""
    result = []
    scope = PartChanges(str(Section.SCOPE.label))
    for name in ScopeAnswer.snapshot_fields:
        _compare(str(Section.SCOPE.label), ScopeAnswer, name, (old_answers.get("scope") or {}).get(name),
                 (new_answers.get("scope") or {}).get(name), scope.changes)
    if scope.changes:
        result.append(scope)
    for parts in PARTS.values():
        for part in parts:
            old_rows = {row["item"]: row for row in old_answers.get(part.prefix) or []}
            new_rows = {row["item"]: row for row in new_answers.get(part.prefix) or []}
            found = PartChanges(str(part.title))
            for item in list(old_rows) + [key for key in new_rows if key not in old_rows]:
                old_row, new_row = old_rows.get(item), new_rows.get(item)
                if old_row is None or new_row is None:
                    found.changes.append(Change(item, "", "—" if old_row is None else "listed",
                                                "—" if new_row is None else "listed"))
                    continue
                for name in part.model.snapshot_fields:
                    _compare(item, part.model, name, old_row.get(name), new_row.get(name), found.changes)
            if found.changes:
                result.append(found)
    return result
