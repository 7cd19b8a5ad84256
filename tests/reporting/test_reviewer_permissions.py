"""Authority staff get 404 on every reviewer page; reviewers cannot change answers."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import ClarificationPoint
from reporting import services as review_services
from reporting.models import CoordinatedReview
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cycle, reporter_at, lead_at, reviewer):
    draft = helpers.fill(helpers.start(cycle, reporter_at))
    services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    draft.refresh_from_db()
    point = services.clarification_draft(assessment=draft, user=reviewer, section="scope", message="?")
    review = CoordinatedReview.objects.get(cycle=cycle)
    review_services.review_build(review_id=review.pk)
    return {"a": draft, "point": point, "review": review, "cycle": cycle}


REVIEWER_PAGES = [
    ("get", lambda w: reverse("review_home")),
    ("get", lambda w: reverse("assessments:submissions", args=[w["cycle"].pk])),
    ("get", lambda w: reverse("reporting:dashboard", args=[w["cycle"].pk])),
    ("get", lambda w: reverse("reporting:compare", args=[w["cycle"].pk])),
    ("get", lambda w: reverse("reporting:reviews", args=[w["cycle"].pk])),
    ("post", lambda w: reverse("reporting:reviews", args=[w["cycle"].pk])),
    ("get", lambda w: reverse("reporting:review", args=[w["review"].pk])),
    ("get", lambda w: reverse("reporting:review_publish", args=[w["review"].pk])),
    ("post", lambda w: reverse("reporting:review_publish", args=[w["review"].pk])),
    ("get", lambda w: reverse("reporting:review_withdraw", args=[w["review"].pk])),
    ("post", lambda w: reverse("reporting:review_withdraw", args=[w["review"].pk])),
    ("post", lambda w: reverse("reporting:review_retry", args=[w["review"].pk])),
    ("post", lambda w: reverse("reporting:review_export", args=[w["review"].pk, "xlsx"])),
    ("post", lambda w: reverse("reporting:comparison_export", args=[w["cycle"].pk])),
    ("get", lambda w: reverse("reporting:review_csv", args=[w["review"].pk, "scenarios"])),
    ("get", lambda w: reverse("assessments:return", args=[w["a"].pk])),
    ("post", lambda w: reverse("assessments:accept", args=[w["a"].pk])),
    ("post", lambda w: reverse("assessments:ask", args=[w["a"].pk])),
    ("post", lambda w: reverse("assessments:send_points", args=[w["a"].pk])),
    ("post", lambda w: reverse("assessments:withdraw_point", args=[w["a"].pk, w["point"].pk])),
    ("post", lambda w: reverse("assessments:resolve_point", args=[w["a"].pk, w["point"].pk])),
]


@pytest.mark.parametrize("persona", ["reporter_at", "lead_at", "reporter_fr"])
def test_authority_staff_get_404_on_every_reviewer_page(client, request, world, persona):
    client.force_login(request.getfixturevalue(persona))
    for method, url in REVIEWER_PAGES:
        assert getattr(client, method)(url(world)).status_code == 404, url(world)
    assert ClarificationPoint.objects.filter(pk=world["point"].pk).exists()
    assert not CoordinatedReview.objects.get(pk=world["review"].pk).is_published


def test_reviewers_reach_them_all(client, reviewer, world):
    client.force_login(reviewer)
    for method, url in REVIEWER_PAGES:
        if method == "get":
            assert client.get(url(world)).status_code == 200, url(world)


def test_reviewers_cannot_change_answers_anywhere(client, reviewer, world):
    client.force_login(reviewer)
    a = world["a"]
    for url in (reverse("assessments:section", args=[a.pk, "scope"]), reverse("assessments:workbook_upload",
                                                                             args=[a.pk]),
                reverse("assessments:attachments", args=[a.pk]), reverse("assessments:submit", args=[a.pk]),
                reverse("assessments:supplier_add", args=[a.pk])):
        assert client.post(url, {}).status_code == 404, url
