"""The answer forms of the questionnaire's sections: they validate and convert; services save."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import modelformset_factory
from django.forms.models import construct_instance, model_to_dict
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    AssetSensitivity,
    CriterionAnswer,
    LegislationAnswer,
    MeasureStatus,
    MeasureStatusChoice,
    Powers,
    RiskLevel,
    ScenarioRating,
    ScopeAnswer,
    Supplier,
    SupplierPresence,
    ThreatActorRating,
    ThreatRelevance,
)
from assessments.numbers import LocalDecimalField
from assessments.questionnaire import shares
from portal.lib.text import normalize_text

TEXTAREA = forms.Textarea(attrs={"rows": 3})
NOTE = forms.Textarea(attrs={"rows": 2})


class TextField(forms.CharField):
    """Free text kept one way whatever sent it: line endings and trailing spaces normalised (portal/lib/text.py)."""

    def to_python(self, value):
        return normalize_text(super().to_python(value))


def text_formfield(db_field, **kwargs):
    """ModelForms' text fields become TextField; everything else is Django's default."""
    if isinstance(db_field, (models.CharField, models.TextField)) and not db_field.choices:
        kwargs["form_class"] = TextField
    return db_field.formfield(**kwargs)


def _dash_blank_choices(form):
    """One way of showing "not answered yet" in every drop-down."""
    for field in form.fields.values():
        choices = getattr(field, "choices", None)
        if choices and list(choices)[0][0] in ("", None):
            field.choices = [("", "—")] + list(choices)[1:]


class AnswerModelForm(forms.ModelForm):
    """A form of answers, validated without a database round trip per constraint and per row.

    Django's model forms check every check constraint of the model with a query (and a savepoint) per form: on a
    section of 29 rows, most of a save's time. Each of the answers' check constraints (a choice, a range) is also a
    rule of the form's field (its choices), which says it beside the field; the database still enforces them on
    save. The keys the unique constraints hold are never fields of these forms.
    """

    def _post_clean(self):
        exclude = self._get_validation_exclusions()
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        except ValidationError as error:
            self._update_errors(error)
        try:
            self.instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            self._update_errors(error)


class ScopeForm(AnswerModelForm):
    class Meta:
        model = ScopeAnswer
        formfield_callback = text_formfield
        fields = ["contributing_authorities", "method", "method_detail", "operators_consulted", "summary"]
        widgets = {"contributing_authorities": TEXTAREA, "operators_consulted": TEXTAREA,
                   "summary": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "contributing_authorities": _("The bodies of your member state that contributed, one per line."),
            "method_detail": _("Name the national method, or describe the other method used."),
        }

    def __init__(self, *args, questionnaire=None, **kwargs):
        super().__init__(*args, **kwargs)
        _dash_blank_choices(self)


class LegislationForm(AnswerModelForm):
    """The second progress report's questions (2023): one row, as the scope."""

    class Meta:
        model = LegislationAnswer
        formfield_callback = text_formfield
        fields = ["powers", "restrictions_imposed", "implementing", "note"]
        widgets = {"note": TEXTAREA}
        help_texts = {
            "powers": _("Legislative measures, adopted or in preparation, giving national authorities powers to "
                        "assess suppliers and issue restrictions."),
            "restrictions_imposed": _("Whether restrictions have been imposed on suppliers under those powers."),
            "implementing": _("Whether your member state is working on implementing that legislation."),
        }

    def __init__(self, *args, questionnaire=None, **kwargs):
        super().__init__(*args, **kwargs)
        _dash_blank_choices(self)

    def clean(self):
        data = super().clean()
        under = [name for name in LegislationAnswer.UNDER_LEGISLATION if data.get(name)]
        if data.get("powers") == Powers.NONE and under:
            # Said beside both sides, so that whichever of them a save changes is refused (sections.py, `refused`).
            for name in under:
                self.add_error(name, _("Without legislation adopted or in preparation, leave this empty: it "
                                       "is answered under that legislation."))
            self.add_error("powers", _("Restrictions imposed or implementation under way are answered: they need "
                                       "legislation adopted or in preparation."))
        return data


