"""Forms of the admins' pages: cycles, milestones, extensions, reopening."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Questionnaire
from portal.models import BRUSSELS, Extension, MemberState, Milestone, ReportingCycle, Reopening

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "step": 1}, format="%H:%M:%S")


class CycleForm(forms.ModelForm):
    class Meta:
        model = ReportingCycle
        fields = ["title", "year", "starts_on", "member_states", "lock_on_deadline", "reminder_days"]
        widgets = {"starts_on": DATE, "member_states": forms.CheckboxSelectMultiple}
        help_texts = {"member_states": _("Left empty, the member states of the Union on the start date.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_states"].required = False

    def clean(self):
        data = super().clean()
        if not data.get("member_states") and data.get("starts_on"):
            data["member_states"] = MemberState.objects.members_on(data["starts_on"])
        return data


class QuestionnaireForm(forms.ModelForm):
    """The catalogue and the risk scale a cycle asks about."""

    class Meta:
        model = Questionnaire
        fields = ["likelihood_levels", "impact_levels", "medium_from", "high_from", "critical_from", "asks_scope",
                  "asks_suppliers", "asks_attachments", "threat_actors", "threats", "asset_classes", "criteria",
                  "scenarios", "measures"]
        widgets = {name: forms.CheckboxSelectMultiple for name in
                   ["threat_actors", "threats", "asset_classes", "criteria", "scenarios", "measures"]}

    def clean(self):
        data = super().clean()
        levels = (data.get("likelihood_levels") or 0) * (data.get("impact_levels") or 0)
        order = [data.get("medium_from"), data.get("high_from"), data.get("critical_from")]
        if None not in order and not (1 < order[0] < order[1] < order[2] <= levels):
            self.add_error("critical_from", _("The thresholds must rise: 1 < medium < high < critical ≤ %(max)s "
                                              "(likelihood × impact).") % {"max": levels})
        return data


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["code", "title", "description", "scope", "due_date", "due_time", "met_on", "tracks_submission"]
        widgets = {"due_date": DATE, "due_time": TIME, "met_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"due_time": _("Brussels time. By default the end of the day, 23:59:59."),
                      "met_on": _("For EU-level steps: the day it was actually met, which may differ from the due "
                                  "date.")}

    def clean(self):
        data = super().clean()
        if data.get("met_on") and data.get("scope") != Milestone.Scope.EU:
            self.add_error("met_on", _("Only EU-level steps have a date met; a member state's is its submission."))
        if data.get("tracks_submission") and data.get("scope") != Milestone.Scope.MEMBER_STATE:
            self.add_error("tracks_submission", _("Only a milestone of each member state is met by a submission."))
        return data


class ExtensionForm(forms.ModelForm):
    class Meta:
        model = Extension
        fields = ["member_state", "due_date", "due_time", "reason"]
        widgets = {"due_date": DATE, "due_time": TIME, "reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, milestone, **kwargs):
        super().__init__(*args, **kwargs)
        self.milestone = milestone
        self.fields["member_state"].queryset = milestone.cycle.member_states.all()

    def clean(self):
        data = super().clean()
        due_date, due_time = data.get("due_date"), data.get("due_time")
        if due_date and due_time:
            if datetime.datetime.combine(due_date, due_time, tzinfo=BRUSSELS) <= self.milestone.due_at:
                self.add_error("due_date", _("An extension must end after the milestone's own deadline."))
        return data


class ReopeningForm(forms.ModelForm):
    class Meta:
        model = Reopening
        fields = ["member_state", "until", "reason"]
        widgets = {"until": forms.DateTimeInput(attrs={"type": "datetime-local"}),
                   "reason": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"until": _("Brussels time. Leave empty to keep it open until you close it again.")}

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_state"].queryset = cycle.member_states.all()
