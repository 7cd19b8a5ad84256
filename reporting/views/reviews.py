"""The coordinated reviews of a cycle: request, read, publish, a table as CSV (PDF and XLSX: views/exports.py)."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import access
from portal.downloads import send_file
from portal.lib import fragments
from reporting import exports, services, tasks
from reporting.access import get_cycle_for_user, get_review_for_user
from reporting.charts import heatmap_chart, review_charts
from reporting.listings import member_state_pages, review_listings
from reporting.method import method_note
from reporting.models import Audience, audience_of
from reporting.tables import asked_sections, listing_tables, review_tables


@access.reviewer
def reviews(request, cycle_pk):
    cycle = get_cycle_for_user(request.user, cycle_pk)
    if request.method == "POST":
        try:
            review, created = services.review_request(cycle=cycle, user=request.user)
        except services.NothingToReview:
            messages.error(request, _("No member state has submitted in this cycle yet: there is nothing to review."))
            return redirect("reporting:reviews", cycle_pk=cycle.pk)
        if created:
            tasks.enqueue_on_commit(review.pk)
        else:
            messages.info(request, _("A review of exactly these inputs exists already; here it is."))
        return redirect("reporting:review", pk=review.pk)
    history = cycle.reviews.select_related("requested_by").annotate(input_count=Count("provenance"))
    return render(request, "reporting/reviews.html", {"cycle": cycle, "reviews": history})


def _sees_everything(user):
    """The page shows a user what an export is made for them (reporting.models.audience_of): one rule for both."""
    return audience_of(user) == Audience.REVIEWER


def _review_page(request, review):
    """The page's content and, for a done review, its key. A done review's depends on its reader's audience,
    whether it is published and what has changed since: rendered once for each (fragments.render_once), with the
    reader's own CSRF token put in."""
    full = _sees_everything(request.user)
    changes = services.review_changes(review) if full else []

    def context():
        return {"review": review, "full": full, "changes": changes, "body": _review_body(review, full)}

    if not review.is_done:
        return None, lambda: render_to_string("reporting/includes/review_page.html", context(), request)
    key = ("review page", review.pk, full, review.is_published, tuple(changes))
    return key, lambda: fragments.render_once(key, "reporting/includes/review_page.html", context, request)


def _review_body(review, full):
    """The EU figures' charts and tables: a review's results never change once built, so they render once."""
    def render():
        context = {"review": review, "full": full, "method": method_note()}
        if review.results:
            tables = review_tables(review, public=not full)
            context |= {"tables": tables, "charts": review_charts(tables)}
        return render_to_string("reporting/includes/review_body.html", context)

    if not review.is_done:
        return mark_safe(render())
    return fragments.cached(("review", review.pk, full), render)


@access.signed_in
def review_detail(request, pk):
    review = get_review_for_user(request.user, pk)
    key, page = _review_page(request, review)
    if key is None:  # queued, running or failed: its status changes on its own
        return render(request, "reporting/review.html", {"review": review, "page": page()})
    return fragments.kept_page(request, (*key, review.cycle.title), "reporting/review.html",
                               lambda: {"review": review, "page": page()})


@access.reviewer
def review_member_states(request, pk):
    """Each member state's answers behind the EU figures, a page of member states at a time (reviewers only)."""
    review = get_review_for_user(request.user, pk)
    if not review.is_done:
        raise Http404
    pages = member_state_pages(review)
    page = pages.get_page(request.GET.get("page"))

    def listings_html():
        inputs = list(page.object_list)
        listing = review_listings(review, inputs)
        tables = listing_tables(listing, asked_sections(review))
        return render_to_string("reporting/includes/member_states_body.html", {
            "review": review, "tables": tables, "provenance": inputs, "method": method_note(),
            "chart": heatmap_chart(listing) if any(table.key == "heatmap" for table in tables) else None})

    body = fragments.cached(("review listings", review.pk, pages.per_page, page.number), listings_html)
    return render(request, "reporting/review_member_states.html", {"review": review, "page": page, "body": body})


@access.signed_in
def review_status(request, pk):
    """The build's progress, polled by htmx while a review is queued or running; the whole page once it is done."""
    review = get_review_for_user(request.user, pk)
    response = render(request, "reporting/includes/review_status.html", {"review": review})
    if not review.is_building:
        response["HX-Refresh"] = "true"  # htmx reloads the page: the charts and tables are ready
    return response


@require_POST
@access.reviewer
def review_retry(request, pk):
    review = get_review_for_user(request.user, pk)
    if services.review_retry(review=review):
        tasks.enqueue_on_commit(review.pk)
        messages.info(request, _("The build was queued again."))
    return redirect("reporting:review", pk=pk)


@require_POST
@access.reviewer
def review_publish(request, pk):
    review = get_review_for_user(request.user, pk)
    if not review.is_done:
        messages.error(request, _("Only a finished review can be published."))
    else:
        services.review_publish(review=review, user=request.user)
        messages.success(request, _("Published: the member states' staff can now read this EU-level review."))
    return redirect("reporting:review", pk=pk)


@access.signed_in
def review_csv(request, pk, key):
    """One table as CSV, in the request (a table is small) but streamed line by line all the same."""
    review = get_review_for_user(request.user, pk)
    lines = exports.to_csv(review, key, public=not _sees_everything(request.user)) if review.is_done else None
    if lines is None:
        raise Http404
    return send_file(request, lines, filename=f"review-{review.pk}-{key}.csv", content_type="text/csv; charset=utf-8",
                     subject=review, what="review table")
