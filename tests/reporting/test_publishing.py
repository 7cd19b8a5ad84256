"""Publishing is a decision: only the current review, confirmed on a page that says what, to whom and what it
replaces; a publication can be withdrawn with a reason; member states' staff see what they read and when it changed.
"""

import re

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils.timezone import localtime

from reporting import publishing, services
from reporting.models import CoordinatedReview, Publication
from tests import factories
from tests.api.helpers import ApiClient, token_for
from tests.pages import publish

pytestmark = pytest.mark.django_db


def built(cycle):
    """The review of the cycle's submissions as they stand, built."""
    review, _created = services.review_request(cycle=cycle)
    services.review_build(review_id=review.pk)
    return CoordinatedReview.objects.get(pk=review.pk)


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def italy_submits_later(four, submit):
    """The review of four member states is built; then Italy submits: that review is stale."""
    def later():
        submit(four, "IT")
        return built(four)
    return later


def test_a_stale_review_cannot_be_published_and_the_page_says_why_and_offers_the_current_one(
        client, reviewer, review, italy_submits_later):
    current = italy_submits_later()
    client.force_login(reviewer)
    url = reverse("reporting:review_publish", args=[review.pk])
    page = text(client.get(url))
    assert "This review cannot be published" in page
    assert "IT submitted for the first time (version 1)" in page
    assert "Build the review of the current submissions" in page
    assert 'name="replaces"' not in page  # no button to publish it
    refused = client.post(url, {"replaces": publishing.NOTHING})
    assert refused.status_code == 409 and "changed since it was built" in text(refused)
    assert not Publication.objects.exists()
    with pytest.raises(publishing.Refused) as caught:
        publishing.review_publish(review=review, user=reviewer)
    assert caught.value.code == "stale" and caught.value.changes[0][0] == "IT"
    # The review of the submissions as they stand is the one offered.
    assert "current: of the submissions as they stand" in text(client.get(
        reverse("reporting:review_publish", args=[current.pk])))
    assert publish(client, current).status_code == 302
    assert Publication.objects.current_of(review.cycle).review == current


def test_the_confirmation_page_says_what_to_whom_and_that_it_replaces_nothing(client, reviewer, review, lead_at):
    client.force_login(reviewer)
    page = text(client.get(reverse("reporting:review_publish", args=[review.pk])))
    assert "current: of the submissions as they stand" in page
    assert "the submissions of 4 member states of the 5 the cycle asks; missing: IT" in page
    # To whom: the member states the cycle covers, by name, and their staff accounts (the fixture's leads + lukas).
    assert "The reporters and lead reporters of the 5 member states the cycle asks (5 active accounts)" in page
    assert "Belgium, Germany, France, Italy, Austria" in page  # the EU's protocol order
    assert "Nothing: no review of this cycle is published now." in page
    assert "Publish to 5 member states" in page
    # Nothing is published by opening the page.
    assert not CoordinatedReview.objects.get(pk=review.pk).is_published
    assert client.get(reverse("reporting:review", args=[review.pk])).status_code == 200
    client.force_login(lead_at)
    assert client.get(reverse("reporting:review", args=[review.pk])).status_code == 404


def test_a_publication_replaces_the_one_before_and_staff_who_read_it_are_told(
        client, reviewer, review, lead_at, italy_submits_later):
    client.force_login(reviewer)
    assert publish(client, review).status_code == 302
    first = Publication.objects.get()
    # Austria's lead reads it: home page, then the review with its date.
    client.force_login(lead_at)
    home = text(client.get(reverse("authority_home")))
    assert f'href="{reverse("reporting:review", args=[review.pk])}"' in home
    page = text(client.get(reverse("reporting:review", args=[review.pk])))
    assert f"Published {localtime(first.published_at):%-d %B %Y}" in page  # the day in Brussels, not in UTC
    # Italy submits; the reviewer publishes the current review, and the page said what it replaces.
    current = italy_submits_later()
    client.force_login(reviewer)
    page = text(client.get(reverse("reporting:review_publish", args=[current.pk])))
    assert f"The member states read review {review.pk} now" in page
    assert publish(client, current).status_code == 302
    second = Publication.objects.current_of(review.cycle)
    assert second.review == current and second.replaces == first
    # Austria's lead is told, until they open the current one.
    client.force_login(lead_at)
    home = text(client.get(reverse("authority_home")))
    assert "that you read (published" in home and "was replaced on" in home
    assert f'href="{reverse("reporting:review", args=[current.pk])}"' in home
    old = text(client.get(reverse("reporting:review", args=[review.pk])))
    assert "A newer publication replaced this one" in old
    client.get(reverse("reporting:review", args=[current.pk]))
    assert "was replaced on" not in text(client.get(reverse("authority_home")))
    # A colleague who never read the first is told nothing: they read the current one.
    colleague = factories.user("reporter", "AT")
    client.force_login(colleague)
    assert "was replaced on" not in text(client.get(reverse("authority_home")))
    # The list of the cycle's reviews: newest first, the current and the published ones shown, the rest folded.
    client.force_login(reviewer)
    listing = text(client.get(reverse("reporting:reviews", args=[review.cycle.pk])))
    shown, folded = listing.split("earlier builds, superseded")
    assert shown.index(f"Review {current.pk}") < shown.index(f"Review {review.pk}")
    assert "read by the member states" in shown and "replaced" in shown
    older = CoordinatedReview.objects.filter(cycle=review.cycle).exclude(pk__in=[review.pk, current.pk])
    assert older.exists() and all(f"Review {r.pk}<" in folded.replace("</a>", "<") for r in older)


