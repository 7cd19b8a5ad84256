"""The filer's pages: the draft, its sections, suppliers."""

import functools
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from assessments import services
from assessments.access import get_draft_for_user, get_supplier_row_for_user
from assessments.filing import carried
from assessments.filing.merge import MISSING, merge
from assessments.filing.section_post import read_section_post
from assessments.forms import AddSupplierForm, AnswerForm, DraftMarkingForm, StartForm
from assessments.models import (
    NationalAssessment,
    Prefill,
    RiskLevel,
    Section,
    SectionRevision,
    SectionState,
    UnsavedInput,
)
from assessments.numbers import NUMBER
from assessments.population import member_timeliness
from assessments.questionnaire.sections import SectionForms, missing_answers, section_rows, segment_shares
from portal import access
from portal.markings import strictest
from portal.models import ReportingCycle


def _section_or_404(assessment, code):
    try:
        section = Section(code)
    except ValueError:
        raise Http404 from None
    if section not in assessment.cycle.questionnaire.sections:
        raise Http404
    return section


@require_http_methods(["GET", "POST"])
@access.authority_staff
def assessment_start(request, cycle_pk):
    """Start the member state's draft: from one of its earlier versions, or empty. With no earlier version, the
    home page's button starts it at once; with some, this page asks first (a post without a choice only asks)."""
    member_state = request.user.member_state
    cycle = get_object_or_404(ReportingCycle.objects.current_for(member_state), pk=cycle_pk)
    started = NationalAssessment.objects.filter(cycle=cycle, member_state=member_state).first()
    if started is not None:
        return redirect("assessments:overview", pk=started.pk)
    sources = services.earlier_versions(member_state, cycle)
    chosen = request.method == "POST" and (not sources or "start_from" in request.POST)
    form = StartForm(request.POST if chosen else None, sources=sources)
    if chosen and (not sources or form.is_valid()):
        source = form.cleaned_data["start_from"] if sources else None
        assessment = services.assessment_start(cycle=cycle, member_state=member_state, user=request.user,
                                               source=source)
        if source is not None:
            messages.success(request, _("Started from your answers in %(cycle)s (version %(n)s). Read each carried-"
                                        "over answer and confirm that it still holds, or change it.")
                             % {"cycle": source.assessment.cycle.title, "n": source.number})
        return redirect("assessments:overview", pk=assessment.pk)
    return render(request, "assessments/start.html", {"cycle": cycle, "form": form, "member_state": member_state},
                  status=400 if form.is_bound else 200)


@require_POST
@access.signed_in
def carried_confirm(request, pk, code):
    """"Still holds": the carried-over answers of one question (`question`: "item:R4", "scope") or of the section."""
    assessment = get_draft_for_user(request.user, pk, write=True)
    section = _section_or_404(assessment, code)
    question = request.POST.get("question", "")
    item = "" if question == "scope" else question.removeprefix("item:") if question.startswith("item:") else None
    try:
        count = services.carried_confirm(assessment=assessment, user=request.user, section=section, item=item)
    except services.AssessmentLocked:
        messages.warning(request, MESSAGES[services.Outcome.LOCKED])
        return redirect("assessments:section", pk=pk, code=section.value)
    messages.success(request, ngettext("%(n)s carried-over answer confirmed as still holding.",
                                       "%(n)s carried-over answers confirmed as still holding.", count) % {"n": count})
    return redirect("assessments:section", pk=pk, code=section.value)


@access.signed_in
def overview(request, pk):
    return _overview_page(request, get_draft_for_user(request.user, pk))


@require_POST
@access.signed_in
def draft_marking(request, pk):
    """The draft's team changes its handling marking (the form is on the overview page)."""
    assessment = get_draft_for_user(request.user, pk, write=True)
    form = DraftMarkingForm(request.POST)
    if not form.is_valid():
        return _overview_page(request, assessment, marking_form=form, status=400)
    if services.draft_marking_change(assessment=assessment, user=request.user, marking=form.cleaned_data["marking"]):
        messages.success(request, _("The draft is now marked %(marking)s.") % {"marking": form.cleaned_data["marking"]})
    return redirect("assessments:overview", pk=pk)


