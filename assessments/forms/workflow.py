"""Forms of the filing workflow around the answers: attachments, workbook, submissions, return, clarification."""

import json

from django import forms
from django.utils import formats
from django.utils.text import format_lazy
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from assessments.files import documents, scanning
from assessments.forms.markings import marking_choices
from assessments.models import MAX_ATTACHMENT_BYTES, Status
from assessments.sharing import MarkingRefused, attachment_marking_check, thread_marking_check
from assessments.workbook.limits import MAX_WORKBOOK_BYTES

# Detected from the content (filetype), never from the name the file came with (assessments/files/documents.py).
ALLOWED_ATTACHMENTS = {kind.extension: kind.content_type for kind in documents.KINDS.values()}
# Beside every file field, before anyone uploads (assessments/files/classification.py refuses what it says).
CLASSIFIED_NOTICE = _("Never EU classified information (RESTREINT UE/EU RESTRICTED or above, or a national "
                      "equivalent): the portal is not accredited for it, and refuses a file that carries such a "
                      "marking.")


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Document"), help_text=format_lazy(
        "{} {}", _("PDF, XLSX, DOCX or ODT, at most 20 MB, without macros or scripts."), CLASSIFIED_NOTICE))
    # Not required: an upload that does not say (a script, an older page) takes the draft's.
    marking = forms.ChoiceField(label=_("Handling marking of this document"), choices=marking_choices,
                                widget=forms.RadioSelect, required=False,
                                help_text=_("The draft's, or stricter: TLP:RED is read by the member state's own "
                                            "staff and only the reviewers the version names."))

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, initial={"marking": assessment.marking}, **kwargs)
        self.assessment = assessment

    def clean_marking(self):
        try:
            return attachment_marking_check(self.cleaned_data["marking"] or self.assessment.marking, self.assessment)
        except MarkingRefused as refused:
            raise forms.ValidationError(refused.message, code="marking") from None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The size first: nothing of a file that is too large is read.
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("The file is %(mb).1f MB; attachments may be at most 20 MB.")
                                        % {"mb": upload.size / 1024 / 1024})
        try:
            kind = documents.check(upload)
        except documents.Refused as refused:
            raise forms.ValidationError(refused.message, code=refused.code) from None
        try:
            scanning.scan(upload)
        except scanning.Infected:
            raise forms.ValidationError(_("This file did not pass the virus scan: it was not attached."),
                                        code="infected") from None
        except scanning.Unavailable:
            raise forms.ValidationError(_("The virus scanner could not check this file; try again later. Nothing "
                                          "was attached."), code="scanner_unavailable") from None
        upload.detected_type = kind.content_type
        return upload


