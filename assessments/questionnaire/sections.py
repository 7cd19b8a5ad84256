"""What each section of the questionnaire is made of.

One table drives the forms, the completeness checks, the version snapshot, the
XLSX workbook and the reviewer's clarification points, so they cannot drift apart.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.forms import answers as forms
from assessments.models import (
    AssetSensitivity,
    LegislationAnswer,
    MeasureStatus,
    Powers,
    ScenarioRating,
    ScopeAnswer,
    Section,
    SupplierPresence,
    ThreatActorRating,
    ThreatRelevance,
)
from assessments.questionnaire import shares
from portal.lib.text import normalize_text


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
    rules_across_rows: bool = False  # a rule of the formset reads every row (suppliers' shares add up to 100%)

    def rows(self, **filters):
        """Answer rows in the questionnaire's order (suppliers by name), with their catalogue item."""
        order = f"{self.item_field}__name" if self.catalogue is None else f"{self.item_field}__position"
        return (self.model.objects.filter(**filters).select_related(self.item_field)
                .order_by(order, f"{self.item_field}_id"))

    def draft_rows(self, assessment):
        return self.rows(assessment=assessment, version__isnull=True)

    def formset(self, rows, questionnaire, data=None):
        kwargs = {"formset": self.formset_base} if self.formset_base else {}
        formset_class = forms.row_formset(self.form, **kwargs)
        formset = formset_class(data, queryset=self.model.objects.none(), prefix=self.prefix,
                                form_kwargs={"questionnaire": questionnaire})
        formset._queryset = rows  # the rows already read: no second query, and the same order as the page
        return formset


SCOPE_REQUIRED = ("contributing_authorities", "method", "operators_consulted", "summary")


@dataclass(frozen=True)
class Single:
    """A section answered in one row, with one form rather than a formset: the scope, and the 2023 questions on
    national legislation. Its answers are keyed `<prefix>.<field>`, with no item."""

    section: str
    prefix: str
    model: type
    form: type
    required: tuple

    @property
    def title(self):
        return Section(self.section).label


SINGLES = {
    Section.SCOPE: Single(Section.SCOPE, "scope", ScopeAnswer, forms.ScopeForm, SCOPE_REQUIRED),
    # Restrictions and implementation are asked only under legislation adopted or in preparation (missing_answers).
    Section.LEGISLATION: Single(Section.LEGISLATION, "legislation", LegislationAnswer, forms.LegislationForm,
                                ("powers",)),
}
SINGLE_PREFIXES = {single.prefix for single in SINGLES.values()}
# Asked by some cycles only: a draft, a version and its snapshot have their answers only there, so that the snapshots
# of the other cycles, and their hashes and rows digests, are what they were before these sections existed.
OPTIONAL_SECTIONS = (Section.LEGISLATION,)
OPTIONAL_SINGLES = tuple(SINGLES[section] for section in OPTIONAL_SECTIONS)


def optional_rows(**filters):
    """{prefix: [rows]} of the one-row sections some cycles ask, filtered (`assessment=…, version__isnull=True` for a
    draft; `version__in=…` for versions), one query each."""
    return {single.prefix: list(single.model.objects.filter(**filters)) for single in OPTIONAL_SINGLES}

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
             ("risk_profile", "justification"), formset_base=forms.SupplierFormSetBase, rules_across_rows=True),
    ],
    Section.SCENARIOS: [
        Part("scenarios", _("Risk scenarios"), ScenarioRating, "scenario", forms.ScenarioForm, "scenarios",
             ("likelihood", "impact", "trend")),
    ],
    Section.MEASURES: [
        Part("measures", _("Toolbox measures"), MeasureStatus, "measure", forms.MeasureForm, "measures", ("status",)),
    ],
    Section.LEGISLATION: [],
    Section.ATTACHMENTS: [],
}
ANSWER_MODELS = [single.model for single in SINGLES.values()] + [part.model for parts in PARTS.values()
                                                                 for part in parts]


SCOPE_PREFIX = "scope"
# A row's fields in a post that are not answers: its database id and its item key.
ROW_BOOKKEEPING = {"id", "item", "DELETE"}
MAX_VALUE_LENGTH = 50_000  # characters; longer input is cut to this when kept as unsaved input


