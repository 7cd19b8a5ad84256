"""The reporting API (/api/v1/): the timeliness figures of a cycle as of a day (reviewers), and the coordinated
reviews with their tables: every figure for reviewers, a published review's aggregates for authority staff.

The same rules as the pages: "as of 19 July" is the end of that day in Brussels, never later than now (as
reporting/views/dashboard.py); a review is fetched through reporting/access.py, and its tables are the ones the page
and every export show (reporting/tables.py: for staff, no per-member-state table, and no figure with fewer than
REVIEW_MIN_GROUP_SIZE member states behind it or from which one could be worked out: reporting/disclosure.py).
"""

import datetime

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from portal import markings
from portal.api.errors import Cursor, Problem, page_of, refusals
from portal.api.views import PortalAPIView
from portal.markings import Marking
from reporting import publishing, services, tasks
from reporting.access import get_cycle_for_user, get_review_for_user
from reporting.api import examples
from reporting.forms import AsOfForm
from reporting.models import Audience, CoordinatedReview, audience_of
from reporting.tables import review_tables
from reporting.timeliness import dashboard


class FiguresSerializer(serializers.Serializer):
    expected = serializers.IntegerField()
    submitted = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    missing = serializers.IntegerField(help_text="Not submitted, overdue.")
    not_due = serializers.IntegerField()


class MemberTimelinessSerializer(serializers.Serializer):
    member_state = serializers.CharField()
    state = serializers.ChoiceField(["on_time", "late", "overdue", "not_due", "extended"])
    deadline = serializers.DateTimeField(allow_null=True, help_text="The member state's effective deadline.")
    first_submitted_at = serializers.DateTimeField(allow_null=True)
    latest_version = serializers.IntegerField(allow_null=True, help_text="The latest version submitted by then.")
    assessment = serializers.IntegerField(allow_null=True)


class TimelinessSerializer(serializers.Serializer):
    cycle = serializers.IntegerField()
    as_of = serializers.DateTimeField()
    figures = FiguresSerializer()
    member_states = MemberTimelinessSerializer(many=True)


class Timeliness(PortalAPIView):
    access = "reviewer"

    @extend_schema(
        parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE, description="Figures as of the end of this day "
                                     "(Brussels); now when left out.")],
        responses={200: TimelinessSerializer, **refusals(400)}, examples=[examples.TIMELINESS],
        summary="Who was expected, who submitted on time or late, who is missing, as of a day (reviewers)")
    def get(self, request, cycle_pk):
        cycle = get_cycle_for_user(request.user, cycle_pk)
        form = AsOfForm(request.query_params)
        if not form.is_valid():
            raise Problem(400, "invalid", _("Correct the fields named in “errors”."),
                          errors={name: list(messages) for name, messages in form.errors.items()})
        # In UTC: Brussels' offset in an early year is local mean time, in seconds, which RFC 3339 cannot write.
        at = form.instant().astimezone(datetime.UTC)
        report = dashboard(cycle, at=at)
        figures = report.figures
        return Response({
            "cycle": cycle.pk, "as_of": at,
            "figures": {"expected": figures.expected, "submitted": figures.submitted, "on_time": figures.on_time,
                        "late": figures.late, "missing": figures.missing, "not_due": figures.not_due},
            "member_states": [{
                "member_state": m.member_state.eu_code, "state": str(m.state),
                "deadline": m.deadline.ends_at.astimezone(datetime.UTC) if m.deadline is not None else None,
                "first_submitted_at": m.first_submitted_at,
                "latest_version": m.latest.number if m.latest is not None else None,
                "assessment": m.assessment.pk if m.assessment is not None else None,
            } for m in report.members],
        })


class ReviewInputSerializer(serializers.Serializer):
    member_state = serializers.CharField()
    assessment = serializers.IntegerField()
    number = serializers.IntegerField()
    sha256 = serializers.CharField()


class ReviewTableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))
    note = serializers.CharField(allow_blank=True)


class ReviewSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cycle = serializers.IntegerField()
    status = serializers.CharField()
    fingerprint = serializers.CharField(help_text="SHA-256 of the review's inputs: the same inputs, the same review.")
    requested_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    marking = serializers.ChoiceField(
        choices=Marking.choices, help_text="Its handling marking (FIRST TLP 2.0): for reviewers the review's (at "
        "least the strictest of the versions it counts), for member states' staff the publication's.")
    publication_marking = serializers.ChoiceField(
        choices=Marking.choices, allow_null=True,
        help_text="The handling marking its standing publication carries (TLP:GREEN at most); null when unpublished.")


class ReviewSerializer(ReviewSummarySerializer):
    inputs = ReviewInputSerializer(many=True, help_text="The versions it was built from (reviewers only; [] else).")
    tables = ReviewTableSerializer(many=True, help_text="The review's tables, once it is done ([] before).")


def review_summary(review, user):
    """A review as the API says it: `marking` is what the reader reads it under (portal/markings.py)."""
    full = audience_of(user) == Audience.REVIEWER
    return {"id": review.pk, "cycle": review.cycle_id, "status": review.status, "fingerprint": review.fingerprint,
            "requested_at": review.requested_at, "finished_at": review.finished_at,
            "published_at": review.published_at,
            "marking": review.marking if full else review.published_marking,
            "publication_marking": review.published_marking}