class WorkbookForm(forms.Form):
    workbook = forms.FileField(label=_("Filled workbook (XLSX)"),
                               help_text=format_lazy("{} {}", _("At most 5 MB."), CLASSIFIED_NOTICE))

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if upload.size > MAX_WORKBOOK_BYTES:  # before any of it is read (the rest: assessments/workbook/limits.py)
            raise forms.ValidationError(_("The workbook is %(mb).1f MB; a workbook may be at most %(max)s MB.")
                                        % {"mb": upload.size / 1024 / 1024, "max": MAX_WORKBOOK_BYTES // 1024 // 1024})
        try:  # before anything of it is imported: nothing of the draft changes
            documents.check_unclassified(upload, documents.KINDS["xlsx"])
        except documents.Refused as refused:
            raise forms.ValidationError(refused.message, code=refused.code) from None
        return upload


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Message to the member state"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = assessment.cycle.questionnaire.sections
        for section in self.sections:
            self.fields[f"why_{section.value}"] = forms.CharField(
                label=_("What to clarify in “%(section)s”") % {"section": section.label}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Leave empty if this section needs nothing."))
            self.fields[f"item_{section.value}"] = forms.CharField(
                label=_("Question concerned (code, optional)"), required=False, max_length=40,
                help_text=_("e.g. R4, SM03 or core; empty for the whole section."))

    def clean(self):
        data = super().clean()
        self.points = [(s.value, data.get(f"item_{s.value}", "").strip(), data[f"why_{s.value}"].strip())
                       for s in self.sections if data.get(f"why_{s.value}", "").strip()]
        if not self.points:
            raise forms.ValidationError(_("Name at least one section to clarify, and why."))
        return data

    def section_fields(self):
        return [(s, self[f"why_{s.value}"], self[f"item_{s.value}"]) for s in self.sections]


SORTS = {"member_state": "member_state", "status": "status", "submitted": "submitted", "-submitted": "-submitted",
         "points": "points"}


class SubmissionFilter(forms.Form):
    # Reviewers never see a draft: the statuses a submitted assessment can have.
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any"))] + [c for c in Status.choices if c[0] != Status.DRAFT])
    timeliness = forms.ChoiceField(label=_("Timeliness"), required=False, choices=[
        ("", _("Any")), ("late", _("Late")), ("on_time", _("On time"))])
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[
        ("member_state", _("Member state")), ("status", _("Status")),
        ("-submitted", _("Latest submission first")), ("submitted", _("Oldest submission first")),
        ("points", _("Most open points"))])


class VersionPairForm(forms.Form):
    """Two of a member state's submitted versions to compare, named "from" and "to" as the links to the page name
    them; `versions` are those the reader may see, in order."""

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(version.number, _("Version %(n)s, submitted %(at)s") % {
            "n": version.number, "at": formats.date_format(localtime(version.submitted_at), "DATE_FORMAT")})
            for version in versions]
        self.fields["from"] = forms.TypedChoiceField(label=_("From version"), coerce=int, choices=choices)
        self.fields["to"] = forms.TypedChoiceField(label=_("To version"), coerce=int, choices=choices)
        if len(versions) >= 2:
            self.initial = {"from": versions[-2].number, "to": versions[-1].number}

    def clean(self):
        data = super().clean()
        if data.get("from") is not None and data.get("from") == data.get("to"):
            self.add_error("to", _("Choose a version other than the one to compare it with."))
        return data

    @property
    def pair(self):
        """(the earlier number, the later one), whichever order they were chosen in."""
        return tuple(sorted((self.cleaned_data["from"], self.cleaned_data["to"])))


class AskForm(forms.Form):
    """A reviewer's question on one question of a version, optionally one field of it.

    The field list holds every part's fields, grouped; a script (static/js/ask_fields.js) keeps only the chosen
    question's, and the server refuses a field the question does not have, beside the field.
    """

    question = forms.ChoiceField(label=_("Question"))
    field = forms.ChoiceField(label=_("Field"), required=False)
    message = forms.CharField(label=_("What needs clarifying"), widget=forms.Textarea(attrs={"rows": 2}))
    # Not required: a question that does not say takes the version's. Its replies carry it too.
    marking = forms.ChoiceField(label=_("Handling marking of this question and its answers"),
                                choices=marking_choices, widget=forms.RadioSelect, required=False,
                                help_text=_("The version's, or stricter: TLP:RED only if the version names you."))

    def __init__(self, *args, questions, version, user, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {"marking": version.marking, **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        self.questions, self.version, self.user = questions, version, user
        self.fields["question"].choices = questions.choices
        self.fields["question"].widget.attrs["data-parts"] = json.dumps(questions.part_of)
        self.fields["field"].choices = [("", _("The whole question")), *questions.field_choices()]
        self.fields["field"].widget.attrs |= {
            "data-fields": json.dumps(questions.fields_by_part),
            "data-whole": str(_("The whole question"))}

    def clean(self):
        data = super().clean()
        question, field = data.get("question"), data.get("field")
        if question and field:
            allowed = self.questions.fields_of(question)
            if field not in dict(allowed):
                self.add_error("field", _("This question has no such field; choose one of: %(fields)s, or the "
                                          "whole question.") % {"fields": ", ".join(label for _n, label in allowed)})
        return data

    def clean_marking(self):
        try:
            return thread_marking_check(self.cleaned_data["marking"] or self.version.marking, self.version, self.user)
        except MarkingRefused as refused:
            raise forms.ValidationError(refused.message, code="marking") from None


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 2}))


class StartForm(forms.Form):
    """How a member state starts a cycle's assessment: from one of its earlier versions, or empty."""

    EMPTY = "empty"

    start_from = forms.ChoiceField(label=_("Start from"), widget=forms.RadioSelect)

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = {str(version.pk): version for version in sources}
        self.fields["start_from"].choices = [*((pk, str(version)) for pk, version in self.sources.items()),
                                             (self.EMPTY, _("Start empty"))]
        self.fields["start_from"].error_messages["invalid_choice"] = _(
            "Choose one of your member state's earlier versions, or to start empty.")
        self.fields["start_from"].initial = next(iter(self.sources), self.EMPTY)

    def clean_start_from(self):
        """The version to start from, or None."""
        return self.sources.get(self.cleaned_data["start_from"])
