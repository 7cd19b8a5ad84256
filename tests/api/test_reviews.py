"""Coordinated reviews through the API: reviewers read every table and the provenance; authority staff read a
published review's aggregates only, as on the page."""

import pytest

from portal.models import Role
from reporting import publishing
from reporting import services as review_services
from reporting.models import CoordinatedReview
from reporting.tables import aggregate_tables
from tests import factories
from tests.api.helpers import ApiClient, token_for
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(submit):
    cycle = helpers.cycle_with_questionnaire(codes=["AT", "DE", "FR"])
    versions = [submit(cycle, code) for code in ("AT", "DE", "FR")]
    reviewer = factories.user(Role.REVIEWER)
    review, _created = review_services.review_request(cycle=cycle, user=reviewer)
    review_services.review_build(review_id=review.pk)
    return CoordinatedReview.objects.get(pk=review.pk), versions, reviewer


def test_a_reviewer_reads_every_table_and_the_versions_it_was_built_from(review):
    review, versions, reviewer = review
    client = ApiClient(token_for(reviewer))
    listed = client.get(f"/api/v1/cycles/{review.cycle_id}/reviews/").json()["results"]
    assert [r["id"] for r in listed] == sorted(CoordinatedReview.objects.filter(cycle=review.cycle_id)
                                               .values_list("pk", flat=True), reverse=True)  # newest first
    assert {r["id"]: (r["status"], r["fingerprint"]) for r in listed}[review.pk] == ("done", review.fingerprint)
    body = client.get(f"/api/v1/reviews/{review.pk}/").json()
    assert sorted((i["member_state"], i["number"], i["sha256"]) for i in body["inputs"]) == sorted(
        (v.assessment.member_state.eu_code, v.number, v.sha256) for v in versions)
    assert [t["key"] for t in body["tables"]] == [t.key for t in aggregate_tables(review.results)]


def test_staff_read_only_a_published_reviews_aggregates(review, settings):
    review, _versions, reviewer = review
    staff = ApiClient(token_for(factories.user(Role.REPORTER, "AT")))
    assert staff.get(f"/api/v1/reviews/{review.pk}/").status_code == 404  # not published yet
    assert staff.get(f"/api/v1/cycles/{review.cycle_id}/reviews/").json()["results"] == []
    publishing.review_publish(review=review, user=reviewer)
    assert [r["id"] for r in staff.get(f"/api/v1/cycles/{review.cycle_id}/reviews/").json()["results"]] == [review.pk]
    body = staff.get(f"/api/v1/reviews/{review.pk}/").json()
    public = aggregate_tables(CoordinatedReview.objects.get(pk=review.pk).results, public=True)
    assert body["inputs"] == [] and [t["key"] for t in body["tables"]] == [t.key for t in public]
    assert len(body["tables"]) < len(aggregate_tables(review.results))  # the per-member-state tables are not there
    assert [t["rows"] for t in body["tables"]] == [t.rows for t in public]  # small groups hidden as on the page
    other = ApiClient(token_for(factories.user(Role.REPORTER, "PL")))  # a member state the cycle does not cover
    assert other.get(f"/api/v1/reviews/{review.pk}/").status_code == 404