def _overview_page(request, assessment, *, marking_form=None, status=200):
    missing = services.assessment_missing(assessment)
    unsaved = services.unsaved_by_section(assessment, request.user)
    unconfirmed = carried.unconfirmed_counts(assessment)
    prefill = Prefill.objects.filter(assessment=assessment).select_related(
        "source__assessment__cycle__questionnaire", "by").first()
    return render(request, "assessments/overview.html", {
        "assessment": assessment, "page_marking": assessment.marking,
        "marking_form": marking_form or DraftMarkingForm(initial={"marking": assessment.marking}),
        "sections": [(section, missing[section], unsaved.get(section, []), unconfirmed.get(section, 0))
                     for section in missing],
        "prefill": prefill, "unconfirmed": sum(unconfirmed.values()),
        "left_behind": carried.left_behind(prefill) if prefill and prefill.left_behind else [],
        "complete": not any(missing.values()),
        "versions": assessment.versions.select_related("submitted_by"),
        "clarifications": assessment.clarifications.still_open().select_related("version"),
        "may_edit": assessment.is_editable_by(request.user),
        "may_submit": assessment.may_submit(request.user),
        "timeliness": member_timeliness(assessment),
        "reopening": assessment.cycle.reopening_for(assessment.member_state),
    }, status=status)


# Lazy: built once, translated into each reader's language when shown.
MESSAGES = {
    services.Outcome.PARTIAL: gettext_lazy(
        "Saved, except the fields marked below: correct them and save again. What you typed there is kept."),
    services.Outcome.INVALID: gettext_lazy("Not saved: correct the fields marked below. What you typed is kept."),
    services.Outcome.CONFLICT: gettext_lazy(
        "Not saved: a colleague changed some of the same fields since you opened the page. Choose, field by field, "
        "which version to keep. What you typed is kept."),
    services.Outcome.LOCKED: gettext_lazy(
        "Not saved: this draft was locked since you opened the page. What you typed is kept as your unsaved input; "
        "ask an admin to reopen the cycle for your member state."),
}


def plural_forms(text):
    """{"one": ..., "other": ...}: the two forms of `text(n)` (an ngettext) in the page's language, with {n} where
    the script puts the count; it picks the form by the language's rule (Intl.PluralRules). The portal's languages
    have these two forms; one with more (Polish, Czech) would need Django's JavaScript catalogue instead."""
    return {form: text(n) % {"n": "{n}"} for form, n in (("one", 1), ("other", 2))}


def autosave_text():
    """What static/js/autosave.js says, in the page's language (it has no words of its own); it fills in {time},
    {n} and {number}."""
    return {
        "saving": _("Saving…"), "unsaved": _("Unsaved changes…"),
        "restored": _("Restored from this device: not saved yet."), "restore": _("Restore what I typed"),
        "discard": _("Discard it"),
        "local": _("You typed in this section on this device at %(time)s, and it may not have reached the server.")
        % {"time": "{time}"},
        "merged": plural_forms(lambda n: ngettext(
            "A colleague's change to %(n)s field was merged in and is shown.",
            "A colleague's changes to %(n)s fields were merged in and are shown.", n)),
        "hidden": _("A colleague changed parts of this section not shown here: reload to see them."),
        "gone": _("This draft can no longer be edited from this page: what you typed is still here. Reload to see "
                  "why."),
        "offline": _("The server could not be reached: your changes are kept in this page and on this device. "
                     "Retrying in %(n)s seconds.") % {"n": "{n}"},
        "showConflict": _("Show the fields and choose"), "showUnsaved": _("Show my unsaved input"),
        "notNumber": _("Not a number the portal can read: write it like 2.5 or 2,5."),
        "ambiguous": _("Ambiguous: write it without a thousands separator, with at most two decimals."),
        "readAs": _("Read as %(number)s %%") % {"number": "{number}"}, "notReported": _("not reported"),
        # The server's own reading of a number (assessments/numbers.py), in JavaScript's spelling of named groups.
        "numberPattern": NUMBER.pattern.replace("(?P<", "(?<"),
    }


