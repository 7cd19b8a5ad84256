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
from reporting.charts import review_charts
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