class RowForm(AnswerModelForm):
    """The answer row of one catalogue item (a scenario, a measure...)."""

    item_field = None

    def __init__(self, *args, questionnaire=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        _dash_blank_choices(self)

    @classmethod
    def saved_initial(cls, instance, questionnaire):
        """What an unbound form of `instance` starts from (its `initial`), without building the form: the section's
        saved values are read this way (assessments/questionnaire/sections.py)."""
        return model_to_dict(instance, cls._meta.fields, cls._meta.exclude)

    @property
    def item(self):
        return getattr(self.instance, self.item_field)

    @property
    def item_key(self):
        """The row's stable name: a catalogue code, or a supplier's name (see assessments/filing/merge.py)."""
        return getattr(self.item, "code", None) or self.item.name


class ThreatActorForm(RowForm):
    item_field = "actor"

    class Meta:
        model = ThreatActorRating
        formfield_callback = text_formfield
        fields = ["capability", "intent", "note"]
        widgets = {"note": NOTE}


class ThreatForm(RowForm):
    item_field = "threat"

    class Meta:
        model = ThreatRelevance
        formfield_callback = text_formfield
        fields = ["relevance", "note"]
        widgets = {"note": NOTE}


class AssetForm(RowForm):
    item_field = "asset_class"

    class Meta:
        model = AssetSensitivity
        formfield_callback = text_formfield
        fields = ["sensitivity", "note"]
        widgets = {"note": NOTE}


class ScenarioForm(RowForm):
    item_field = "scenario"

    class Meta:
        model = ScenarioRating
        formfield_callback = text_formfield
        fields = ["likelihood", "impact", "trend", "justification"]
        widgets = {"justification": TEXTAREA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        q = self.questionnaire
        for name, levels in (("likelihood", q.likelihood_levels), ("impact", q.impact_levels)):
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label, required=False, coerce=int, empty_value=None,
                choices=[("", "—")] + [(n, str(n)) for n in range(1, levels + 1)],
                help_text=_("1 (lowest) to %(n)s (highest)") % {"n": levels},
            )
        self.fields["justification"].help_text = _("Required when the risk level is high or critical.")

    def clean(self):
        data = super().clean()
        level = self.questionnaire.risk_level(data.get("likelihood"), data.get("impact"))
        if level in (RiskLevel.HIGH, RiskLevel.CRITICAL) and not (data.get("justification") or "").strip():
            self.add_error(
                "justification",
                _("Explain why this scenario is rated %(level)s: a justification is required for high and "
                  "critical risks.") % {"level": RiskLevel(level).label.lower()},
            )
        self.instance.level = level or ""
        return data


class MeasureForm(RowForm):
    item_field = "measure"

    class Meta:
        model = MeasureStatus
        formfield_callback = text_formfield
        fields = ["status", "target_date", "note"]
        widgets = {"target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "note": NOTE}

    def clean(self):
        data = super().clean()
        if data.get("status") in (MeasureStatusChoice.PLANNED, MeasureStatusChoice.IN_PREPARATION) and not data.get(
            "target_date"
        ):
            self.add_error("target_date", _("Give a target date for a measure that is planned or in preparation."))
        return data


class SupplierForm(RowForm):
    item_field = "supplier"

    class Meta:
        model = SupplierPresence
        formfield_callback = text_formfield
        fields = [*SupplierPresence.SEGMENTS, "risk_profile", "justification"]
        widgets = {"justification": TEXTAREA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SupplierPresence.SEGMENTS:
            # A text input: a number input would drop the decimal comma half of Europe types (2,5 became 25).
            self.fields[name] = LocalDecimalField(
                label=self.fields[name].label, required=False, min_value=0, max_value=100, max_digits=5,
                decimal_places=2, help_text=_("0 to 100; a decimal comma or point, such as 20,5 or 20.5."))
        self.criteria = self.questionnaire.asked_criteria if self.questionnaire else []
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.code}"] = forms.ChoiceField(
                label=f"{criterion.code}: {criterion.title}", required=False,
                choices=[("", "—"), *CriterionAnswer.choices])
        self.initial = {**self._criteria_initial(self.instance, self.criteria), **self.initial}
        self.order_fields([*SupplierPresence.SEGMENTS, *(f"criterion_{c.code}" for c in self.criteria)])

    @classmethod
    def saved_initial(cls, instance, questionnaire):
        criteria = questionnaire.asked_criteria if questionnaire else []
        return {**super().saved_initial(instance, questionnaire), **cls._criteria_initial(instance, criteria)}

    @staticmethod
    def _criteria_initial(instance, criteria):
        """The supplier's answer to each criterion, kept on the row as {code: answer}."""
        return {f"criterion_{criterion.code}": instance.criteria.get(criterion.code, "") for criterion in criteria}

    def clean(self):
        data = super().clean()
        self.instance.criteria = {
            c.code: data[f"criterion_{c.code}"] for c in self.criteria if data.get(f"criterion_{c.code}")
        }
        return data


class KnownRowField(forms.ModelChoiceField):
    """A row's hidden id, resolved among the rows the section already read (Django's asks the database per row)."""

    def __init__(self, rows, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.rows[str(value)]
        except KeyError:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


class RowFormSet(forms.BaseModelFormSet):
    """The rows of a section: each row's id field knows the rows read with the section."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self.model._meta.pk.name
        field = form.fields[name]
        if not hasattr(self, "_rows_by_pk"):
            self._rows_by_pk = {str(row.pk): row for row in self.get_queryset()}
        form.fields[name] = KnownRowField(self._rows_by_pk, field.queryset, required=False, widget=field.widget,
                                          initial=field.initial)


class SupplierFormSetBase(RowFormSet):
    def clean(self):
        """The shares of one network segment may not add up to more than 100% (assessments/questionnaire/shares.py)."""
        super().clean()
        for segment, total in shares.overruns(form.cleaned_data or {} for form in self.forms):
            for form in self.forms:
                if (form.cleaned_data or {}).get(segment):
                    form.add_error(segment, ValidationError(shares.overrun_message(segment, total),
                                                            code=shares.OVERRUN))


class AddSupplierForm(forms.Form):
    # No `required` attribute: a screen reader would call the empty list "invalid" before anyone chose; the server
    # says "Choose a supplier to add." instead.
    use_required_attribute = False

    supplier = forms.ModelChoiceField(queryset=Supplier.objects.all(), label=_("Supplier"))


def row_formset(form, formset=RowFormSet):
    return modelformset_factory(form._meta.model, form=form, formset=formset, extra=0, can_delete=False)
