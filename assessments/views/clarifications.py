"""Clarification per question: reviewers ask and resolve, the member state answers."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments import services
from assessments.access import get_point_to_answer, get_point_to_review, get_submitted_for_review
from assessments.forms import AnswerForm, AskForm
from assessments.questionnaire.questions import Questions
from assessments.views.submission import version_page
from portal import access


def _version_url(assessment, anchor="points"):
    return reverse("assessments:version", args=[assessment.pk, assessment.versions.count()]) + f"#{anchor}"


@require_POST
@access.reviewer
def ask(request, pk):
    assessment = get_submitted_for_review(request.user, pk)
    version = assessment.versions.latest()
    form = AskForm(request.POST, questions=Questions(version.snapshot["answers"]), version=version,
                   user=request.user)
    if form.is_valid():
        section, item = form.cleaned_data["question"].split("|", 1)
        try:
            services.clarification_draft(assessment=assessment, user=request.user, section=section, item=item,
                                         field=form.cleaned_data["field"], message=form.cleaned_data["message"],
                                         marking=form.cleaned_data["marking"])
        except services.MarkingRefused as refused:  # the service checks it again, whoever calls it
            form.add_error(refused.field, refused.message)
    if form.errors:  # the version page again, the refusal beside the field
        return version_page(request, version, ask_form=form)
    messages.success(request, _("Question noted. Send the questions when you have written them all."))
    return redirect(_version_url(assessment))


@require_POST
@access.reviewer
def send(request, pk):
    assessment = get_submitted_for_review(request.user, pk)
    sent = services.clarifications_send(assessment=assessment, user=request.user,
                                        comment=request.POST.get("comment", ""))
    if not sent:  # a second click, or a colleague sent them a moment before
        messages.info(request, _("There was no unsent question: nothing was sent."))
        return redirect(_version_url(assessment))
    messages.success(request, ngettext("%(n)s question sent; the assessment is returned to %(ms)s.",
                                       "%(n)s questions sent; the assessment is returned to %(ms)s.", sent)
                     % {"n": sent, "ms": assessment.member_state})
    return redirect(_version_url(assessment))


@require_POST
@access.reviewer
def withdraw(request, pk, point_pk):
    point = get_point_to_review(request.user, pk, point_pk)
    services.clarification_withdraw(point=point)
    return redirect(_version_url(point.assessment))


@require_POST
@access.reviewer
def resolve(request, pk, point_pk):
    point = get_point_to_review(request.user, pk, point_pk)
    services.clarification_resolve(point=point, user=request.user)
    messages.success(request, _("Point resolved."))
    return redirect(_version_url(point.assessment, f"point-{point.pk}"))


@require_POST
@access.signed_in
def answer(request, pk, point_pk):
    """The member state's answer to one point, written on the section page where the question sits."""
    point = get_point_to_answer(request.user, pk, point_pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        services.clarification_answer(point=point, user=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Answer sent to the reviewer."))
    else:
        messages.error(request, _("Write an answer before sending it."))
    target = reverse("assessments:section", args=[pk, point.section])
    return redirect(f"{target}#point-{point.pk}")
