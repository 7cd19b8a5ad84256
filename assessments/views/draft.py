"""The filer's pages: the draft, its sections, suppliers."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import services
from assessments.access import get_draft_for_user, get_supplier_row_for_user
from assessments.forms import AddSupplierForm, AnswerForm
from assessments.models import RiskLevel, Section, SectionState, UnsavedInput
from assessments.population import member_timeliness
from assessments.sections import SectionForms, missing_answers, segment_shares
from portal import access
from portal.models import ReportingCycle


def _section_or_404(assessment, code):
    try:
        section = Section(code)
    except ValueError:
        raise Http404 from None
    if section not in assessment.cycle.questionnaire.sections:
        raise Http404
    return section


@require_POST
@access.authority_staff
def assessment_start(request, cycle_pk):
    cycle = get_object_or_404(ReportingCycle.objects.current_for(request.user.member_state), pk=cycle_pk)
    assessment = services.assessment_start(cycle=cycle, member_state=request.user.member_state, user=request.user)
    return redirect("assessments:overview", pk=assessment.pk)


@access.signed_in
def overview(request, pk):
    assessment = get_draft_for_user(request.user, pk)
    missing = services.assessment_missing(assessment)
    return render(request, "assessments/overview.html", {
        "assessment": assessment,
        "sections": [(section, missing[section]) for section in missing],
        "complete": not any(missing.values()),
        "versions": assessment.versions.select_related("submitted_by"),
        "clarifications": assessment.clarifications.still_open().select_related("version"),
        "may_edit": assessment.is_editable_by(request.user),
        "may_submit": assessment.may_submit(request.user),
        "timeliness": member_timeliness(assessment),
        "reopening": assessment.cycle.reopening_for(assessment.member_state),
    })


def _autosave_response(result):
    saved_at = timezone.localtime(result.state.saved_at) if result.state.saved_at else None
    body = {"status": result.outcome.value, "revision": result.state.revision, "errors": result.errors}
    if result.outcome is services.Outcome.SAVED:
        body["message"] = _("Saved at %(time)s") % {"time": formats.time_format(saved_at, "H:i:s")}
    elif result.outcome is services.Outcome.INVALID:
        body["message"] = _("Not saved yet: correct the fields marked below. What you typed is kept.")
    else:
        body["message"] = _("A colleague saved this section after you opened it. Nothing was overwritten.")
    return JsonResponse(body)


@access.signed_in
def section(request, pk, code):
    assessment = get_draft_for_user(request.user, pk, write=request.method == "POST")
    section = _section_or_404(assessment, code)
    if section == Section.ATTACHMENTS:
        return redirect("assessments:attachments", pk=pk)
    questionnaire = assessment.cycle.questionnaire
    state = SectionState.objects.select_related("saved_by").get(assessment=assessment, section=section)
    editable = assessment.is_editable_by(request.user)
    base_revision, conflict = state.revision, False
    if request.method == "POST":
        revision = request.POST.get("_revision", "")
        result = services.section_save(assessment=assessment, section=section, data=request.POST,
                                       base_revision=int(revision) if revision.isdigit() else -1, user=request.user)
        if request.headers.get("X-Autosave"):
            return _autosave_response(result)
        if result.outcome is services.Outcome.SAVED:
            messages.success(request, _("%(section)s saved.") % {"section": section.label})
            target = _next_section(questionnaire, section) if "save_next" in request.POST else section
            return redirect("assessments:section", pk=pk, code=target.value)
        forms, state = result.forms, result.state
        conflict = result.outcome is services.Outcome.CONFLICT
        base_revision = int(revision) if revision.isdigit() else state.revision
    else:
        unsaved = UnsavedInput.objects.filter(section_state=state, user=request.user).first()
        if unsaved:
            forms = SectionForms(section, assessment, questionnaire, services.as_query_dict(unsaved.data))
            forms.is_valid()  # to show its errors beside the fields
            conflict, base_revision = unsaved.base_revision != state.revision, unsaved.base_revision
        else:
            forms = SectionForms(section, assessment, questionnaire)
    points = list(assessment.clarifications.visible_to(request.user).filter(section=section).still_open()
                  .prefetch_related("messages__author"))
    for _part, formset in forms.formsets:
        for form in formset.forms:
            key = getattr(form.item, "code", None) or form.item.name
            form.points = [point for point in points if point.item == key]
    return render(request, "assessments/section.html", {
        "assessment": assessment, "section": section, "forms": forms, "state": state,
        "base_revision": base_revision, "editable": editable, "conflict": conflict,
        "comparison": _comparison(forms, SectionForms(section, assessment, questionnaire)) if conflict else None,
        "points": points,
        "answer_form": AnswerForm(),
        "matrix": {cell: str(RiskLevel(level).label) for cell, level in questionnaire.matrix().items()}
        if section == Section.SCENARIOS else None,
        "add_supplier_form": AddSupplierForm() if section == Section.SUPPLIERS else None,
        "segments": segment_shares(forms) if section == Section.SUPPLIERS else None,
        "next_section": _next_section(questionnaire, section),
        "missing": missing_answers(section, assessment, questionnaire),
    }, status=409 if conflict else 200)


def _next_section(questionnaire, section):
    sections = questionnaire.sections
    index = sections.index(section)
    return sections[index + 1] if index + 1 < len(sections) else section


def _comparison(mine, theirs):
    """Both versions of a section side by side: [(question, field, mine, theirs, differs)]."""
    saved = {key: value for _, _, value, key in theirs.display_values()}
    return [(question, label, value, saved.get(key, "—"), value != saved.get(key, "—"))
            for question, label, value, key in mine.display_values()]


@require_POST
@access.signed_in
def resolve_conflict(request, pk, code):
    """The filer chose between their unsaved input and the version a colleague saved."""
    assessment = get_draft_for_user(request.user, pk, write=True)
    section = _section_or_404(assessment, code)
    state = SectionState.objects.get(assessment=assessment, section=section)
    unsaved = get_object_or_404(UnsavedInput, section_state=state, user=request.user)
    if request.POST.get("keep") == "mine":
        result = services.section_save(assessment=assessment, section=section,
                                       data=services.as_query_dict(unsaved.data), base_revision=state.revision,
                                       user=request.user)
        if result.outcome is services.Outcome.SAVED:
            messages.success(request, _("Your version was saved; it replaces your colleague's."))
        else:
            messages.warning(request, _("Your version still needs corrections before it can be saved."))
    else:
        services.section_discard_unsaved(assessment=assessment, section=section, user=request.user)
        messages.info(request, _("Your changes were discarded; the saved version is shown."))
    return redirect("assessments:section", pk=pk, code=section.value)


@require_POST
@access.signed_in
def supplier_add(request, pk):
    assessment = get_draft_for_user(request.user, pk, write=True)
    form = AddSupplierForm(request.POST)
    if form.is_valid():
        supplier = form.cleaned_data["supplier"]
        if not services.supplier_add(assessment=assessment, supplier=supplier, user=request.user):
            messages.info(request, _("%(name)s is already listed.") % {"name": supplier})
    else:
        messages.error(request, _("Choose a supplier to add."))
    return redirect("assessments:section", pk=pk, code=Section.SUPPLIERS.value)


@require_POST
@access.signed_in
def supplier_remove(request, pk, row_pk):
    assessment, row = get_supplier_row_for_user(request.user, pk, row_pk)
    services.supplier_remove(assessment=assessment, row=row, user=request.user)
    messages.success(request, _("%(name)s removed from the suppliers.") % {"name": row.supplier.name})
    return redirect("assessments:section", pk=pk, code=Section.SUPPLIERS.value)