def stable_key(prefix, item, name):
    """The name of one answer that does not depend on where its row sits on the page: "scenarios.R4.likelihood"."""
    return f"{prefix}.{name}" if item is None else f"{prefix}.{item}.{name}"


def split_key(key):
    """(prefix, item or None, field name) of a stable key."""
    prefix, _, rest = key.partition(".")
    if prefix in SINGLE_PREFIXES:
        return prefix, None, rest
    item, _, name = rest.rpartition(".")
    return prefix, item, name


def canonical(field, raw):
    """One spelling per value, whichever side it comes from (a post, the database, a workbook): what merges compare.

    Input a field cannot read stays as typed (normalised), so that it is kept and shown back, never lost.
    """
    if raw is None:
        return ""
    try:
        value = field.to_python(raw)
    except ValidationError:
        return normalize_text(raw)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return normalize_text(value)


def section_rows(section, assessment):
    """{part prefix: the draft's rows}, in page order."""
    return {part.prefix: list(part.draft_rows(assessment)) for part in PARTS[section]}


class SectionForms:
    """The forms of one section page, bound to values keyed by stable names (never by the position of a row).

    `only` ({(part prefix, item key)}) binds only those rows, where the section's rules hold row by row: what an
    autosave validates when it changes a few fields of a long section. A part whose rules read every row is bound
    whole. Errors still name the fields as the page does (`errors_by_field_id`).
    """

    def __init__(self, section, assessment, questionnaire, values=None, rows=None, only=None, version=None):
        self.section = section
        self.questionnaire = questionnaire
        self.bound = values is not None
        self.scope = None  # the form of a section answered in one row (SINGLES), whichever it is
        self.single = SINGLES.get(section)
        self.formsets = []
        parts = PARTS[section]
        if version is not None:  # a submitted version's answers, read through the same forms (never saved)
            rows = {part.prefix: list(part.rows(version=version)) for part in parts}
        self.rows = rows if rows is not None else section_rows(section, assessment)
        # Where each row sits on the page: its fields' ids (measures-4-note) whatever rows are bound here.
        self.page_index = {(part.prefix, item_key(getattr(row, part.item_field))): index
                           for part in parts for index, row in enumerate(self.rows[part.prefix])}
        if only is not None:
            self.rows = {part.prefix: self.rows[part.prefix] if part.rules_across_rows else
                         [row for row in self.rows[part.prefix]
                          if (part.prefix, item_key(getattr(row, part.item_field))) in only] for part in parts}
        data = None if values is None else self._data(values)
        if self.single is not None:
            model = self.single.model
            instance = (model.objects.filter(version=version).first() or model() if version is not None
                        else model.objects.filter(assessment=assessment, version__isnull=True).first())
            if instance is not None:  # None: a draft of a cycle that does not ask the section has nothing to answer
                self.scope = self.single.form(data, instance=instance, prefix=self.single.prefix)
        for part in parts:
            self.formsets.append((part, part.formset(self.rows[part.prefix], questionnaire, data)))

    def _data(self, values):
        """The browser's post that these values mean, for the rows the section has now."""
        data = {}
        if self.single is not None:
            prefix = self.single.prefix
            for name in self.single.form.Meta.fields:
                data[f"{prefix}-{name}"] = values.get(stable_key(prefix, None, name), "")
        by_row = {}  # (prefix, item): {field name: value}, read once whatever the number of rows
        for key, value in values.items():
            prefix, item, name = split_key(key)
            by_row.setdefault((prefix, item), {})[name] = value
        for part in PARTS[self.section]:
            rows = self.rows[part.prefix]
            data |= {f"{part.prefix}-TOTAL_FORMS": str(len(rows)), f"{part.prefix}-INITIAL_FORMS": str(len(rows)),
                     f"{part.prefix}-MIN_NUM_FORMS": "0", f"{part.prefix}-MAX_NUM_FORMS": "1000"}
            for index, row in enumerate(rows):
                data[f"{part.prefix}-{index}-id"] = str(row.pk)
                for name, value in by_row.get((part.prefix, item_key(getattr(row, part.item_field))), {}).items():
                    data[f"{part.prefix}-{index}-{name}"] = value
        return data

    @property
    def all(self):
        return ([self.scope] if self.scope else []) + [formset for _, formset in self.formsets]

    def answer_forms(self):
        """(prefix, item key or None, form) for every form of answers on the page."""
        found = [(self.single.prefix, None, self.scope)] if self.scope else []
        for part, formset in self.formsets:
            found += [(part.prefix, form.item_key, form) for form in formset.forms]
        return found

    def is_valid(self):
        return all([form.is_valid() for form in self.all])  # a list, so that every form is validated

    def refused(self, changed):
        """Of `changed` (the stable keys a user changed), those the errors of these validated forms refuse.

        A row's rule reads its fields together ("planned needs a target date"), so an error in a row refuses every
        change of that row; the scope refuses its fields one by one (all of its changes for a rule across them); a
        rule across a part's rows (a segment's shares above 100%) refuses only the changed fields it names. What a
        save keeps as refused input and shows beside the fields: one rule for the page, its autosave, the workbook
        and the API (assessments/services/drafts.py).
        """
        refused = set()
        if self.scope is not None and self.scope.errors:
            mine = {key for key in changed if split_key(key)[0] == self.single.prefix}
            for name in self.scope.errors:
                refused |= {stable_key(self.single.prefix, None, name)} & mine if name in self.scope.fields else mine
        for part, formset in self.formsets:
            in_part = {key for key in changed if split_key(key)[0] == part.prefix}
            if formset.non_form_errors():
                refused |= in_part
            for form in formset.forms:
                if not form.errors:
                    continue
                row = {key for key in in_part if split_key(key)[1] == form.item_key}
                refused |= {key for key in row if split_key(key)[2] in form.errors} if _across_rows(form) else row
        return refused

    def keep_errors_of(self, refused):
        """Leave only the errors that refuse one of `refused`: a colleague's share, in a segment that the user's
        share took over 100%, is not marked; every error of a refused row is. Called after is_valid()."""
        if self.scope is not None:
            mine = {split_key(key)[2] for key in refused if split_key(key)[0] == self.single.prefix}
            for name in list(self.scope.errors):
                explains = name in mine if name in self.scope.fields else bool(mine)  # a rule across its fields
                if not explains:
                    del self.scope.errors[name]
        for part, formset in self.formsets:
            in_part = {key for key in refused if split_key(key)[0] == part.prefix}
            if not in_part:
                formset._non_form_errors = formset.error_class()
            for form in formset.forms:
                row = {split_key(key)[2] for key in in_part if split_key(key)[1] == form.item_key}
                across = _across_rows(form)
                for name in list(form.errors):
                    if not row or (across and name not in row):
                        del form.errors[name]

    def as_post(self):
        """What the page posts for these forms ({html name: value}), hidden item keys included."""
        data = {}
        for formset in self.all:
            if hasattr(formset, "management_form"):
                data |= {field.html_name: str(field.value()) for field in formset.management_form}
        for _prefix, item, form in self.answer_forms():
            if item is not None:
                data[f"{form.prefix}-item"] = item
            for bound in form:
                value = bound.value()
                data[bound.html_name] = "" if value is None else str(value)
        return data

    def save(self):
        for form in self.all:
            form.save()

    def fields(self):
        """{stable key: form field} for every answer these rows have, and for any row of each part (by prefix)."""
        found = self.row_fields()
        for prefix, item, form in self.answer_forms():
            found |= {stable_key(prefix, item, name): field for name, field in form.fields.items()
                      if name not in ROW_BOOKKEEPING}
        return found

    def row_fields(self):
        """{(part prefix, name): form field} of one form per part, and {stable key: field} of the scope: every row
        of a part reads and writes its values with the same fields (only their labels and initial values differ)."""
        found = {}
        if self.scope:
            found |= {stable_key(self.single.prefix, None, name): field for name, field in self.scope.fields.items()}
        for part, formset in self.formsets:
            found |= {(part.prefix, name): field for name, field in formset.empty_form.fields.items()
                      if name not in ROW_BOOKKEEPING}
        return found

    def field_for(self, key, fields=None):
        fields = fields if fields is not None else self.fields()
        prefix, _item, name = split_key(key)
        return fields.get(key) or fields.get((prefix, name))

    def values(self):
        """The values these forms hold, canonical, by stable key: the saved ones when unbound."""
        if not self.bound:
            return self._saved_values()
        values = {}
        for prefix, item, form in self.answer_forms():
            values |= _form_values(prefix, item, form)
        return values

    def _saved_values(self):
        """The saved values, as the unbound forms would show them, read from the rows with one form per part: a
        save reads the whole section under its lock, and building a form per row was most of an autosave's cost."""
        values = _form_values(self.single.prefix, None, self.scope) if self.scope else {}
        for part, formset in self.formsets:
            fields = [(name, field) for name, field in formset.empty_form.fields.items()
                      if name not in ROW_BOOKKEEPING]
            for row in self.rows[part.prefix]:
                item = item_key(getattr(row, part.item_field))
                initial = part.form.saved_initial(row, self.questionnaire)
                for name, field in fields:
                    value = initial.get(name, field.initial)
                    values[stable_key(part.prefix, item, name)] = canonical(
                        field, field.prepare_value(value() if callable(value) else value))
        return values

    def canonical(self, raw_values):
        """`raw_values` (as typed, by stable key) in the canonical spelling; unknown keys are dropped."""
        fields = self.row_fields()
        found = {}
        for key, raw in raw_values.items():
            field = self.field_for(key, fields)
            if field is not None:
                found[key] = canonical(field, raw)
        return found

    def errors_by_field_id(self):
        """{html id: [messages]}, for the page and the autosave script to show beside each field."""
        errors = {}
        for _part, formset in self.formsets:
            if formset.non_form_errors():
                errors[f"{formset.prefix}-errors"] = list(formset.non_form_errors())
        for prefix, item, form in self.answer_forms():
            # The page's name for the row: its place among all the section's rows, not among those bound here.
            row = form.prefix if item is None else f"{prefix}-{self.page_index.get((prefix, item), '')}"
            for name, messages in form.errors.items():
                field_id = form[name].id_for_label.replace(form.prefix, row, 1) if name in form.fields else \
                    f"{row}-errors"
                errors[field_id] = list(messages)
        return errors

    def errors_by_key(self):
        """{stable key: [messages]}: what the API answers for refused input. A rule across a part's rows is keyed by
        the part ("suppliers"), one across a row's fields by the row ("scenarios.R4")."""
        errors = {}
        for part, formset in self.formsets:
            if formset.non_form_errors():
                errors[part.prefix] = list(formset.non_form_errors())
        for prefix, item, form in self.answer_forms():
            for name, messages in form.errors.items():
                key = stable_key(prefix, item, name) if name in form.fields else (
                    prefix if item is None else f"{prefix}.{item}")
                errors.setdefault(key, []).extend(messages)
        return errors

    def error_list(self):
        """[(html id, field label, message)] in page order: the error summary at the top of a refused page."""
        found = []
        for _part, formset in self.formsets:
            for message in formset.non_form_errors():
                found.append((f"{formset.prefix}-errors", "", message))
        for _prefix, item, form in self.answer_forms():
            for name, messages in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                where = f"{form.item}: {label}" if item is not None else str(label)
                field_id = form[name].id_for_label if name in form.fields else f"{form.prefix}-errors"
                found += [(field_id, where, message) for message in messages]
        return found

    def labels(self):
        """{stable key: (question, field label)}: how a person names each answer."""
        found = {}
        for prefix, item, form in self.answer_forms():
            question = str(Section(self.section).label) if item is None else str(form.item)
            for name, field in form.fields.items():
                if name not in ROW_BOOKKEEPING:
                    found[stable_key(prefix, item, name)] = (question, str(field.label))
        return found

    def shown(self, key, value, fields=None):
        """A canonical value as a person reads it: the label of a choice, a dash for nothing."""
        field = self.field_for(key, fields)
        return _display(field, value) if field is not None else (value or "—")


