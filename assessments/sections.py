"""What each section of the questionnaire is made of.

One table drives the forms, the completeness checks, the version snapshot, the
XLSX workbook and the reviewer's clarification points, so they cannot drift apart.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from assessments.forms import answers as forms
from assessments.models import (
    AssetSensitivity,
    MeasureStatus,
    ScenarioRating,
    ScopeAnswer,
    Section,
    SupplierPresence,
    ThreatActorRating,
    ThreatRelevance,
)


@dataclass(frozen=True)
class Part:
    """A formset of answer rows within a section: one row per catalogue item (or per supplier)."""

    prefix: str
    title: str
    model: type
    item_field: str
    form: type
    catalogue: str | None  # the questionnaire's M2M of items; None when the filer adds rows (suppliers)
    required: tuple
    formset_base: type = None

    def rows(self, **filters):
        """Answer rows in the questionnaire's order (suppliers by name), with their catalogue item."""
        order = f"{self.item_field}__name" if self.catalogue is None else f"{self.item_field}__position"
        return (self.model.objects.filter(**filters).select_related(self.item_field)
                .order_by(order, f"{self.item_field}_id"))

    def draft_rows(self, assessment):
        return self.rows(assessment=assessment, version__isnull=True)

    def formset(self, assessment, questionnaire, data=None):
        kwargs = {"formset": self.formset_base} if self.formset_base else {}
        formset_class = forms.row_formset(self.form, **kwargs)
        return formset_class(data, queryset=self.draft_rows(assessment), prefix=self.prefix,
                             form_kwargs={"questionnaire": questionnaire})


SCOPE_REQUIRED = ("contributing_authorities", "method", "operators_consulted", "summary")

PARTS = {
    Section.SCOPE: [],
    Section.THREATS: [
        Part("actors", _("Threat actors"), ThreatActorRating, "actor", forms.ThreatActorForm, "threat_actors",
             ("capability", "intent")),
        Part("threats", _("Main threats"), ThreatRelevance, "threat", forms.ThreatForm, "threats", ("relevance",)),
    ],
    Section.ASSETS: [
        Part("assets", _("Key assets"), AssetSensitivity, "asset_class", forms.AssetForm, "asset_classes",
             ("sensitivity",)),
    ],
    Section.SUPPLIERS: [
        Part("suppliers", _("Suppliers"), SupplierPresence, "supplier", forms.SupplierForm, None,
             ("risk_profile", "justification"), formset_base=forms.SupplierFormSetBase),
    ],
    Section.SCENARIOS: [
        Part("scenarios", _("Risk scenarios"), ScenarioRating, "scenario", forms.ScenarioForm, "scenarios",
             ("likelihood", "impact", "trend")),
    ],
    Section.MEASURES: [
        Part("measures", _("Toolbox measures"), MeasureStatus, "measure", forms.MeasureForm, "measures", ("status",)),
    ],
    Section.ATTACHMENTS: [],
}
ANSWER_MODELS = [ScopeAnswer] + [part.model for parts in PARTS.values() for part in parts]


class SectionForms:
    """The forms of one section page, validated and saved together."""

    def __init__(self, section, assessment, questionnaire, data=None):
        self.section = section
        self.scope = None
        self.formsets = []
        if section == Section.SCOPE:
            instance = ScopeAnswer.objects.get(assessment=assessment, version__isnull=True)
            self.scope = forms.ScopeForm(data, instance=instance, prefix="scope")
        for part in PARTS[section]:
            self.formsets.append((part, part.formset(assessment, questionnaire, data)))

    @property
    def all(self):
        return ([self.scope] if self.scope else []) + [formset for _, formset in self.formsets]

    def is_valid(self):
        return all([form.is_valid() for form in self.all])  # a list, so that every form is validated

    def save(self):
        for form in self.all:
            form.save()

    def as_data(self):
        """The forms' current values as the browser would post them ({html name: value})."""
        data = {}
        for form in self.all:
            members = form.forms if hasattr(form, "management_form") else [form]
            if hasattr(form, "management_form"):
                data.update({field.html_name: str(field.value()) for field in form.management_form})
            for member in members:
                for field in member:
                    value = field.value()
                    data[field.html_name] = "" if value is None else str(value)
        return data

    def errors_by_field_id(self):
        """{html id: [messages]}, for the autosave script to show beside each field."""
        errors = {}
        forms_ = [self.scope] if self.scope else []
        for _part, formset in self.formsets:
            forms_ += list(formset.forms)
            if formset.non_form_errors():
                errors[f"{formset.prefix}-errors"] = list(formset.non_form_errors())
        for form in forms_:
            for name, messages in form.errors.items():
                field_id = form[name].id_for_label if name in form.fields else f"{form.prefix}-errors"
                errors[field_id] = list(messages)
        return errors

    def display_values(self):
        """[(question, field label, shown value, key)] of what these forms hold, for side-by-side comparison."""
        rows = []
        forms_ = [(_("Scope and method"), self.scope)] if self.scope else []
        for _part, formset in self.formsets:
            forms_ += [(str(form.item), form) for form in formset.forms]
        for question, form in forms_:
            for name, field in form.fields.items():
                raw = form[name].value()
                rows.append((question, field.label, _display(field, raw), f"{form.prefix}-{name}"))
        return rows


