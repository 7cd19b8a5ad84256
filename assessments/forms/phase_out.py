"""The phase-out tracker's row form: what a filer types, checked beside each field."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import KeyAssetClass, PhaseOutEntry, Supplier


class PhaseOutEntryForm(forms.ModelForm):
    """One row of the draft's tracker. `assessment` is the draft it belongs to (the server's, never posted)."""

    class Meta:
        model = PhaseOutEntry
        fields = ["operator", "asset_class", "supplier", "components_present", "planned_removal_on", "progress",
                  "removed_on", "note"]
        widgets = {"planned_removal_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "removed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"operator": _("As your authority names it, e.g. “Operator A”."),
                      "progress": _("Share of the components already replaced, 0 to 100.")}

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.fields["supplier"].queryset = Supplier.objects.filter(designated_high_risk_on__isnull=False)
        self.fields["supplier"].label_from_instance = self.supplier_label
        self.fields["asset_class"].queryset = KeyAssetClass.objects.all()
        self.fields["progress"].validators += [MinValueValidator(0), MaxValueValidator(100)]
        self.fields["progress"].widget.attrs.update(min=0, max=100)

    @staticmethod
    def supplier_label(supplier):
        return _("%(name)s (designated on %(day)s)") % {
            "name": supplier.name, "day": formats.date_format(supplier.designated_high_risk_on)}

    def clean_operator(self):
        return " ".join(self.cleaned_data["operator"].split())

    def clean(self):
        cleaned = super().clean()
        supplier, planned = cleaned.get("supplier"), cleaned.get("planned_removal_on")
        if supplier and planned and planned < supplier.designated_high_risk_on:
            self.add_error("planned_removal_on", _("The planned removal cannot be before the designation (%(day)s).")
                           % {"day": formats.date_format(supplier.designated_high_risk_on)})
        if not cleaned.get("components_present"):
            for name in ("planned_removal_on", "progress", "removed_on"):
                if cleaned.get(name) is not None:
                    self.add_error(name, _("Leave this empty: no components of this supplier are present."))
        if cleaned.get("removed_on") is not None and cleaned["removed_on"] > timezone.localdate():
            self.add_error("removed_on", _("A removal is reported once it is done: this day is still to come. Give "
                                           "it as the planned removal date."))
        if cleaned.get("removed_on") is not None:
            if cleaned.get("progress") not in (None, 100):
                self.add_error("progress", _("Removed components are fully replaced: enter 100 or leave it empty."))
            elif cleaned.get("progress") is None and "progress" not in self.errors:
                cleaned["progress"] = 100
        self._check_listed_once(cleaned)
        return cleaned

    def _check_listed_once(self, cleaned):
        key = {name: cleaned.get(name) for name in ("operator", "asset_class", "supplier")}
        if None in key.values() or "" in key.values():
            return
        twin = PhaseOutEntry.objects.filter(assessment=self.assessment, version__isnull=True, **key)
        if self.instance.pk:
            twin = twin.exclude(pk=self.instance.pk)
        if twin.exists():
            self.add_error("supplier", _("This operator's key asset class already has a row for this supplier: "
                                         "edit that row instead."))
