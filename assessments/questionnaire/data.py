"""A cycle's questionnaire as data: its sections, the items each asks about, each answer's field and rules.

Read from the same forms the pages bind (assessments/questionnaire/sections.py), so that a script that follows this
description sends what the page would accept. An answer is named by its stable key: `scope.<field>` or
`<part>.<item>.<field>`.
"""

from django import forms
from django.core import validators
from django.utils.translation import gettext as _

from assessments.models import Supplier
from assessments.questionnaire.sections import PARTS, SINGLES

KINDS = [(forms.DateField, "date"), (forms.DecimalField, "decimal"), (forms.IntegerField, "integer"),
         (forms.TypedChoiceField, "choice"), (forms.ChoiceField, "choice"), (forms.BooleanField, "boolean")]


def field_data(name, field, required):
    kind = next((kind for cls, kind in KINDS if isinstance(field, cls)), "text")
    found = {"name": name, "label": str(field.label or name), "kind": kind, "required_to_submit": required,
             "help": str(field.help_text or "")}
    if isinstance(field, forms.ChoiceField):
        found["choices"] = [{"value": str(value), "label": str(label)} for value, label in field.choices
                            if value not in ("", None)]
    for validator in field.validators:
        if isinstance(validator, validators.MinValueValidator):
            found["minimum"] = validator.limit_value
        elif isinstance(validator, validators.MaxValueValidator):
            found["maximum"] = validator.limit_value
        elif isinstance(validator, validators.MaxLengthValidator):
            found["max_length"] = validator.limit_value
    return found


def _items(part, questionnaire):
    if part.catalogue is None:
        return [{"key": s.name, "name": s.name} for s in Supplier.objects.order_by("name")]
    return [{"key": getattr(item, "code", None) or item.name, "name": str(item)}
            for item in getattr(questionnaire, part.catalogue).order_by("position")]


def questionnaire_data(questionnaire):
    """{sections: [...], risk_matrix: {...}, rules: [...]}: everything a filer's tool needs to fill the draft."""
    sections = []
    for section in questionnaire.sections:
        data = {"code": section.value, "title": str(section.label), "parts": []}
        single = SINGLES.get(section)
        if single is not None:
            form = single.form(prefix=single.prefix)
            data["parts"].append({
                "prefix": single.prefix, "title": str(section.label), "key": f"{single.prefix}.{{field}}",
                "items": None, "fields": [field_data(name, field, name in single.required)
                                          for name, field in form.fields.items()]})
        for part in PARTS[section]:
            formset = part.formset(part.model.objects.none(), questionnaire)
            fields = formset.empty_form.fields
            required = set(part.required) | {f"criterion_{c.code}" for c in questionnaire.asked_criteria
                                            if part.catalogue is None}
            data["parts"].append({
                "prefix": part.prefix, "title": str(part.title), "key": f"{part.prefix}.{{item}}.{{field}}",
                "items": _items(part, questionnaire),
                "fields": [field_data(name, field, name in required) for name, field in fields.items()
                           if name not in ("id", "item", "DELETE")]})
        sections.append(data)
    q = questionnaire
    return {
        "sections": sections,
        "risk_matrix": {"likelihood_levels": q.likelihood_levels, "impact_levels": q.impact_levels,
                        "medium_from": q.medium_from, "high_from": q.high_from, "critical_from": q.critical_from,
                        "levels": q.matrix()},
        "rules": [
            _("scope.method_detail is required to submit unless scope.method is iso27005."),
            _("legislation.restrictions_imposed and legislation.implementing are required to submit when "
              "legislation.powers is adopted or in_preparation, and must stay empty when it is none."),
            _("A scenario's level is likelihood × impact on the risk matrix; high and critical need a justification."),
            _("A measure that is planned or in preparation needs a target date."),
            _("The suppliers' shares of one network segment add up to 100 or less; each supplier needs a share in "
              "at least one segment, an answer to every criterion, a risk profile and a justification."),
            _("A supplier is listed by writing any of its answers (suppliers.<name>.<field>); its name must be one "
              "of the items listed."),
        ],
    }
