"""Clarification per question: reviewers ask and resolve, the member state answers."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessments import services
from assessments.access import get_assessment_for_user, get_draft_for_user, get_submitted_for_review
from assessments.models import ClarificationPoint, PointStatus, ScopeAnswer, Section
from assessments.sections import PARTS
from portal.lib.access import reviewer_required


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
    return [("", gettext_lazy("The whole question"))] + sorted(names.items(), key=lambda kv: kv[1])


class AskForm(forms.Form):
    question = forms.ChoiceField(label=gettext_lazy("Question"))
    field = forms.ChoiceField(label=gettext_lazy("Field"), required=False)
    message = forms.CharField(label=gettext_lazy("What needs clarifying"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = question_choices(answers)
        self.fields["field"].choices = field_choices()


class AnswerForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Your answer"), widget=forms.Textarea(attrs={"rows": 2}))


def _version_url(assessment, anchor="points"):
    return reverse("assessments:version", args=[assessment.pk, assessment.versions.count()]) + f"#{anchor}"


@require_POST
@reviewer_required
def ask(request, pk):
    assessment = get_submitted_for_review(request.user, pk)
    form = AskForm(request.POST, answers=assessment.versions.latest().snapshot["answers"])
    if form.is_valid():
        section, item = form.cleaned_data["question"].split("|", 1)
        services.clarification_draft(assessment=assessment, user=request.user, section=section, item=item,
                                     field=form.cleaned_data["field"], message=form.cleaned_data["message"])
        messages.success(request, _("Question noted. Send the questions when you have written them all."))
    else:
        messages.error(request, _("Choose the question and say what needs clarifying."))
    return redirect(_version_url(assessment))


@require_POST
@reviewer_required
def send(request, pk):
    assessment = get_submitted_for_review(request.user, pk)
    sent = services.clarifications_send(assessment=assessment, user=request.user,
                                        comment=request.POST.get("comment", ""))
    messages.success(request, _("%(n)s questions sent; the assessment is returned to %(ms)s.")
                     % {"n": sent, "ms": assessment.member_state})
    return redirect(_version_url(assessment))


@require_POST
@reviewer_required
def withdraw(request, pk, point_pk):
    assessment = get_assessment_for_user(request.user, pk)
    get_object_or_404(ClarificationPoint, pk=point_pk, assessment=assessment, status=PointStatus.DRAFT).delete()
    return redirect(_version_url(assessment))


@require_POST
@reviewer_required
def resolve(request, pk, point_pk):
    assessment = get_assessment_for_user(request.user, pk)
    point = get_object_or_404(ClarificationPoint, pk=point_pk, assessment=assessment)
    services.clarification_resolve(point=point, user=request.user)
    messages.success(request, _("Point resolved."))
    return redirect(_version_url(assessment, f"point-{point.pk}"))


@require_POST
@login_required
def answer(request, pk, point_pk):
    """The member state's answer to one point, written on the section page where the question sits."""
    assessment = get_draft_for_user(request.user, pk)
    if not request.user.is_authority_staff:
        raise PermissionDenied
    point = get_object_or_404(ClarificationPoint, pk=point_pk, assessment=assessment,
                              status__in=[PointStatus.OPEN, PointStatus.ANSWERED])
    form = AnswerForm(request.POST)
    if form.is_valid():
        services.clarification_answer(point=point, user=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Answer sent to the reviewer."))
    else:
        messages.error(request, _("Write an answer before sending it."))
    target = reverse("assessments:section", args=[pk, point.section])
    return redirect(f"{target}#point-{point.pk}")
