"""Choosing a handling marking: the draft's (its team), a version's (the lead reporter, on the submit page)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.sharing import MarkingRefused, reviewers, version_marking_check
from portal.markings import Marking


def marking_choices():
    """Each label with what it means in the portal (the label itself is never translated), strictest first."""
    return [(m.value, f"{m.label}: {m.meaning}") for m in reversed(list(Marking))]


class DraftMarkingForm(forms.Form):
    marking = forms.ChoiceField(label=_("Handling marking of the draft"), choices=marking_choices,
                                widget=forms.RadioSelect)


class ReviewerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.display_name


class VersionMarkingForm(forms.Form):
    """The version's marking (the draft's by default) and, for TLP:RED, the reviewers it is shared with."""

    # Not required: a submission that does not say (an older page, a script) takes the draft's.
    marking = forms.ChoiceField(label=_("Handling marking of this version"), choices=marking_choices,
                                widget=forms.RadioSelect, required=False)
    shared_with = ReviewerChoice(label=_("Reviewers who may read it (TLP:RED only)"), queryset=reviewers(),
                                 required=False, widget=forms.CheckboxSelectMultiple,
                                 help_text=_("No other reviewer sees a version marked TLP:RED, and the coordinated "
                                             "review leaves it out."))

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, initial={"marking": assessment.marking}, **kwargs)
        self.fields["shared_with"].queryset = reviewers()
        self.assessment = assessment
        self.holds_red = assessment.attachments.in_draft().filter(marking=Marking.RED).exists()

    def clean_marking(self):
        return self.cleaned_data["marking"] or self.assessment.marking

    def clean(self):
        cleaned = super().clean()
        if "marking" in cleaned:
            try:
                cleaned["shared_with"] = version_marking_check(cleaned["marking"], cleaned.get("shared_with") or [],
                                                               holds_red=self.holds_red)
            except MarkingRefused as refused:
                self.add_error(refused.field, refused.message)
        return cleaned
