"""What changed between two versions, question by question, with text changes marked word by word.

Questions and fields are named as a person names them (assessments.questionnaire.questions.answer_names), never by the
codes and field names the snapshot keys them with.
"""

import datetime
import difflib
import re
from dataclasses import dataclass, field
from html import escape

from django.db import models
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessments.models import ScopeAnswer, Section
from assessments.questionnaire.display import display
from assessments.questionnaire.questions import answer_names
from assessments.questionnaire.sections import OPTIONAL_SINGLES, PARTS, SCOPE_PREFIX, stable_key

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


def _shown(model, name, value):
    """A snapshot's value as a person reads it: a choice by its label, a date as people write it."""
    if isinstance(model._meta.get_field(name), models.DateField) and isinstance(value, str) and value:
        try:
            return formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    return display(model, name, value)


def _compare(key, model, name, old, new, found):
    """Append (stable key, model, field name, old, new) to `found` when the value changed."""
    if old != new:
        found.append((key, model, name, old, new))


def _raw_changes(old_answers, new_answers):
    """[(part title, [(stable key, model, field name, old, new)])] in questionnaire order; a row listed in only
    one version has the field name None."""
    parts = [(str(Section.SCOPE.label), [])]
    for name in ScopeAnswer.snapshot_fields:
        _compare(stable_key(SCOPE_PREFIX, None, name), ScopeAnswer, name, (old_answers.get("scope") or {}).get(name),
                 (new_answers.get("scope") or {}).get(name), parts[0][1])
    for part in (part for parts_of_section in PARTS.values() for part in parts_of_section):
        old_rows = {row["item"]: row for row in old_answers.get(part.prefix) or []}
        new_rows = {row["item"]: row for row in new_answers.get(part.prefix) or []}
        found = []
        for item in list(old_rows) + [key for key in new_rows if key not in old_rows]:
            old_row, new_row = old_rows.get(item), new_rows.get(item)
            if old_row is None or new_row is None:
                found.append((stable_key(part.prefix, item, ""), part.model, None, old_row, new_row))
                continue
            for name in part.model.snapshot_fields:
                _compare(stable_key(part.prefix, item, name), part.model, name, old_row.get(name), new_row.get(name),
                         found)
        parts.append((str(part.title), found))
    for single in OPTIONAL_SINGLES:  # asked by some cycles: compared where either version answers it
        old, new = old_answers.get(single.prefix), new_answers.get(single.prefix)
        if old is None and new is None:
            continue
        found = []
        for name in single.model.snapshot_fields:
            _compare(stable_key(single.prefix, None, name), single.model, name, (old or {}).get(name),
                     (new or {}).get(name), found)
        parts.append((str(single.title), found))
    return parts


def version_diff(old_answers, new_answers):
    """[PartChanges] between two versions' answers; parts without changes are left out."""
    parts = _raw_changes(old_answers, new_answers)
    names = answer_names([key for _title, found in parts for key, *_rest in found])
    result = []
    for title, found in parts:
        changes = []
        for key, model, name, old, new in found:
            question, label = names[key]
            if name is None:  # a supplier listed in one version only
                changes.append(Change(question, "", _("listed") if old is not None else "—",
                                      _("listed") if new is not None else "—"))
                continue
            marked = mark_words(str(old or ""), str(new or "")) if name in TEXT_FIELDS else None
            changes.append(Change(question, label, _shown(model, name, old), _shown(model, name, new), marked))
        if changes:
            result.append(PartChanges(title, changes))
    return result
