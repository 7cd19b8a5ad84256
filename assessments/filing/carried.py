"""What the filer's pages show of an earlier cycle's answers: those carried over and not yet confirmed, those left
behind, and the previous version's answer beside each question. Reads only; the writes are in
assessments/services/carryover.py.
"""

from dataclasses import dataclass, field

from django.db.models import Count

from assessments.editions import Lineage
from assessments.models import CarriedAnswer, LeftBehind, Section
from assessments.questionnaire.sections import PARTS, SectionForms, stable_key
from assessments.services.carryover import across_editions, catalogue_of, unconfirmed_carried, version_forms


def unconfirmed_counts(assessment):
    """{Section: number of carried-over answers nobody has confirmed or edited yet}, in one query."""
    return {Section(row["section_state__section"]): row["n"] for row in
            CarriedAnswer.objects.unconfirmed().filter(section_state__assessment=assessment)
            .values("section_state__section").annotate(n=Count("pk")).order_by()}


@dataclass(frozen=True)
class CarriedField:
    name: str  # the form field's name: the page's html name is the form's prefix, "-", and this
    label: str

    def __str__(self):
        return self.label


@dataclass
class Question:
    """One question of a section with carried-over answers still to confirm."""

    item: str  # "" for the scope section
    label: str
    anchor: str  # the html id of the question on its section page
    fields: list = field(default_factory=list)


def _anchor(form):
    return "carried-scope" if form is None else f"carried-{getattr(form.item, 'code', None) or form.item.pk}"


def unconfirmed_questions(assessment, section, forms=None, keys=None):
    """[Question] of `section` whose carried-over answers are not confirmed yet, in page order. `forms`: the
    section's forms when the caller has them; `keys`: the unconfirmed keys when it read them."""
    if keys is None:
        keys = set(CarriedAnswer.objects.unconfirmed().filter(
            section_state__assessment=assessment, section_state__section=section).values_list("key", flat=True))
    if not keys:
        return []
    forms = forms or SectionForms(section, assessment, assessment.cycle.questionnaire)
    questions = []
    for prefix, item, form in forms.answer_forms():
        names = [name for name in form.fields if stable_key(prefix, item, name) in keys]
        if names:
            questions.append(Question(item or "", str(Section(section).label) if item is None else str(form.item),
                                      _anchor(None if item is None else form),
                                      [CarriedField(name, str(form.fields[name].label)) for name in names]))
    return questions


def unconfirmed_by_section(assessment):
    """[(Section, [Question])] for every section with carried-over answers to confirm: the submit page's list."""
    keys = {}
    for section, key in unconfirmed_carried(assessment).values_list("section_state__section", "key"):
        keys.setdefault(Section(section), set()).add(key)
    return [(section, unconfirmed_questions(assessment, section, keys=keys[section]))
            for section in assessment.cycle.questionnaire.sections if section in keys]


@dataclass
class LeftAnswer:
    section: str
    question: str
    field: str
    value: str
    why: str


def left_behind(prefill):
    """The source's answers that did not come along, as a person reads them (by the source cycle's forms)."""
    by_section = {}
    for entry in prefill.left_behind:
        by_section.setdefault(Section(entry["section"]), []).append(entry)
    found = []
    for section in Section:
        if section not in by_section:
            continue
        forms = version_forms(prefill.source, section)
        labels, fields, values = forms.labels(), forms.fields(), forms.values()
        for entry in by_section[section]:
            question, label = labels.get(entry["key"], (entry["key"], ""))
            why = entry["message"] or LeftBehind(entry["reason"]).label
            found.append(LeftAnswer(str(section.label), question, label,
                                    forms.shown(entry["key"], values.get(entry["key"], ""), fields), why))
    return found


@dataclass
class Earlier:
    """A question's answer in the previous version, beside the question on the section page; or, when the previous
    version's cycle did not ask it, the cycle that did not (`not_asked_in`)."""

    lines: list  # [(field label, value as read, changed since)]
    not_asked_in: object = None  # the earlier cycle, when it asked neither this question nor one it continues
    asked_as: str = ""  # how the earlier cycle asked it under another code: "renamed from SM05"

    @property
    def changed(self):
        return any(changed for _label, _value, changed in self.lines)


def previous_answers(version, section, saved, questionnaire=None):
    """{item key, or None for the scope: Earlier} of `version`'s answers in `section`, each field marked when the
    draft's saved value (`saved`, by stable key) differs from it. With `questionnaire` (the draft's), a question it
    asks under a code the version's cycle did not is matched across catalogue editions: the answer to the item it
    continues, said so, or "not asked" in that cycle."""
    if version is None or section == Section.ATTACHMENTS:
        return {}
    forms = version_forms(version, section)
    values, fields = forms.values(), forms.fields()
    found = {}
    for prefix, item, form in forms.answer_forms():
        lines = []
        for name, form_field in form.fields.items():
            key = stable_key(prefix, item, name)
            if key not in values:
                continue
            lines.append((str(form_field.label), forms.shown(key, values[key], fields),
                          saved.get(key, "") != values[key]))
        found[item] = Earlier(lines)
    if questionnaire is not None:
        found |= _across_editions(version, section, saved, questionnaire, values, fields, forms)
    return found


def _across_editions(version, section, saved, questionnaire, values, fields, forms):
    """{code asked now: Earlier} of the codes the version's cycle did not ask under the same code."""
    found = {}
    earlier_cycle = version.assessment.cycle
    for prefix, matched in across_editions(section, questionnaire, earlier_cycle.questionnaire).items():
        part = next(part for part in PARTS[section] if part.prefix == prefix)
        lineage = Lineage(catalogue_of(part))
        for code, earlier in matched.items():
            if not earlier:
                found[code] = Earlier([], not_asked_in=earlier_cycle)
                continue
            lines = []
            for old in earlier:
                for name in part.model.snapshot_fields:
                    key = stable_key(prefix, old, name)
                    if key not in values:
                        continue
                    label = str(fields[key].label) if key in fields else name
                    lines.append((f"{old}: {label}" if len(earlier) > 1 else label,
                                  forms.shown(key, values[key], fields),
                                  saved.get(stable_key(prefix, code, name), "") != values[key]))
            found[code] = Earlier(lines, asked_as="; ".join(lineage.describe(code, old) for old in earlier))
    return found
