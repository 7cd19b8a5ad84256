import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.lib.access import may_review, reviewer_required
from portal.models import BRUSSELS, END_OF_DAY, ReportingCycle
from reporting import exports, services
from assessments.models import Section
from reporting.charts import review_charts
from reporting.compare import comparison
from reporting.models import CoordinatedReview, ReviewStatus
from reporting.tables import review_tables
from reporting.timeliness import timeliness

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=gettext_lazy("Figures as of (end of day, Brussels time)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))


@reviewer_required
def dashboard(request, cycle_pk):
    """Completeness and timeliness of a cycle's national submissions, now or as of a past day."""
    cycle = get_object_or_404(ReportingCycle, pk=cycle_pk)
    form = AsOfForm(request.GET or None)
    now = timezone.now()
    if form.is_valid() and form.cleaned_data["as_of"]:
        now = min(now, datetime.datetime.combine(form.cleaned_data["as_of"], END_OF_DAY, tzinfo=BRUSSELS))
    return render(request, "reporting/dashboard.html", {"report": timeliness(cycle, now=now), "form": form})


def get_review_for_user(user, pk):
    """Reviewers and admins see every review; authority staff only published ones of their cycles (404 else)."""
    return get_object_or_404(CoordinatedReview.objects.visible_to(user).select_related("cycle", "requested_by"),
                             pk=pk)


@reviewer_required
def reviews(request, cycle_pk):
    cycle = get_object_or_404(ReportingCycle, pk=cycle_pk)
    if request.method == "POST":
        try:
            review, created = services.review_request(cycle=cycle, user=request.user)
        except services.NothingToReview:
            messages.error(request, _("No member state has submitted in this cycle yet: there is nothing to review."))
            return redirect("reporting:reviews", cycle_pk=cycle.pk)
        if not created:
            messages.info(request, _("A review of exactly these inputs exists already; here it is."))
        return redirect("reporting:review", pk=review.pk)
    history = cycle.reviews.select_related("requested_by").annotate(input_count=Count("provenance"))
    return render(request, "reporting/reviews.html", {"cycle": cycle, "reviews": history})


@login_required
def review_detail(request, pk):
    review = get_review_for_user(request.user, pk)
    full = may_review(request.user)
    results = review.results
    context = {"review": review, "full": full, "changes": services.review_changes(review) if full else []}
    if results:
        tables = review_tables(results)
        charts = review_charts(results)
        context |= {"tables": tables if full else [t for t in tables if not t.per_member_state],
                    "charts": charts if full else [c for c in charts if c.public],
                    "provenance": review.provenance.all() if full else None}
    return render(request, "reporting/review.html", context)


@require_POST
@reviewer_required
def review_retry(request, pk):
    review = get_review_for_user(request.user, pk)
    services.review_retry(review=review)
    messages.info(request, _("The build was queued again."))
    return redirect("reporting:review", pk=pk)


@require_POST
@reviewer_required
def review_publish(request, pk):
    review = get_review_for_user(request.user, pk)
    if review.status != ReviewStatus.DONE:
        messages.error(request, _("Only a finished review can be published."))
    else:
        services.review_publish(review=review, user=request.user)
        messages.success(request, _("Published: the member states' staff can now read this EU-level review."))
    return redirect("reporting:review", pk=pk)


@reviewer_required
def review_export(request, pk, fmt):
    review = get_review_for_user(request.user, pk)
    if review.status != ReviewStatus.DONE:
        raise Http404
    name = f"coordinated-review-{review.cycle.year}-{review.pk}"
    if fmt == "xlsx":
        response = HttpResponse(exports.to_xlsx(review), content_type=XLSX)
    elif fmt == "pdf":
        response = HttpResponse(exports.to_pdf(review, request), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@reviewer_required
def review_csv(request, pk, key):
    review = get_review_for_user(request.user, pk)
    content = exports.to_csv(review, key) if review.status == ReviewStatus.DONE else None
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="review-{review.pk}-{key}.csv"'
    return response


class CompareForm(forms.Form):
    member_states = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Member states (two or more)"), queryset=None, widget=forms.CheckboxSelectMultiple)
    section = forms.ChoiceField(label=gettext_lazy("Section"))
    previous = forms.BooleanField(label=gettext_lazy("Compare with the previous cycle"), required=False)

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_states"].queryset = cycle.member_states.filter(
            assessments__cycle=cycle, assessments__versions__isnull=False).distinct().order_by("name")
        self.fields["section"].choices = [(s.value, s.label) for s in cycle.questionnaire.sections
                                          if s != Section.ATTACHMENTS]

    def clean_member_states(self):
        chosen = self.cleaned_data["member_states"]
        if len(chosen) < 2:
            raise forms.ValidationError(_("Choose at least two member states to compare."))
        return chosen


@reviewer_required
def compare(request, cycle_pk):
    """Member states side by side, question by question; exported as XLSX or PDF with ?export=."""
    cycle = get_object_or_404(ReportingCycle.objects.select_related("questionnaire"), pk=cycle_pk)
    form = CompareForm(request.GET or None, cycle=cycle)
    result = None
    if form.is_valid():
        result = comparison(cycle, list(form.cleaned_data["member_states"]), Section(form.cleaned_data["section"]),
                            with_previous=form.cleaned_data["previous"])
        export = request.GET.get("export")
        if export in ("xlsx", "pdf"):
            name = f"comparison-{cycle.year}-{result.section.value}.{export}"
            body = exports.comparison_xlsx(result) if export == "xlsx" else exports.comparison_pdf(result, request)
            response = HttpResponse(body, content_type=XLSX if export == "xlsx" else "application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    return render(request, "reporting/compare.html", {"cycle": cycle, "form": form, "result": result,
                                                      "query": request.GET.urlencode()})