class Reviews(PortalAPIView):
    access = "signed in"  # the list; asking for a review is the page's: reviewers and admins (self.gate)
    cursor_ordering = "-pk"

    @extend_schema(responses={200: page_of(ReviewSummarySerializer), **refusals()},
                   summary="A cycle's coordinated reviews: all for reviewers, the published ones for staff",
                   examples=[examples.REVIEW_PAGE])
    def get(self, request, cycle_pk):
        cycle = get_cycle_for_user(request.user, cycle_pk)
        paginator = Cursor()
        page = paginator.paginate_queryset(
            CoordinatedReview.objects.visible_to(request.user).with_publication().filter(cycle=cycle)
            .defer("results", "population"),
            request, view=self)
        return paginator.get_paginated_response([review_summary(review, request.user) for review in page])

    @extend_schema(request=None, responses={200: ReviewSummarySerializer, 201: ReviewSummarySerializer,
                                            **refusals(403, 409)},
                   operation_id="reporting_reviews_request",
                   summary="Ask for the review of the cycle's submissions as they stand (reviewers): built in the "
                           "background",
                   description="As the reviews page's *Build*: a new review (201, `queued`; read it again until it "
                               "is `done`) when the submissions changed since the last one, else that review (200): "
                               "the same inputs give the same review. 409 `nothing_to_review` while no member "
                               "state has submitted.",
                   examples=[examples.REVIEW_QUEUED, examples.REVIEW_EXISTS])
    def post(self, request, cycle_pk):
        self.gate("reviewer")
        cycle = get_cycle_for_user(request.user, cycle_pk)
        try:
            review, created = services.review_request(cycle=cycle, user=request.user)
        except services.NothingToReview:
            raise Problem(409, "nothing_to_review", _("No member state has submitted in this cycle yet: there is "
                                                      "nothing to review.")) from None
        if created:
            tasks.enqueue_on_commit(review.pk)
        review = get_review_for_user(request.user, review.pk)  # with its publication, when it has one
        return Response(review_summary(review, request.user),
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class Review(PortalAPIView):
    access = "signed in"

    @extend_schema(responses={200: ReviewSerializer, **refusals()},
                   summary="A coordinated review: its tables (aggregates only for staff) and its provenance",
                   examples=[examples.REVIEW])
    def get(self, request, pk):
        review = get_review_for_user(request.user, pk)
        full = audience_of(request.user) == Audience.REVIEWER
        tables = review_tables(review, public=not full) if review.is_done and review.results else []
        inputs = review.provenance.select_related("version") if full else []
        return Response({
            **review_summary(review, request.user),
            "inputs": [{"member_state": i.member_state_code, "assessment": i.version.assessment_id,
                        "number": i.number, "sha256": i.sha256} for i in inputs],
            "tables": [{"key": t.key, "title": t.title, "headers": t.headers, "rows": t.rows, "note": str(t.note)}
                       for t in tables],
        })


class PublishSerializer(serializers.Serializer):
    marking = serializers.ChoiceField(choices=Marking.choices, default=markings.PUBLISHED_DEFAULT,
                                      help_text="The publication's handling marking: TLP:GREEN at most.")


class Publish(PortalAPIView):
    access = "reviewer"

    @extend_schema(request=PublishSerializer, responses={200: ReviewSummarySerializer, **refusals(400, 403, 409)},
                   summary="Publish the current review to the member states' staff (reviewers, admins)",
                   description="As the review page's *Publish*, in the audit trail: the member states the cycle asks "
                               "read this review instead of the one published before. Only a done review of the "
                               "submissions as they stand is published: 409 `stale` (with `changes`, what changed "
                               "since it was built) or `not_done` otherwise. Publishing the review the member "
                               "states read already changes nothing (200). `marking` is the publication's handling "
                               "marking, TLP:GREEN unless given: above it, 400 (every member state's staff read it).",
                   examples=[examples.PUBLISH, examples.REVIEW_PUBLISHED])
    def post(self, request, pk):
        review = get_review_for_user(request.user, pk)
        data = PublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            publishing.review_publish(review=review, user=request.user, marking=data.validated_data["marking"])
        except publishing.Refused as refused:
            if refused.code == "marking":
                raise Problem(400, "invalid", _("Correct the fields named in “errors”."),
                              errors={"marking": [refused.message]}) from None
            if refused.code != "already_current":
                raise Problem(409, refused.code, refused.message,
                              changes=[{"member_state": code, "change": str(text)}
                                       for code, text in refused.changes]) from None
        return Response(review_summary(get_review_for_user(request.user, pk), request.user))


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why: the member states' staff read it.")


class Withdraw(PortalAPIView):
    access = "reviewer"

    @extend_schema(request=WithdrawSerializer, responses={200: ReviewSummarySerializer, **refusals(400, 403, 409)},
                   summary="Withdraw a review's publication, saying why (reviewers, admins)",
                   description="As the review page's *Withdraw*, in the audit trail: the member states then read the "
                               "publication standing before it, or nothing. 409 `not_published` when the review has "
                               "no standing publication.",
                   examples=[examples.WITHDRAW, examples.REVIEW_WITHDRAWN])
    def post(self, request, pk):
        review = get_review_for_user(request.user, pk)
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)  # 400 with `errors`, as every refusal of invalid input
        publication = publishing.standing_publication(review)
        if publication is None:
            raise Problem(409, "not_published", _("This review is not published: there is nothing to withdraw."))
        try:
            publishing.publication_withdraw(publication=publication, user=request.user,
                                            reason=data.validated_data["reason"])
        except publishing.Refused as refused:
            raise Problem(400 if refused.code == "reason_required" else 409, refused.code, refused.message) from None
        return Response(review_summary(get_review_for_user(request.user, pk), request.user))