def _autosave_response(result):
    """What the script reads: the outcome, the section's revision now, the errors by field id, the keys refused
    (kept as unsaved input: the script sends them again, from their old base), colleagues' news."""
    body = {"status": result.outcome.value, "revision": result.state.revision, "errors": result.errors,
            "current": result.current, "refused": sorted(result.refused)}
    if result.outcome in (services.Outcome.SAVED, services.Outcome.PARTIAL):
        saved_at = timezone.localtime(result.state.saved_at) if result.state.saved_at else timezone.localtime()
        time = formats.time_format(saved_at, "TIME_SECONDS_FORMAT")
        body["message"] = (_("Saved at %(time)s") if result.outcome is services.Outcome.SAVED else
                           _("Saved at %(time)s, except the fields marked: what you typed there is kept, not "
                             "saved.")) % {"time": time}
    else:
        body["message"] = str(MESSAGES[result.outcome])
    # 200 for an answer the script handles; 409 for a conflict and 423 for a lock, so that nothing treats them as ok.
    status = {services.Outcome.CONFLICT: 409, services.Outcome.LOCKED: 423}.get(result.outcome, 200)
    return JsonResponse(body, status=status)


def _unsaved_view(assessment, section, questionnaire, unsaved):
    """What to show of a user's unsaved input: the saved section with their changes on top, and any conflicts."""
    current = SectionForms(section, assessment, questionnaire)
    theirs = current.values()
    recorded = current.canonical(unsaved.base) if unsaved.base is not None else None
    base = services.drafts.base_values_for(assessment, section, unsaved, theirs, recorded)
    result = merge(base, theirs, current.canonical(unsaved.data))
    shown = dict(theirs)
    shown.update({key: unsaved.data[key] for key in result.mine_changed if key in unsaved.data})
    forms = SectionForms(section, assessment, questionnaire, values=shown)
    if not forms.is_valid():  # its errors beside the fields: those that refuse the input, as the save said
        refused = forms.refused(result.mine_changed)
        if refused:
            forms.keep_errors_of(refused)
    # The page shows the input; its script must send the input's base, or the input would look unchanged.
    base_post = SectionForms(section, assessment, questionnaire, values=base).as_post()
    return forms, result.conflicts, current, base_post


def _conflict_rows(current, conflicts):
    """[(stable key, question, field, base, theirs, mine)], each value as a person reads it."""
    labels, fields = current.labels(), current.fields()
    rows = []
    for key, (base, theirs, mine) in conflicts.items():
        question, label = labels.get(key, (key, ""))
        rows.append((key, question, label, *(current.shown(key, _plain(v), fields) for v in (base, theirs, mine))))
    return rows


def _plain(value):
    return "" if value is MISSING else value


def _names(users):
    """"Anna Berger, Bernd Huber and Lukas Maier": the people a sentence names, in the reader's language."""
    names = [user.display_name for user in users]
    if len(names) < 2:
        return "".join(names)
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


@access.signed_in
def section(request, pk, code):
    # Its own staff may post even to a draft locked since the page opened: what they typed is kept, and said so.
    assessment = get_draft_for_user(request.user, pk)
    if request.method == "POST" and not access.may_write_draft(request.user, assessment.member_state_id):
        raise PermissionDenied
    section = _section_or_404(assessment, code)
    if section == Section.ATTACHMENTS:
        return redirect("assessments:attachments", pk=pk)
    if request.method == "POST":
        return _section_save(request, assessment, section)
    return _section_page(request, assessment, section)


def _section_save(request, assessment, section):
    """A save from the page (the whole section, then back to it) or its autosave (a few fields, answered in JSON)."""
    posted = read_section_post(section, request.POST, request.headers,
                               functools.cache(lambda: section_rows(section, assessment)))
    result = services.section_save(assessment=assessment, section=section, mine=posted.mine, base=posted.base,
                                   base_revision=posted.base_revision, user=request.user, whole=not posted.autosave)
    if posted.autosave:
        return _autosave_response(result)
    target = section
    if result.outcome is services.Outcome.SAVED:
        messages.success(request, _("%(section)s saved.") % {"section": section.label})
        if posted.save_next:
            target = _next_section(assessment.cycle.questionnaire, section)
    elif result.outcome in (services.Outcome.PARTIAL, services.Outcome.INVALID):
        messages.warning(request, MESSAGES[result.outcome])  # the error summary names each field
    return redirect("assessments:section", pk=assessment.pk, code=target.value)  # shows any kept input and why


