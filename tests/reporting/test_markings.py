"""Handling markings on reviewers' outputs: a review carries the strictest marking of the versions it counts, a TLP:RED
version is withheld from the figures every reviewer reads, a publication carries TLP:GREEN at most."""

import re

import pytest
from auditlog.models import LogEntry
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments.models import AssessmentVersion
from portal.markings import Marking
from portal.models import MemberState, Role
from reporting import publishing, services
from reporting.models import CoordinatedReview, Publication
from tests import factories
from tests.api.helpers import ApiClient, token_for
from tests.pages import publish

pytestmark = pytest.mark.django_db


def banners(response):
    return re.findall(r'class="tlp-banner tlp-banner-(?:top|bottom)" role="note" data-marking="([^"]+)"',
                      response.content.decode())


def built(cycle):
    review, _created = services.review_request(cycle=cycle)
    services.review_build(review_id=review.pk)
    return CoordinatedReview.objects.get(pk=review.pk)


@pytest.fixture
def named(db):
    return factories.user(Role.REVIEWER, username="nina-named")


@pytest.fixture
def marked(four, named):
    """The four member states' versions marked: AT green, BE clear, DE amber, FR red for `named` alone. (A version
    does not change once submitted; the test sets what the lead reporters would have chosen.)"""
    for code, marking in [("AT", Marking.GREEN), ("BE", Marking.CLEAR), ("DE", Marking.AMBER), ("FR", Marking.RED)]:
        AssessmentVersion.objects.filter(assessment__cycle=four, assessment__member_state__eu_code=code).update(
            marking=marking)
    AssessmentVersion.objects.get(assessment__cycle=four, assessment__member_state__eu_code="FR").shared_with.add(
        named)
    return four


def test_a_review_leaves_a_red_version_out_counts_it_withheld_and_carries_its_inputs_strictest(marked):
    review = built(marked)
    assert review.marking == Marking.AMBER  # DE's; FR's TLP:RED is not among its inputs
    assert sorted(review.provenance.values_list("member_state_code", flat=True)) == ["AT", "BE", "DE"]
    completeness = services.completeness(review.population)
    assert completeness["withheld"] == ["FR"] and "FR" not in completeness["included"]
    assert "FR" not in completeness["missing"]
    assert review.results["completeness"]["withheld"] == ["FR"]


def test_a_review_without_a_marked_input_stricter_than_clear_is_clear(four):
    AssessmentVersion.objects.filter(assessment__cycle=four).update(marking=Marking.CLEAR)
    assert built(four).marking == Marking.CLEAR


def test_the_review_pages_show_its_marking_and_say_what_is_withheld(client, marked, reviewer):
    review = built(marked)
    client.force_login(reviewer)
    page = client.get(reverse("reporting:review", args=[review.pk]))
    assert banners(page) == ["TLP:AMBER", "TLP:AMBER"]
    assert re.search(r'id="withheld">Withheld from these figures: FR\.', page.content.decode())
    listings = client.get(reverse("reporting:review_member_states", args=[review.pk]))
    assert banners(listings) == ["TLP:AMBER", "TLP:AMBER"]
    assert "France" not in listings.content.decode()


def test_the_comparison_does_not_offer_a_red_version_and_shows_the_strictest_it_offers(client, marked, reviewer):
    client.force_login(reviewer)
    url = reverse("reporting:compare", args=[marked.pk])
    page = client.get(url)
    assert banners(page) == ["TLP:AMBER", "TLP:AMBER"]
    assert "Not offered: France." in re.sub(r"\s+", " ", page.content.decode())
    france, austria = (MemberState.objects.get(eu_code=code).pk for code in ("FR", "AT"))
    asked = client.get(url, {"member_states": [france, austria], "section": "scope"})
    assert asked.status_code == 200 and 'id="withheld"' in asked.content.decode()
    assert "Select a valid choice" in asked.content.decode()  # France is not a choice, whoever asks


def test_publishing_above_green_is_refused_beside_the_choice(client, marked, reviewer):
    review = built(marked)
    client.force_login(reviewer)
    url = reverse("reporting:review_publish", args=[review.pk])
    token = re.search(r'name="replaces" value="([^"]+)"', client.get(url).content.decode())[1]
    refused = client.post(url, {"replaces": token, "marking": "TLP:AMBER"})
    assert refused.status_code == 400
    field = re.search(r'id="div_id_marking".*?</fieldset>', refused.content.decode(), re.S).group(0)
    assert "are not within TLP:AMBER" in field
    assert not Publication.objects.exists()
    with pytest.raises(publishing.Refused):
        publishing.review_publish(review=review, user=reviewer, marking=Marking.AMBER_STRICT)
    assert not Publication.objects.exists()


def test_a_publication_is_green_by_default_audited_and_what_staff_read_it_under(client, marked, reviewer):
    review = built(marked)
    client.force_login(reviewer)
    assert publish(client, review).status_code == 302
    publication = Publication.objects.get()
    assert publication.marking == Marking.GREEN
    entry = LogEntry.objects.get(additional_data__event="marked", additional_data__of="publication")
    assert entry.additional_data["of"] == "publication" and entry.additional_data["marking"] == "TLP:GREEN"
    staff = factories.user(Role.REPORTER, "AT")
    client.force_login(staff)
    assert banners(client.get(reverse("reporting:review", args=[review.pk]))) == ["TLP:GREEN", "TLP:GREEN"]
    # The API says the same: reviewers the review's marking, staff the publication's.
    as_staff = ApiClient(token_for(staff)).get(f"/api/v1/reviews/{review.pk}/").json()
    assert as_staff["marking"] == "TLP:GREEN" and as_staff["publication_marking"] == "TLP:GREEN"
    as_reviewer = ApiClient(token_for(reviewer)).get(f"/api/v1/reviews/{review.pk}/").json()
    assert as_reviewer["marking"] == "TLP:AMBER" and as_reviewer["publication_marking"] == "TLP:GREEN"


def test_a_clear_publication_is_made_when_asked(client, marked, reviewer):
    review = built(marked)
    client.force_login(reviewer)
    url = reverse("reporting:review_publish", args=[review.pk])
    token = re.search(r'name="replaces" value="([^"]+)"', client.get(url).content.decode())[1]
    assert client.post(url, {"replaces": token, "marking": "TLP:CLEAR"}).status_code == 302
    assert Publication.objects.get().marking == Marking.CLEAR


def test_the_api_refuses_to_publish_above_green_and_lists_reviews_with_their_marking(marked, reviewer):
    review = built(marked)
    api = ApiClient(token_for(reviewer))
    refused = api.post(f"/api/v1/reviews/{review.pk}/publish/", {"marking": "TLP:RED"})
    assert refused.status_code == 400 and "marking" in refused.json()["errors"]
    assert not Publication.objects.exists()
    made = api.post(f"/api/v1/reviews/{review.pk}/publish/", {})
    assert made.status_code == 200 and made.json()["publication_marking"] == "TLP:GREEN"
    listed = {r["id"]: r for r in api.get(f"/api/v1/cycles/{marked.pk}/reviews/").json()["results"]}
    assert listed[review.pk]["marking"] == "TLP:AMBER" and listed[review.pk]["publication_marking"] == "TLP:GREEN"


def test_the_database_keeps_a_publication_at_green_at_most(marked, reviewer):
    review = built(marked)
    publication = publishing.review_publish(review=review, user=reviewer)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Publication.objects.filter(pk=publication.pk).update(marking=Marking.AMBER)
    with transaction.atomic(), pytest.raises(IntegrityError):
        CoordinatedReview.objects.filter(pk=review.pk).update(marking="TLP:WHITE")