def test_publishing_refuses_a_decision_taken_on_what_has_changed_since(client, reviewer, review, admin_user):
    client.force_login(reviewer)
    url = reverse("reporting:review_publish", args=[review.pk])
    token = re.search(r'name="replaces" value="([^"]+)"', client.get(url).content.decode())[1]
    assert token == publishing.NOTHING
    publishing.review_publish(review=review, user=admin_user)  # a colleague was quicker
    refused = client.post(url, {"replaces": token})
    assert refused.status_code == 409
    assert Publication.objects.count() == 1 and LogEntry.objects.filter(additional_data__event="published").count() == 1


def test_withdrawing_says_what_member_states_read_after_needs_a_reason_and_is_audited(
        client, reviewer, review, lead_at, italy_submits_later):
    first = publishing.review_publish(review=review, user=reviewer)
    client.force_login(lead_at)
    client.get(reverse("reporting:review", args=[review.pk]))
    current = italy_submits_later()
    second = publishing.review_publish(review=current, user=reviewer)
    client.force_login(lead_at)
    client.get(reverse("reporting:review", args=[current.pk]))  # Austria's lead reads the newest
    client.force_login(reviewer)
    url = reverse("reporting:review_withdraw", args=[current.pk])
    page = text(client.get(url))
    assert f"Review {review.pk}, published" in page and "the publication standing before this one" in page
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert "Say why the publication is withdrawn" in text(refused) and "Error:" in text(refused)
    second.refresh_from_db()
    assert not second.is_withdrawn
    assert client.post(url, {"reason": "Italy's version 1 was submitted in error."}).status_code == 302
    second.refresh_from_db()
    assert second.is_withdrawn and second.withdrawn_by == reviewer
    entry = LogEntry.objects.get(additional_data__event="withdrawn")
    assert entry.actor == reviewer and entry.additional_data["reason"] == "Italy's version 1 was submitted in error."
    # Member states fall back to the publication standing before, and those who read the withdrawn one are told why.
    assert Publication.objects.current_of(review.cycle) == first
    client.force_login(lead_at)
    home = text(client.get(reverse("authority_home")))
    assert "was withdrawn on" in home and "Italy&#x27;s version 1 was submitted in error." in home
    assert f'href="{reverse("reporting:review", args=[review.pk])}"' in home
    assert client.get(reverse("reporting:review", args=[current.pk])).status_code == 404
    # Withdrawing the last one leaves nothing published: staff see no review, and are told.
    publishing.publication_withdraw(publication=first, user=reviewer, reason="Superseded by the March review.")
    home = text(client.get(reverse("authority_home")))
    assert "No review of this cycle is published now." in home
    assert client.get(reverse("reporting:review", args=[review.pk])).status_code == 404
    # A withdrawn review may be published again, while it is current: not this stale one.
    with pytest.raises(publishing.Refused):
        publishing.review_publish(review=review, user=reviewer)
    publishing.review_publish(review=current, user=reviewer)
    assert Publication.objects.current_of(review.cycle).review == current


def test_the_api_refuses_a_stale_review_and_withdraws_with_a_reason(review, reviewer, italy_submits_later):
    tool = ApiClient(token_for(reviewer))
    current = italy_submits_later()
    stale = tool.post(f"/api/v1/reviews/{review.pk}/publish/")
    assert stale.status_code == 409 and stale.json()["type"].endswith(":stale")
    assert stale.json()["changes"] == [{"member_state": "IT",
                                        "change": "IT submitted for the first time (version 1)"}]
    published = tool.post(f"/api/v1/reviews/{current.pk}/publish/")
    assert published.status_code == 200 and published.json()["published_at"]
    withdraw = f"/api/v1/reviews/{current.pk}/withdraw/"
    assert tool.post(withdraw, {}).status_code == 400
    withdrawn = tool.post(withdraw, {"reason": "Published before the deadline passed."})
    assert withdrawn.status_code == 200 and withdrawn.json()["published_at"] is None
    again = tool.post(withdraw, {"reason": "Twice."})
    assert again.status_code == 409 and again.json()["type"].endswith(":not_published")