@dataclass
class _Shown:
    """What a section page shows: the saved section, or the user's kept input over it with any conflicts."""

    forms: SectionForms
    base_revision: int
    base_post: dict
    refused: UnsavedInput | None = None
    conflicts: dict = field(default_factory=dict)
    current: SectionForms | None = None


def _shown(assessment, section, state, unsaved, editable):
    questionnaire = assessment.cycle.questionnaire
    if unsaved and editable:
        forms, conflicts, current, base_post = _unsaved_view(assessment, section, questionnaire, unsaved)
        return _Shown(forms, unsaved.base_revision, base_post, unsaved, conflicts, current)
    forms = SectionForms(section, assessment, questionnaire)  # read-only pages show only saved values
    return _Shown(forms, state.revision, forms.as_post())


def _beside_each_question(forms, points, to_confirm, earlier):
    """Each row's open clarification points, its carried-over answer to confirm and the previous version's answer."""
    for _part, formset in forms.formsets:
        for form in formset.forms:
            form.points = [point for point in points if point.item == form.item_key]
            form.carried, form.earlier = to_confirm.get(form.item_key), earlier.get(form.item_key)


def _section_page(request, assessment, section):
    questionnaire = assessment.cycle.questionnaire
    state = SectionState.objects.select_related("saved_by").get(assessment=assessment, section=section)
    editable = assessment.is_editable_by(request.user)
    unsaved = UnsavedInput.objects.filter(section_state=state, user=request.user).first()
    shown = _shown(assessment, section, state, unsaved, editable)
    forms, conflicts = shown.forms, shown.conflicts
    points = list(assessment.clarifications.visible_to(request.user).filter(section=section).still_open()
                  .select_related("version").prefetch_related("messages__author"))
    # Last cycle's answers: those carried over and not yet confirmed, and the previous version's beside each question.
    to_confirm = {question.item: question for question in carried.unconfirmed_questions(
        assessment, section, forms, keys=set(state.carried.unconfirmed().values_list("key", flat=True)))}
    previous = services.previous_version(assessment)
    earlier = carried.previous_answers(previous, section, (shown.current or forms).values(), questionnaire)
    _beside_each_question(forms, points, to_confirm, earlier)
    savers, saved_at = services.drafts.conflicting_savers(unsaved=unsaved, keys=set(conflicts)) if conflicts else \
        ([], None)
    return render(request, "assessments/section.html", {
        "assessment": assessment, "section": section, "forms": forms,
        # The strictest on the page: the draft's, or a reviewer's question marked stricter.
        "page_marking": strictest(assessment.marking, *(point.carried_marking for point in points)),
        "state": state,
        "base_revision": shown.base_revision, "editable": editable, "refused": shown.refused,
        "errors": forms.error_list() if shown.refused and not conflicts else [], "base_post": shown.base_post,
        "conflicts": _conflict_rows(shown.current, conflicts) if conflicts else None,
        "conflict_by": _names(savers), "conflict_savers": len(savers), "conflict_at": saved_at,
        "own_unsaved_elsewhere": unsaved if unsaved and not editable else None,
        "points": points, "answer_form": AnswerForm(),
        "matrix": {cell: str(RiskLevel(level).label) for cell, level in questionnaire.matrix().items()}
        if section == Section.SCENARIOS else None,
        "add_supplier_form": AddSupplierForm() if section == Section.SUPPLIERS else None,
        "segments": segment_shares(forms) if section == Section.SUPPLIERS else None,
        "next_section": _next_section(questionnaire, section),
        "missing": missing_answers(section, assessment, questionnaire),
        "to_confirm": to_confirm, "scope_carried": to_confirm.get(""), "previous": previous,
        "scope_earlier": earlier.get(None), "autosave_text": autosave_text(),
    })  # a page that shows refused input or a conflict is still a page: 200 (the refusal was the post's answer)


def _next_section(questionnaire, section):
    sections = questionnaire.sections
    index = sections.index(section)
    return sections[index + 1] if index + 1 < len(sections) else section


