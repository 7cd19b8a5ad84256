"""Submitting, versions and receipts; the reviewers' submissions list, return and accept."""

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assessments import services
from assessments.access import (
    get_submittable_for_user,
    get_submitted_for_review,
    get_version_for_user,
    get_versions_for_user,
)
from assessments.filing import carried
from assessments.forms import AskForm, ReturnForm, SubmissionFilter, VersionMarkingForm, VersionPairForm
from assessments.models import AssessmentVersion, ClarificationPoint, PhaseOutEntry
from assessments.population import Timeliness, cycle_population, member_timeliness
from assessments.questionnaire.questions import Questions
from assessments.templatetags.status_tags import status_badge_class
from assessments.versions.diff import version_diff
from assessments.versions.printable import document_of_version
from portal import access
from portal.deadlines import BRUSSELS
from portal.downloads import send_file
from portal.lib.durations import duration_in_words
from portal.lib.pdf import html_to_pdf
from portal.markings import marking_of, strictest
from portal.models import ReportingCycle


def _refused_confirmations(needed):
    """The message beside each confirmation the lead reporter did not give (the service decides which are needed)."""
    texts = {
        services.UNSAVED: _("Confirm that the unsaved input listed above will not be part of this version."),
        services.CARRIED: _("Confirm that you have read the carried-over answers listed above and that they still "
                            "hold, or change them before submitting."),
        services.CERTIFY: _("Certify that the assessment is complete and accurate before submitting it."),
    }
    return {name: texts[name] for name in needed}


@access.signed_in
def submit(request, pk):
    """The confirmation page, and the submission: assessment_submit checks every precondition; this page shows
    what is missing and what to confirm, and says which confirmation was not given."""
    assessment = get_submittable_for_user(request.user, pk)
    refused = {}
    marking_form = VersionMarkingForm(request.POST if request.method == "POST" else None, assessment=assessment)
    if request.method == "POST" and marking_form.is_valid():
        try:
            version = services.assessment_submit(assessment=assessment, user=request.user,
                                                 certify=bool(request.POST.get("certify")),
                                                 confirm_unsaved=bool(request.POST.get("confirm_unsaved")),
                                                 confirm_carried=bool(request.POST.get("confirm_carried")),
                                                 marking=marking_form.cleaned_data["marking"],
                                                 shared_with=marking_form.cleaned_data["shared_with"])
        except services.MarkingRefused as refusal:  # a reviewer deactivated between the check and the submission
            marking_form.add_error(refusal.field, refusal.message)
        except services.AssessmentLocked:  # a colleague submitted a moment before, or the draft was locked
            messages.info(request, _("The assessment was submitted or locked a moment ago: nothing was changed "
                                     "by this request."))
            return redirect("assessments:overview", pk=pk)
        except services.CertificationWaiting:
            messages.success(request, _("Your certification is recorded. The version is submitted when a second lead "
                                        "reporter certifies the same content."))
            return redirect("assessments:submit", pk=pk)
        except services.ConfirmationMissing as refusal:
            refused = _refused_confirmations(refusal.needed)
        except services.SubmissionRefused:
            pass  # the page lists what is missing
        else:
            messages.success(request, _("Version %(n)s submitted.") % {"n": version.number})
            return redirect("assessments:receipt", pk=pk, number=version.number)
    missing = {section: items for section, items in services.assessment_missing(assessment).items() if items}
    unsaved = [u for inputs in services.unsaved_by_section(assessment, request.user).values() for u in inputs]
    to_confirm = carried.unconfirmed_by_section(assessment)
    return render(request, "assessments/submit.html", {
        "assessment": assessment, "missing": missing, "timeliness": member_timeliness(assessment),
        "summary": services.assessment_summary(assessment), "unsaved": unsaved, "refused": refused,
        "to_confirm": to_confirm, "previous": services.previous_version(assessment) if to_confirm else None,
        "marking_form": marking_form, "page_marking": assessment.marking, **_certifying(assessment, request.user),
    }, status=400 if refused or marking_form.errors else 200)


