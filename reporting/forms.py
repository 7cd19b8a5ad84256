"""Forms of the reviewers' pages."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import RiskScenario, Section, Supplier, ToolboxMeasure
from assessments.population import counted_versions
from portal import markings
from portal.deadlines import Deadline
from portal.markings import Marking
from reporting import trends
from reporting.tables import SEGMENT_LABELS


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("Figures as of (end of day, Brussels time)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def instant(self, now=None):
        """The instant the figures are as of: now, or the end of the day chosen if that is earlier. "As of 19 July"
        is the end of that day in Brussels: the same rule as a deadline of 19 July (portal/deadlines.py)."""
        now = now or timezone.now()
        if self.is_valid() and self.cleaned_data["as_of"]:
            return min(now, Deadline(self.cleaned_data["as_of"]).ends_at - datetime.timedelta(microseconds=1))
        return now


class CompareForm(forms.Form):
    member_states = forms.MultipleChoiceField(label=_("Member states (two or more)"),
                                              widget=forms.CheckboxSelectMultiple)
    section = forms.ChoiceField(label=_("Section"))
    previous = forms.BooleanField(label=_("Compare with the previous cycle"), required=False)
    differ = forms.BooleanField(label=_("Show only where the member states differ"), required=False)

    def __init__(self, *args, cycle, counted=None, **kwargs):
        """`counted`: the versions the cycle counts (assessments.population), when the caller has read them."""
        super().__init__(*args, **kwargs)
        # Only the member states the cycle's population counts, in its order: the population's own, read with it
        # (no query to offer them, none to check the choice).
        counted = counted if counted is not None else counted_versions(cycle)
        self.offered = {str(v.assessment.member_state_id): v.assessment.member_state for v in counted}
        self.fields["member_states"].choices = [(pk, str(member_state)) for pk, member_state in self.offered.items()]
        self.fields["section"].choices = [(s.value, s.label) for s in cycle.questionnaire.sections
                                          if s != Section.ATTACHMENTS]

    def clean_member_states(self):
        """The member states chosen (MemberState, in the population's order)."""
        chosen = set(self.cleaned_data["member_states"])
        if len(chosen) < 2:
            raise forms.ValidationError(_("Choose at least two member states to compare."))
        return [member_state for pk, member_state in self.offered.items() if pk in chosen]


class CapForm(forms.Form):
    """A reviewer's ceiling on an export ("up to TLP:GREEN"): content marked above it is left out of the file."""

    cap = forms.ChoiceField(label=_("Up to"), required=False,
                            choices=[("", _("Everything, under its marking"))] + [
                                (m.value, _("Up to %(label)s") % {"label": m.value}) for m in Marking],
                            help_text=_("Member states whose versions are marked above the chosen label are left out, "
                                        "and the file says which."))


class PublishForm(forms.Form):
    """The confirmation page's decision: it carries what the member states read when the page was shown."""

    replaces = forms.CharField(widget=forms.HiddenInput, max_length=20)
    marking = forms.ChoiceField(
        label=_("Handling marking of the publication"), widget=forms.RadioSelect,
        choices=lambda: [(m.value, f"{m.label}: {m.meaning}") for m in reversed(list(Marking))],
        initial=markings.PUBLISHED_DEFAULT,
        help_text=_("Every member state's staff read it: TLP:GREEN at most."), required=False)

    def clean_marking(self):
        """A decision that does not say (a page from before markings, a script) publishes at the default."""
        return self.cleaned_data["marking"] or markings.PUBLISHED_DEFAULT


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it withdrawn?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The member states' staff read this where the review was."),
        error_messages={"required": _("Say why the publication is withdrawn: the member states' staff read it.")})


class TrendForm(forms.Form):
    """What a trend follows: a measure, a scenario or a supplier (then a segment of the network)."""

    subject = forms.ChoiceField(label=_("Follow"))
    segment = forms.ChoiceField(label=_("Network segment (for a supplier)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [
            (str(trends.KIND_LABELS[trends.MEASURE]),
             [(f"{trends.MEASURE}:{m.code}", str(m)) for m in ToolboxMeasure.objects.order_by("position", "code")]),
            (str(trends.KIND_LABELS[trends.SCENARIO]),
             [(f"{trends.SCENARIO}:{s.code}", str(s)) for s in RiskScenario.objects.order_by("position", "code")]),
            (str(trends.KIND_LABELS[trends.SUPPLIER]),
             [(f"{trends.SUPPLIER}:{s.name}", s.name) for s in Supplier.objects.order_by("name")]),
        ]
        self.fields["segment"].choices = [(key, label) for key, label in SEGMENT_LABELS.items()]
        self.titles = {value: label for _group, choices in self.fields["subject"].choices for value, label in choices}

    def clean(self):
        data = super().clean()
        kind, _sep, key = (data.get("subject") or "").partition(":")
        if kind == trends.SUPPLIER and not data.get("segment"):
            self.add_error("segment", _("Choose the segment of the network whose shares to follow."))
        return data

    def chosen(self):
        """The Subject chosen (call after is_valid())."""
        kind, _sep, key = self.cleaned_data["subject"].partition(":")
        return trends.Subject(kind, key, self.cleaned_data.get("segment", "") if kind == trends.SUPPLIER else "")

    def title(self):
        subject = self.chosen()
        title = self.titles.get(subject.value, subject.key)
        if subject.segment:
            title = f"{title}, {SEGMENT_LABELS[subject.segment]}"
        return title