def _across_rows(form):
    """Whether every error of a row is a rule across its part's rows, beside a field (a segment's shares)."""
    return all(name in form.fields and all(error.code == shares.OVERRUN for error in errors)
               for name, errors in form.errors.as_data().items())


def _form_values(prefix, item, form):
    """{stable key: canonical value} of one form's answers, as it shows them."""
    return {stable_key(prefix, item, name): canonical(field, form[name].value())
            for name, field in form.fields.items() if name not in ROW_BOOKKEEPING}


def values_from_post(section, post, read_rows):
    """What the user typed, by stable key, from a browser post: rows are found by their item key (a hidden
    field), or failing that by their id among the section's rows (`read_rows()`, {prefix: rows}: read only for a
    row the post names by its id alone; the page and its autosave name every row by its item key). Bookkeeping and
    unknown names are left out."""
    found = {}
    single = SINGLES.get(section)
    if single is not None:
        for name in single.form.Meta.fields:
            if f"{single.prefix}-{name}" in post:
                found[stable_key(single.prefix, None, name)] = post[f"{single.prefix}-{name}"][:MAX_VALUE_LENGTH]
    for part in PARTS[section]:
        pattern = re.compile(rf"^{re.escape(part.prefix)}-(\d{{1,4}})-(\w+)$")
        named = [(pattern.match(name), name) for name in post]
        items = {matched[1]: post[name] for matched, name in named if matched and matched[2] == "item"}
        by_id = {matched[1]: post[name] for matched, name in named
                 if matched and matched[2] == "id" and matched[1] not in items}
        if by_id:
            by_pk = {str(row.pk): item_key(getattr(row, part.item_field)) for row in read_rows()[part.prefix]}
            items |= {index: by_pk[pk] for index, pk in by_id.items() if pk in by_pk}
        for matched, name in named:
            if matched and matched[1] in items and matched[2] not in ROW_BOOKKEEPING:
                found[stable_key(part.prefix, items[matched[1]], matched[2])] = post[name][:MAX_VALUE_LENGTH]
    return found


