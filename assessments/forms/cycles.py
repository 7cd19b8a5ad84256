"""What a cycle asks, and whom: its questionnaire and its coverage (admins)."""

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from assessments.editions import items_of
from assessments.models import Questionnaire, RiskScenario, ToolboxMeasure
from portal.models import MemberState


class QuestionnaireForm(forms.ModelForm):
    """The catalogue and the risk scale a cycle asks about."""

    class Meta:
        model = Questionnaire
        fields = ["edition", "likelihood_levels", "impact_levels", "medium_from", "high_from", "critical_from",
                  "asks_scope", "asks_suppliers", "asks_attachments", "asks_phase_out", "asks_legislation",
                  "threat_actors", "threats", "asset_classes", "criteria", "scenarios", "measures"]
        widgets = {name: forms.CheckboxSelectMultiple for name in
                   ["threat_actors", "threats", "asset_classes", "criteria", "scenarios", "measures"]}

    def clean(self):
        data = super().clean()
        levels = (data.get("likelihood_levels") or 0) * (data.get("impact_levels") or 0)
        order = [data.get("medium_from"), data.get("high_from"), data.get("critical_from")]
        if None not in order and not (1 < order[0] < order[1] < order[2] <= levels):
            self.add_error("critical_from", _("The thresholds must rise: 1 < medium < high < critical ≤ %(max)s "
                                              "(likelihood × impact).") % {"max": levels})
        edition = data.get("edition")
        for name, model in (("scenarios", RiskScenario), ("measures", ToolboxMeasure)):
            if edition is None or not data.get(name):
                continue
            outside = sorted(item.code for item in set(data[name]) - set(items_of(edition, model)))
            if outside:
                self.add_error(name, _("Not in the catalogue of %(edition)s: %(codes)s.") % {
                    "edition": edition.title, "codes": ", ".join(outside)})
        return data


class CoverageForm(forms.Form):
    """Which member states a cycle asks. Removing one that has submitted needs a reason and an acknowledgement."""

    member_states = forms.ModelMultipleChoiceField(label=_("Member states asked"), queryset=MemberState.objects.all(),
                                                   required=False, widget=forms.CheckboxSelectMultiple)
    exclude_submissions = forms.BooleanField(
        label=_("Member states removed after submitting: keep their versions on record, but no longer count them in "
                "the review, the timeliness figures and the comparison"), required=False)
    reason = forms.CharField(label=_("Why they are removed"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, cycle, submitted, **kwargs):
        super().__init__(*args, initial={"member_states": list(cycle.asked_member_states())}, **kwargs)
        self.cycle, self.submitted = cycle, submitted
        self.fields["member_states"].help_text = _(
            "Only members of the Union on the cycle's reference date (%(day)s) can be asked.") % {
            "day": formats.date_format(cycle.starts_on)}

    def clean(self):
        data = super().clean()
        chosen = set(data.get("member_states") or [])
        current = set(self.cycle.asked_member_states())
        self.added, self.removed = chosen - current, current - chosen
        outside = sorted(m.name for m in self.added if not self.cycle.may_cover(m))
        if outside:
            self.add_error("member_states", _("Not a member of the Union on %(day)s, so it cannot be asked: "
                                              "%(names)s.") % {"day": formats.date_format(self.cycle.starts_on),
                                                               "names": ", ".join(outside)})
        with_versions = sorted(m.name for m in self.removed if m.pk in self.submitted)
        if with_versions:
            if not data.get("exclude_submissions"):
                self.add_error("exclude_submissions", _(
                    "%(names)s has submitted: say what becomes of its submission before removing it.")
                    % {"names": ", ".join(with_versions)})
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Give the reason: it is kept with the change."))
        return data