@require_POST
@access.signed_in
def resolve_conflict(request, pk, code):
    """The filer chose, field by field, between their version and a colleague's; or discarded their changes."""
    assessment = get_draft_for_user(request.user, pk, write=True)
    section = _section_or_404(assessment, code)
    unsaved = get_object_or_404(UnsavedInput, section_state__assessment=assessment, section_state__section=section,
                                user=request.user)
    if request.POST.get("discard"):
        services.section_discard_unsaved(assessment=assessment, section=section, user=request.user)
        messages.info(request, _("Your unsaved changes were discarded; the saved version is shown. Earlier saved "
                                 "values stay in the section's history."))
        return redirect("assessments:section", pk=pk, code=section.value)
    choices = {key.removeprefix("choice:"): value for key, value in request.POST.items()
               if key.startswith("choice:") and value in ("mine", "theirs") and key.removeprefix("choice:")
               in unsaved.data}
    result = services.conflict_resolve(assessment=assessment, section=section, user=request.user, choices=choices)
    if result.outcome is services.Outcome.SAVED:
        messages.success(request, _("Saved with the versions you chose; every earlier value stays in the history."))
    else:
        messages.warning(request, MESSAGES[result.outcome])
    return redirect("assessments:section", pk=pk, code=section.value)


@access.signed_in
def history(request, pk, code):
    """Every accepted change of a section: who, when, which fields, from what to what; earlier values restorable."""
    assessment = get_draft_for_user(request.user, pk)
    return _history_page(request, assessment, _section_or_404(assessment, code))


def _history_page(request, assessment, section, status=200):
    forms = SectionForms(section, assessment, assessment.cycle.questionnaire)
    labels, fields = forms.labels(), forms.fields()
    revisions = []
    for revision in (SectionRevision.objects.filter(section_state__assessment=assessment,
                                                    section_state__section=section)
                     .select_related("user").order_by("-number")):
        revision.lines = [(key, *labels.get(key, (key, "")), forms.shown(key, old, fields),
                           forms.shown(key, new, fields)) for key, (old, new) in revision.changes.items()]
        revisions.append(revision)
    prefill = Prefill.objects.filter(assessment=assessment).select_related("source__assessment__cycle").first()
    return render(request, "assessments/history.html", {
        "assessment": assessment, "section": section, "page_marking": assessment.marking, "revisions": revisions,
        "prefill": prefill,
        "editable": assessment.is_editable_by(request.user)}, status=status)


@require_POST
@access.signed_in
def restore(request, pk, code):
    assessment = get_draft_for_user(request.user, pk, write=True)
    section = _section_or_404(assessment, code)
    number, key = request.POST.get("revision", ""), request.POST.get("key", "")
    revision = SectionRevision.objects.filter(section_state__assessment=assessment, section_state__section=section,
                                              number=int(number)).first() if number.isdigit() else None
    if revision is None or key not in revision.changes:
        messages.error(request, _("Nothing was restored: choose a value to bring back from the section's history."))
        return _history_page(request, assessment, section, status=400)
    result = services.section_restore(assessment=assessment, section=section, user=request.user,
                                      revision_number=revision.number, key=key)
    if result.outcome is services.Outcome.SAVED:
        messages.success(request, _("The earlier value was restored, as a new save; the history keeps both."))
    else:
        messages.warning(request, MESSAGES[result.outcome])
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
            messages.success(request, _("%(name)s added to the suppliers: its answers are below.") % {"name": supplier})
        # Back at the supplier's own card, where its answers are typed (the page's focus starts there too).
        return redirect(reverse("assessments:section", args=[pk, Section.SUPPLIERS.value]) + f"#item-{supplier.pk}")
    messages.error(request, _("Choose a supplier to add."))
    return redirect("assessments:section", pk=pk, code=Section.SUPPLIERS.value)


@require_POST
@access.signed_in
def supplier_remove(request, pk, row_pk):
    assessment, row = get_supplier_row_for_user(request.user, pk, row_pk)
    services.supplier_remove(assessment=assessment, row=row, user=request.user)
    messages.success(request, _("%(name)s removed from the suppliers.") % {"name": row.supplier.name})
    return redirect("assessments:section", pk=pk, code=Section.SUPPLIERS.value)