def _display(field, raw):
    if raw in (None, ""):
        return "—"
    choices = dict((str(k), v) for k, v in getattr(field, "choices", []) or [])
    return str(choices.get(str(raw), raw))


# Completeness -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Missing:
    section: str
    question: str
    field_label: str
    anchor: str  # the html id of the field on the section page


def missing_answers(section, assessment, questionnaire, rows=None):
    """What is still unanswered in a draft section, each with the id of its field."""
    missing = []
    if section == Section.SCOPE:
        scope = ScopeAnswer.objects.get(assessment=assessment, version__isnull=True)
        required = list(SCOPE_REQUIRED)
        if scope.method and scope.method != "iso27005":
            required.append("method_detail")
        for name in required:
            if not getattr(scope, name):
                missing.append(Missing(section, _("Scope and method"), ScopeAnswer._meta.get_field(name).verbose_name,
                                       f"id_scope-{name}"))
    for part in PARTS[section]:
        part_rows = list(part.draft_rows(assessment)) if rows is None else rows[part.prefix]
        if part.catalogue is None and not part_rows:
            missing.append(Missing(section, part.title, _("at least one supplier"), "add-supplier"))
        criteria = questionnaire.asked_criteria if part.model is SupplierPresence else []
        for index, row in enumerate(part_rows):
            checks = [(name, getattr(row, name) not in (None, ""), part.model._meta.get_field(name).verbose_name)
                      for name in part.required]
            if part.model is SupplierPresence:
                checks.append(("share_core", any(getattr(row, s) is not None for s in SupplierPresence.SEGMENTS),
                               _("a market share in at least one segment")))
                checks += [(f"criterion_{c.code}", bool(row.criteria.get(c.code)), c.code) for c in criteria]
            for name, answered, label in checks:
                if not answered:
                    missing.append(Missing(section, str(getattr(row, part.item_field)), label,
                                           f"id_{part.prefix}-{index}-{name}"))
    return missing


# Clarification points: which question and field a reviewer may ask about ------------------------------------

def question_choices(answers):
    """("section|item", label) for every question of a version's answers."""
    choices = [(f"{Section.SCOPE.value}|", str(Section.SCOPE.label))]
    for section, parts in PARTS.items():
        for part in parts:
            choices += [(f"{section.value}|{row['item']}", f"{section.label} – {row['item']}")
                        for row in answers.get(part.prefix) or []]
    return choices


def field_choices():
    names = {name: str(model._meta.get_field(name).verbose_name).capitalize()
             for model in [ScopeAnswer] + [part.model for parts in PARTS.values() for part in parts]
             for name in model.snapshot_fields}
    return sorted(names.items(), key=lambda kv: kv[1])


# Suppliers: the part of each segment's market the listed shares describe ------------------------------------

@dataclass(frozen=True)
class SegmentShare:
    field: str
    label: str
    listed: Decimal | None  # None: no share given for any supplier, the segment is not reported
    remainder: Decimal | None  # "other or unknown": 100 minus the listed shares


def segment_shares(forms):
    """Per segment, the shares listed in the suppliers' forms (as typed) and the "other or unknown" remainder."""
    totals = {segment: None for segment in SupplierPresence.SEGMENTS}
    for _part, formset in forms.formsets:
        for form in formset.forms:
            for segment in SupplierPresence.SEGMENTS:
                try:
                    value = Decimal(str(form[segment].value()).replace(",", "."))
                except (InvalidOperation, ValueError):
                    continue
                totals[segment] = (totals[segment] or Decimal(0)) + value
    return [SegmentShare(segment, str(SupplierPresence._meta.get_field(segment).verbose_name).capitalize(), total,
                         None if total is None else max(Decimal(100) - total, Decimal(0)))
            for segment, total in totals.items()]