def item_key(item):
    """A catalogue item's code (R4, SM03, core), or a supplier's name: what values, snapshots and workbooks key on."""
    return getattr(item, "code", None) or item.name


def _display(field, raw):
    if raw in (None, ""):
        return "—"
    choices = {str(k): v for k, v in getattr(field, "choices", []) or []}
    return str(choices.get(str(raw), raw))


# Completeness -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Missing:
    """An answer still to give, or one that cannot be submitted as it stands (`field_label` then says why)."""

    section: str
    question: str
    field_label: str
    anchor: str  # the html id of the field on the section page


def missing_answers(section, assessment, questionnaire, rows=None):
    """What is still unanswered in a draft section, or cannot be submitted as it stands (a segment's shares above
    100%), each with the id of its field: what submitting checks (assessments/services/submission.py)."""
    missing = []
    if section in SINGLES:
        missing += _single_missing(section, SINGLES[section], assessment)
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
        if part.model is SupplierPresence:
            missing += _overruns(section, part, part_rows)
    return missing


def _single_missing(section, single, assessment):
    """What a section answered in one row still lacks; some answers are required only beside another."""
    # No row: a section an admin asked after the draft began, before its rows were made (services.drafts_ensure_rows).
    row = single.model.objects.filter(assessment=assessment, version__isnull=True).first() or single.model()
    required = list(single.required)
    if section == Section.SCOPE and row.method and row.method != "iso27005":
        required.append("method_detail")
    if section == Section.LEGISLATION and row.powers and row.powers != Powers.NONE:
        required += LegislationAnswer.UNDER_LEGISLATION
    return [Missing(section, Section(section).label, single.model._meta.get_field(name).verbose_name,
                    f"id_{single.prefix}-{name}") for name in required if not getattr(row, name)]


def _overruns(section, part, rows):
    """A segment whose saved shares add up to more than 100% cannot be submitted: one entry per segment, linked to
    its first share (the save that put it there came before the rule held on every path, or from an old draft)."""
    found = []
    for segment, total in shares.overruns({s: getattr(row, s) for s in shares.SEGMENTS} for row in rows):
        first = next(index for index, row in enumerate(rows) if getattr(row, segment))
        found.append(Missing(section, part.title, shares.overrun_message(segment, total),
                             f"id_{part.prefix}-{first}-{segment}"))
    return found


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
