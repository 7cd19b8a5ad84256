"""The coordinated reviews of a cycle: request, read, publish, a table as CSV (PDF and XLSX: views/exports.py)."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal import access
from portal.downloads import send_file
from portal.lib import fragments
from reporting import publishing, services, tasks
from reporting.access import get_cycle_for_user, get_review_for_user
from reporting.charts import heatmap_chart, review_charts
from reporting.exports import content as exports
from reporting.forms import CapForm, PublishForm, WithdrawForm
from reporting.listings import member_state_pages, review_listings
from reporting.method import method_note
from reporting.models import Audience, Publication, audience_of
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
    now = services.fingerprint(services.recorded_population(cycle))
    history = list(cycle.reviews.with_publication().select_related("requested_by")
                   .annotate(input_count=Count("provenance")).defer("results", "population")
                   .order_by("-requested_at", "-pk"))
    for review in history:
        review.is_current = review.fingerprint == now
    # The current build and every standing publication are shown; older builds fold away.
    shown = [review for review in history if review.is_current or review.published_at]
    return render(request, "reporting/reviews.html", {
        "cycle": cycle, "shown": shown, "folded": [review for review in history if review not in shown],
        "has_current": any(review.is_current for review in history),
        "read_now": getattr(Publication.objects.current_of(cycle), "review_id", None)})


def _sees_everything(user):
    """The page shows a user what an export is made for them (reporting.models.audience_of): one rule for both."""
    return audience_of(user) == Audience.REVIEWER


def _publications(request, review):
    """(the review's standing publication, the cycle's current one): one query. A member state's staff member who
    opens a publication is noted as having read it, to be told when it is replaced."""
    standing = list(Publication.objects.standing().filter(cycle=review.cycle_id).select_related("published_by")
                    .order_by("-published_at", "-pk"))
    own = next((publication for publication in standing if publication.review_id == review.pk), None)
    if own is not None and not _sees_everything(request.user):
        publishing.reading_record(own, request.user)
    return own, standing[0] if standing else None


def _review_page(request, review):
    """The page's context, read by each request: who reads it, its publication and the cycle's current one, what has
    changed since it was built. Only its EU figures, which never change once built, are kept (_review_body)."""
    full = _sees_everything(request.user)
    publication, current = _publications(request, review) if review.is_done else (None, None)
    return {"review": review, "full": full, "changes": services.review_changes(review) if full else [],
            "body": _review_body(review, full), "publication": publication, "current": current,
            "page_marking": review.marking if full else getattr(publication, "marking", None),
            "withheld": services.completeness(review.population)["withheld"] if full else [],
            "cap_form": CapForm() if full else None}


def _review_body(review, full):
    """The EU figures' charts and tables: a review's results never change once built, so they render once for each
    audience."""
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
    return render(request, "reporting/review.html", {"review": review, **_review_page(request, review)})


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
    return render(request, "reporting/review_member_states.html", {"review": review, "page": page, "body": body,
                                                                   "page_marking": review.marking})


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


@access.reviewer
def review_publish(request, pk):
    """Publishing is a decision: the page says what, to whom, what it replaces and whether the review is current."""
    review = get_review_for_user(request.user, pk)
    form = PublishForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                publishing.review_publish(review=review, user=request.user, replaces=form.cleaned_data["replaces"],
                                          marking=form.cleaned_data["marking"])
            except publishing.Refused as refused:
                if refused.code == "marking":  # beside the field, the page as it was
                    form.add_error("marking", refused.message)
                    status = 400
                else:
                    messages.error(request, refused.message)
                    status = 409
            else:
                messages.success(request, _("Published: the member states' staff can now read this EU-level "
                                            "review."))
                return redirect("reporting:review", pk=pk)
        else:
            messages.error(request, _("Decide on this page: it says what the member states read now."))
            status = 400
    decision = publishing.decision(review)
    if not form.errors.get("marking"):
        form = PublishForm(initial={"replaces": decision.replaces_token})
    return render(request, "reporting/publish.html", {
        "review": review, "decision": decision, "form": form, "page_marking": review.marking,
        "completeness": services.completeness(review.population)}, status=status)


@access.reviewer
def review_withdraw(request, pk):
    """Withdraw the review's standing publication, with a reason; the page says what member states read after."""
    review = get_review_for_user(request.user, pk)
    publication = publishing.standing_publication(review)
    form = WithdrawForm(request.POST or None)
    if publication is None:  # the page says so, and offers nothing to do
        return render(request, "reporting/withdraw.html", {"review": review, "publication": None},
                      status=409 if request.method == "POST" else 200)
    if request.method == "POST" and form.is_valid():
        try:
            publishing.publication_withdraw(publication=publication, user=request.user,
                                            reason=form.cleaned_data["reason"])
        except publishing.Refused as refused:
            form.add_error("reason", refused.message)
        else:
            messages.success(request, _("Withdrawn: the member states' staff no longer read this review."))
            return redirect("reporting:review", pk=pk)
    return render(request, "reporting/withdraw.html", {
        "review": review, "publication": publication, "form": form,
        "after": publishing.after_withdrawal(publication), "audience": publishing.audience(review.cycle)[0]},
        status=400 if form.errors else 200)


@require_safe
@access.signed_in
def review_csv(request, pk, key):
    """One table as CSV, in the request (a table is small) but streamed line by line all the same."""
    review = get_review_for_user(request.user, pk)
    full = _sees_everything(request.user)
    # Read under the review's marking by reviewers, the publication's by staff (who read only a published review).
    marking = review.marking if full else getattr(publishing.standing_publication(review), "marking", None)
    lines = exports.to_csv(review, key, public=not full, marking=marking) if review.is_done and marking else None
    if lines is None:
        raise Http404
    return send_file(request, lines, filename=f"review-{review.pk}-{key}.csv", content_type="text/csv; charset=utf-8",
                     subject=review, what="review table",
                     marking=review.marking if _sees_everything(request.user) else review.published_marking)