def _certifying(assessment, user):
    """The certification part of the submit page: the statement, and where the cycle asks two certifiers (or some
    are waiting), the content's SHA-256 now and each waiting certification, counted if it names that content."""
    context = {"statement": services.certification_statement(),
               "two_certifiers": assessment.cycle.certifiers_required > 1}
    waiting = list(assessment.certifications.waiting().select_related("authority"))
    if context["two_certifiers"] or waiting:
        sha256 = services.draft_content(assessment).sha256
        for certification in waiting:
            certification.counts = certification.content_sha256 == sha256
        context |= {"content_sha256": sha256, "certifications": waiting,
                    "certified_by_me": any(c.counts and c.certifier_id == user.pk for c in waiting),
                    "submits": any(c.counts and c.certifier_id != user.pk for c in waiting)}
    return context


@access.signed_in
def version_detail(request, pk, number):
    version = get_version_for_user(request.user, pk, number)
    return version_page(request, version, initial_question=request.GET.get("question"))


def phase_out_rows(version):
    """The version's phase-out rows with their deadline and status now, or None when its cycle keeps no tracker."""
    if not version.assessment.cycle.questionnaire.asks_phase_out:
        return None
    now = timezone.now()
    return [(entry, entry.deadline, entry.status_at(now))
            for entry in PhaseOutEntry.objects.filter(version=version).select_related("asset_class", "supplier")]


def version_page(request, version, *, ask_form=None, initial_question=None):
    """A submitted version: its open points first, its answers, its history, then every point's thread and the
    reviewer's form to ask (`ask_form`, bound, when a question was refused: the page answers 400)."""
    assessment = version.assessment
    latest = version.number == assessment.versions.count()
    points = list(ClarificationPoint.objects.visible_to(request.user).filter(assessment=assessment)
                  .select_related("version", "raised_by").prefetch_related("messages__author"))
    asking = access.may_review(request.user) and assessment.is_submitted and latest
    answers = version.snapshot["answers"]
    questions = Questions(answers, also=[(p.section, p.item) for p in points])
    for point in points:
        point.question_label = questions.label(point.section, point.item)
        point.last_message = (list(point.messages.all()) or [None])[-1]  # prefetched: no query
    if asking and ask_form is None:
        ask_form = AskForm(questions=questions, initial={"question": initial_question}, version=version,
                           user=request.user)
    return render(request, "assessments/version.html", {
        "version": version, "assessment": assessment,
        # The strictest on the page: the version's, or a clarification thread marked stricter.
        "page_marking": strictest(version.marking, *(p.carried_marking for p in points)),
        "versions": assessment.versions.only("number", "submitted_at"),
        "timeliness": member_timeliness(assessment),
        "answers": answers,
        "phase_out": phase_out_rows(version),
        "document": document_of_version(version),
        "transitions": assessment.transitions.select_related("actor", "version"),
        "clarifications": points,
        "open_points": [p for p in points if p.is_open],
        "may_review": asking,
        "ask_form": ask_form if asking else None,
        "drafts": [p for p in points if p.is_draft],
    }, status=400 if ask_form is not None and ask_form.errors else 200)


@access.signed_in
def receipt(request, pk, number):
    version = get_version_for_user(request.user, pk, number)
    return render(request, "assessments/receipt.html", {
        "version": version, "timeliness": member_timeliness(version.assessment), "page_marking": version.marking,
        "certifications": version.certifications.select_related("authority")})


@require_safe
@access.signed_in
def receipt_pdf(request, pk, number):
    version = get_version_for_user(request.user, pk, number)
    html = render_to_string("assessments/receipt_pdf.html", {
        "version": version, "timeliness": member_timeliness(version.assessment),
        "certifications": version.certifications.select_related("authority")}, request=request)
    pdf = html_to_pdf(html, request.build_absolute_uri("/"), marking=version.marking)
    ms = version.assessment.member_state.eu_code
    return send_file(request, pdf, filename=f"receipt-{ms}-v{version.number}.pdf", content_type="application/pdf",
                    subject=version.assessment, what="receipt", assessment=version.assessment, marking=version.marking)


@access.reviewer
def return_for_clarification(request, pk):
    assessment = get_submitted_for_review(request.user, pk)
    form = ReturnForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        services.assessment_return(assessment=assessment, user=request.user, points=form.points,
                                   comment=form.cleaned_data["comment"])
        messages.success(request, _("Returned to %(ms)s for clarification.") % {"ms": assessment.member_state})
        return redirect("assessments:version", pk=pk, number=assessment.versions.count())
    return render(request, "assessments/return.html", {"assessment": assessment, "form": form})


