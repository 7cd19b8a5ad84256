"""Reviews asked for, published and exported through the API: the reviews page's and the export pages' rules.

The build and the export are jobs; here they are run in the test (as the worker would run them) after the API has
written their rows: tests/reporting hands them to a real worker.
"""

import pytest
from auditlog.models import LogEntry

from portal.models import Role, TokenScope
from reporting import publishing
from reporting import services as review_services
from reporting.exports import jobs as export_jobs
from reporting.models import Audience, CoordinatedReview, Export
from tests import factories
from tests.api.helpers import ApiClient, token_for
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(submit):
    cycle = helpers.cycle_with_questionnaire(codes=["AT", "DE", "FR"])
    for code in ("AT", "DE", "FR"):
        submit(cycle, code)
    return cycle


@pytest.fixture
def reviewer():
    return factories.user(Role.REVIEWER)


def test_a_reviewer_asks_for_a_review_and_publishes_it(cycle, reviewer):
    tool = ApiClient(token_for(reviewer))
    # Each submission asked for the review of the inputs as they then stood (reporting/receivers.py).
    automatic = CoordinatedReview.objects.filter(cycle=cycle).latest("pk")
    existing = tool.post(f"/api/v1/cycles/{cycle.pk}/reviews/")
    assert existing.status_code == 200 and existing.json()["id"] == automatic.pk  # the same inputs: that review
    CoordinatedReview.objects.filter(cycle=cycle).delete()  # as if none had been asked for: the inputs are new
    asked = tool.post(f"/api/v1/cycles/{cycle.pk}/reviews/")
    assert asked.status_code == 201, asked.content
    review = asked.json()
    assert review["status"] == "queued" and review["published_at"] is None
    assert review["fingerprint"] == automatic.fingerprint
    publish = f"/api/v1/reviews/{review['id']}/publish/"
    not_built = tool.post(publish)
    assert not_built.status_code == 409 and not_built.json()["type"].endswith(":not_done")

    review_services.review_build(review_id=review["id"])  # what the worker does with the queued review
    published = tool.post(publish)
    assert published.status_code == 200 and published.json()["published_at"]
    assert tool.post(publish).json()["published_at"] == published.json()["published_at"]  # once
    entry = LogEntry.objects.get(additional_data__event="published")
    assert entry.actor == reviewer
    staff = ApiClient(token_for(factories.user(Role.REPORTER, "AT")))
    assert [r["id"] for r in staff.get(f"/api/v1/cycles/{cycle.pk}/reviews/").json()["results"]] == [review["id"]]


def test_admins_publish_staff_and_read_only_tokens_do_not(cycle, reviewer):
    review, _created = review_services.review_request(cycle=cycle, user=reviewer)
    review_services.review_build(review_id=review.pk)
    lead = ApiClient(token_for(factories.user(Role.LEAD_REPORTER, "AT")))
    assert lead.post(f"/api/v1/cycles/{cycle.pk}/reviews/").status_code == 404  # the page's reviewers' gate
    assert lead.post(f"/api/v1/reviews/{review.pk}/publish/").status_code == 404
    read_only = ApiClient(token_for(reviewer, scope=TokenScope.READ))
    refused = read_only.post(f"/api/v1/reviews/{review.pk}/publish/")
    assert refused.status_code == 403 and refused.json()["type"].endswith(":read_only_token")
    assert not CoordinatedReview.objects.get(pk=review.pk).is_published
    admin = ApiClient(token_for(factories.user(Role.ADMIN)))
    assert admin.post(f"/api/v1/reviews/{review.pk}/publish/").status_code == 200
    assert CoordinatedReview.objects.get(pk=review.pk).is_published


def test_nothing_to_review_is_a_conflict():
    empty = helpers.cycle_with_questionnaire(codes=["AT"])
    response = ApiClient(token_for(factories.user(Role.REVIEWER))).post(f"/api/v1/cycles/{empty.pk}/reviews/")
    assert response.status_code == 409 and response.json()["type"].endswith(":nothing_to_review")
    assert not CoordinatedReview.objects.exists()


def test_exports_for_each_audience_made_once_and_downloaded(cycle, reviewer, export_root):
    review, _created = review_services.review_request(cycle=cycle, user=reviewer)
    tool = ApiClient(token_for(reviewer))
    url = f"/api/v1/reviews/{review.pk}/exports/"
    assert tool.post(url, {"format": "pdf"}).json()["type"].endswith(":not_done")  # not built yet
    review_services.review_build(review_id=review.pk)
    wrong = tool.post(url, {"format": "docx", "language": "xx"})
    assert wrong.status_code == 400 and set(wrong.json()["errors"]) == {"format", "language"}
    asked = tool.post(url, {"format": "xlsx", "language": "fr"})
    assert asked.status_code == 201, asked.content
    export = asked.json()
    assert (export["status"], export["audience"], export["language"], export["file"]) == (
        "queued", "reviewer", "fr", None)
    assert tool.post(url, {"format": "xlsx", "language": "fr"}).json()["id"] == export["id"]  # one file, made once
    not_ready = tool.client.get(f"/api/v1/exports/{export['id']}/file")
    assert not_ready.status_code == 409 and not_ready.json()["export"]["status"] == "queued"

    export_jobs.export_build(export_id=export["id"])  # what the worker does
    done = tool.get(f"/api/v1/exports/{export['id']}/").json()
    assert done["status"] == "done" and done["file"] == f"/api/v1/exports/{export['id']}/file"
    download = tool.client.get(done["file"])
    content = b"".join(download.streaming_content)
    assert download.status_code == 200 and content[:2] == b"PK" and len(content) == done["size"]
    entry = LogEntry.objects.get(additional_data__event="downloaded")
    assert entry.actor == reviewer and entry.additional_data["what"] == "review export"

    # Staff get their own audience's file of a published review, and never the reviewers'.
    staff = ApiClient(token_for(factories.user(Role.REPORTER, "AT")))
    assert staff.post(url, {"format": "xlsx"}).status_code == 404  # not published: not theirs to see
    publishing.review_publish(review=review, user=reviewer)
    theirs = staff.post(url, {"format": "xlsx", "language": "fr"})
    assert theirs.status_code == 201 and theirs.json()["audience"] == "public" and theirs.json()["id"] != export["id"]
    for path in (f"/api/v1/exports/{export['id']}/", f"/api/v1/exports/{export['id']}/file"):
        assert staff.client.get(path).status_code == 404
    assert set(Export.objects.values_list("audience", flat=True)) == {Audience.REVIEWER, Audience.PUBLIC}
