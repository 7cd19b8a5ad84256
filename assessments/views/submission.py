"""Submitting, versions and receipts; a reviewer's return and accept."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessments import services
from assessments.access import get_draft_for_user, get_submitted_for_review, get_version_for_user
from assessments.models import AssessmentVersion, NationalAssessment, PointStatus, Status
from assessments.diff import version_diff
from assessments.views.clarifications import AskForm
from assessments.sections import snapshot_tables
from portal.lib.access import may_review, reviewer_required
from portal.models import ReportingCycle


@login_required
def submit(request, pk):
    assessment = get_draft_for_user(request.user, pk)
    if not assessment.may_submit(request.user):
        raise PermissionDenied
    missing = {section: items for section, items in services.assessment_missing(assessment).items() if items}
    if request.method == "POST" and not missing:
        version = services.assessment_submit(assessment=assessment, user=request.user)
        messages.success(request, _("Version %(n)s submitted.") % {"n": version.number})
        return redirect("assessments:receipt", pk=pk, number=version.number)
    return render(request, "assessments/submit.html", {
        "assessment": assessment, "missing": missing, "deadline": services.submission_deadline(assessment),
        "summary": services.assessment_summary(assessment),
    })


@login_required
def version_detail(request, pk, number):
    version = get_version_for_user(request.user, pk, number)
    assessment = version.assessment
    reviewing = may_review(request.user)
    latest = version.number == assessment.versions.count()
    points = assessment.clarifications.select_related("version", "raised_by").prefetch_related("messages__author")
    if not reviewing:
        points = points.exclude(status=PointStatus.DRAFT)
    points = list(points)
    return render(request, "assessments/version.html", {
        "version": version, "assessment": assessment,
        "versions": assessment.versions.only("number", "submitted_at", "is_late"),
        "answers": version.snapshot["answers"],
        "answer_tables": snapshot_tables(version.snapshot["answers"]),
        "transitions": assessment.transitions.select_related("actor", "version"),
        "clarifications": points,
        "may_review": reviewing and assessment.status == Status.SUBMITTED and latest,
        "ask_form": AskForm(answers=version.snapshot["answers"], initial={"question": request.GET.get("question")})
        if reviewing and assessment.status == Status.SUBMITTED and latest else None,
        "drafts": [p for p in points if p.status == PointStatus.DRAFT],
    })


@login_required
def receipt(request, pk, number):
    version = get_version_for_user(request.user, pk, number)
    return render(request, "assessments/receipt.html", {"version": version})


@login_required
def receipt_pdf(request, pk, number):
    from weasyprint import HTML

    version = get_version_for_user(request.user, pk, number)
    html = render_to_string("assessments/receipt_pdf.html", {"version": version}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    ms = version.assessment.member_state.eu_code
    response["Content-Disposition"] = f'attachment; filename="receipt-{ms}-v{version.number}.pdf"'
    return response


class ReturnForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("Message to the member state"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = assessment.cycle.questionnaire.sections
        for section in self.sections:
            self.fields[f"why_{section.value}"] = forms.CharField(
                label=_("What to clarify in “%(section)s”") % {"section": section.label}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Leave empty if this section needs nothing."),
            )
            self.fields[f"item_{section.value}"] = forms.CharField(
                label=_("Question concerned (code, optional)"), required=False, max_length=40,
                help_text=_("e.g. R4, SM03 or core; empty for the whole section."),
            )

    def clean(self):
        data = super().clean()
        self.points = [(s.value, data.get(f"item_{s.value}", "").strip(), data[f"why_{s.value}"].strip())
                       for s in self.sections if data.get(f"why_{s.value}", "").strip()]
        if not self.points:
            raise forms.ValidationError(_("Name at least one section to clarify, and why."))
        return data


@reviewer_required
def return_for_clarification(request, pk):
    assessment = get_submitted_for_review(request.user, pk)
    form = ReturnForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        services.assessment_return(assessment=assessment, user=request.user, points=form.points,
                                   comment=form.cleaned_data["comment"])
        messages.success(request, _("Returned to %(ms)s for clarification.") % {"ms": assessment.member_state})
        return redirect("assessments:version", pk=pk, number=assessment.versions.count())
    return render(request, "assessments/return.html", {"assessment": assessment, "form": form,
                                                       "sections": [(s, form[f"why_{s.value}"], form[f"item_{s.value}"])
                                                                    for s in form.sections]})


@require_POST
@reviewer_required
def accept(request, pk):
    assessment = get_submitted_for_review(request.user, pk)
    services.assessment_accept(assessment=assessment, user=request.user, comment=request.POST.get("comment", ""))
    messages.success(request, _("Version %(n)s accepted.") % {"n": assessment.versions.count()})
    return redirect("assessments:version", pk=pk, number=assessment.versions.count())


SORTS = {"member_state": "member_state__name", "status": "status", "submitted": "latest_at",
         "-submitted": "-latest_at", "points": "-open_points"}


class SubmissionFilter(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", gettext_lazy("Any"))] + Status.choices)
    timeliness = forms.ChoiceField(label=gettext_lazy("Timeliness"), required=False, choices=[
        ("", gettext_lazy("Any")), ("late", gettext_lazy("Late")), ("on_time", gettext_lazy("On time"))])
    sort = forms.ChoiceField(label=gettext_lazy("Sort by"), required=False, choices=[
        ("member_state", gettext_lazy("Member state")), ("status", gettext_lazy("Status")),
        ("-submitted", gettext_lazy("Latest submission first")), ("submitted", gettext_lazy("Oldest submission first")),
        ("points", gettext_lazy("Most open points"))])


@reviewer_required
def submissions(request, cycle_pk):
    """A cycle's submitted assessments, for reviewers: filter by status and lateness, sort."""
    cycle = get_object_or_404(ReportingCycle, pk=cycle_pk)
    versions = AssessmentVersion.objects.filter(assessment=OuterRef("pk"))
    latest = versions.order_by("-number")
    assessments = (
        NationalAssessment.objects.visible_to(request.user).filter(cycle=cycle, versions__isnull=False)
        .select_related("member_state")
        .annotate(open_points=Count("clarifications", filter=Q(clarifications__status__in=["open", "answered"]),
                                    distinct=True),
                  latest_number=Subquery(latest.values("number")[:1]),
                  latest_at=Subquery(latest.values("submitted_at")[:1]),
                  # The deadline is met, or missed, by the first version.
                  first_late=Subquery(versions.filter(number=1).values("is_late")[:1]))
        .distinct()
    )
    form = SubmissionFilter(request.GET or None)
    sort = "member_state"
    if form.is_valid():
        if form.cleaned_data["status"]:
            assessments = assessments.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["timeliness"]:
            assessments = assessments.filter(first_late=form.cleaned_data["timeliness"] == "late")
        sort = form.cleaned_data["sort"] or sort
    assessments = assessments.order_by(SORTS[sort], "member_state__name")
    return render(request, "assessments/submissions.html", {"cycle": cycle, "assessments": assessments,
                                                            "form": form})

@login_required
def diff(request, pk):
    """Two versions of one member state, question by question."""
    numbers = sorted({int(n) for n in (request.GET.get("from"), request.GET.get("to")) if n and n.isdigit()})
    if len(numbers) != 2:
        raise Http404
    old, new = (get_version_for_user(request.user, pk, n) for n in numbers)
    return render(request, "assessments/diff.html", {
        "assessment": new.assessment, "old": old, "new": new,
        "parts": version_diff(old.snapshot["answers"], new.snapshot["answers"]),
        "attachments_changed": old.snapshot.get("attachments") != new.snapshot.get("attachments"),
    })