@require_POST
@access.reviewer
def accept(request, pk):
    assessment = get_submitted_for_review(request.user, pk)
    services.assessment_accept(assessment=assessment, user=request.user, comment=request.POST.get("comment", ""))
    messages.success(request, _("Version %(n)s accepted.") % {"n": assessment.versions.count()})
    return redirect("assessments:version", pk=pk, number=assessment.versions.count())


def _sort_key(sort):
    keys = {
        "member_state": lambda m: m.member_state.name,
        "status": lambda m: (m.assessment.status, m.member_state.name),
        "submitted": lambda m: (m.latest.submitted_at, m.member_state.name),
        "-submitted": lambda m: (-m.latest.submitted_at.timestamp(), m.member_state.name),
        "points": lambda m: (-m.open_points, m.member_state.name),
    }
    return keys[sort]


@dataclass(frozen=True)
class SubmissionRow:
    """One line of the submissions list, its words and links worked out once (a template tag or filter per cell
    was most of the page's time)."""

    name: str
    url: str  # its latest version's page, or "" when the reviewer may not open it (TLP:RED not naming them)
    status: str
    badge: str  # the status badge's colour
    number: int
    marking: str
    submitted: str  # Brussels time
    timeliness: str
    open_points: int


def _rows(members):
    on_time = _("On time")
    return [SubmissionRow(
        name=m.member_state.name, number=m.latest.number, marking=m.latest.marking, open_points=m.open_points,
        url=reverse("assessments:version", args=(m.assessment.pk, m.latest.number)) if m.readable else "",
        status=m.assessment.get_status_display(), badge=status_badge_class(m.assessment.status),
        submitted=formats.date_format(m.latest.submitted_at.astimezone(BRUSSELS), "SHORT_DATETIME_FORMAT"),
        timeliness=_("Late, by %(by)s") % {"by": duration_in_words(m.late_by)} if m.is_late else on_time)
        for m in members]


@access.reviewer
def submissions(request, cycle_pk):
    """The submitted assessments of a cycle's population: filter by status and lateness, sort. Rendered by each
    request: a submission, a return or a resolved point shows on the next one."""
    cycle = get_object_or_404(ReportingCycle.objects.visible_to(request.user).select_related("questionnaire"),
                              pk=cycle_pk)
    members = [m for m in cycle_population(cycle) if m.has_submitted]
    open_points = dict(ClarificationPoint.objects.filter(assessment__cycle=cycle).still_open()
                       .values("assessment_id").annotate(n=Count("pk")).values_list("assessment_id", "n"))
    # Which latest versions the reviewer may open (TLP:RED: only those naming them): one query, whatever the number.
    readable = set(AssessmentVersion.objects.visible_to(request.user).filter(pk__in=[m.latest.pk for m in members])
                   .values_list("pk", flat=True))
    for member in members:
        member.open_points = open_points.get(member.assessment.pk, 0)
        member.readable = member.latest.pk in readable
    form = SubmissionFilter(request.GET or None)
    sort = "member_state"
    if form.is_valid():
        if form.cleaned_data["status"]:
            members = [m for m in members if m.assessment.status == form.cleaned_data["status"]]
        if form.cleaned_data["timeliness"]:
            wanted = Timeliness.LATE if form.cleaned_data["timeliness"] == "late" else Timeliness.ON_TIME
            members = [m for m in members if m.state == wanted]
        sort = form.cleaned_data["sort"] or sort
    return render(request, "assessments/submissions.html", {
        "cycle": cycle, "rows": _rows(sorted(members, key=_sort_key(sort))), "form": form})


@access.signed_in
def diff(request, pk):
    """Two versions of one member state, question by question; without two valid ones, a form to choose them."""
    versions = get_versions_for_user(request.user, pk)
    chosen = "from" in request.GET or "to" in request.GET
    form = VersionPairForm(request.GET if chosen else None, versions=versions)
    if not form.is_valid():
        return render(request, "assessments/diff_choose.html", {
            "assessment": versions[0].assessment, "versions": versions, "form": form}, status=400 if chosen else 200)
    old, new = (get_version_for_user(request.user, pk, n) for n in form.pair)
    return render(request, "assessments/diff.html", {
        "assessment": new.assessment, "old": old, "new": new, "page_marking": marking_of(old, new),
        "parts": version_diff(old.snapshot["answers"], new.snapshot["answers"]),
        "attachments_changed": old.snapshot.get("attachments") != new.snapshot.get("attachments"),
    })
