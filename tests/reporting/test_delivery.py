"""The delivery status of a cycle (issue 32): each member state's deliveries, corrections and downloads of the EU
review, against a hand count; every line for reviewers, its own for a member state's staff; a fixed number of
queries."""

import datetime
import re

import pytest
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import ClarificationPoint, NationalAssessment
from portal.models import BRUSSELS, Role
from reporting import publishing
from tests import factories

pytestmark = pytest.mark.django_db


def line(page, code):
    """The text of a member state's row, tags stripped, spaces collapsed."""
    row = re.search(rf'<tr id="delivery-{code}">(.*?)</tr>', page, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.group(1))).strip() if row else None


@pytest.fixture
def delivered(review, reviewer, reporter_at, client):
    """Austria returned with two points and answering one; the review published; Austria's reporter downloads one
    of its tables twice, the reviewer once."""
    austria = NationalAssessment.objects.get(cycle=review.cycle, member_state__eu_code="AT")
    assessment_services.assessment_return(
        assessment=austria, user=reviewer, points=[("scope", "", "Which operators?"), ("scenarios", "R4", "Why 5?")],
        now=datetime.datetime(2019, 7, 22, 10, 0, tzinfo=BRUSSELS))
    point = ClarificationPoint.objects.filter(assessment=austria).order_by("pk").first()
    assessment_services.clarification_answer(point=point, user=reporter_at, text="The three mobile operators.")
    publishing.review_publish(review=review, user=reviewer)
    table = reverse("reporting:review_csv", args=[review.pk, "scenarios"])
    client.force_login(reporter_at)
    assert client.get(table).status_code == 200 and client.get(table).status_code == 200
    client.force_login(reviewer)
    assert client.get(table).status_code == 200
    return review.cycle


def test_a_reviewer_reads_every_member_state_s_delivery_against_a_hand_count(client, delivered, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("reporting:delivery", args=[delivered.pk])).content.decode()
    assert line(page, "AT") == ("Austria Returned for clarification Submitted on time 10 Jul 2019, 12:00 "
                                "10 Jul 2019, 12:00 version 1 2 1 2 anna-at (Authority of Austria): a table of the "
                                f"coordinated review, 2 times, last {_last(page, 'AT')}")
    assert line(page, "FR").startswith("France Submitted Submitted late")
    assert line(page, "FR").endswith("20 Jul 2019, 12:00 20 Jul 2019, 12:00 version 1 0 0 0 —")
    assert line(page, "IT").startswith("Italy Not started") and line(page, "IT").endswith("— — 0 0 0 —")
    reviewers = page.split('id="reviewers-downloads"')[1]
    assert "rita-reviewer: a table of the coordinated review, once" in reviewers and "anna-at" not in reviewers


def _last(page, code):
    return re.search(r"2 times, last ([^<]+)</div>", page.split(f'id="delivery-{code}"')[1]).group(1)


def test_a_member_state_s_staff_read_their_own_line_only_and_its_downloads_if_they_lead(client, delivered, lead_at,
                                                                                        reporter_at):
    url = reverse("reporting:delivery", args=[delivered.pk])
    client.force_login(lead_at)
    page = client.get(url).content.decode()
    assert line(page, "AT") and "a table of the coordinated review, 2 times" in line(page, "AT")
    assert not any(line(page, code) for code in ("BE", "DE", "FR", "IT"))
    assert "reviewers-downloads" not in page and "rita-reviewer" not in page
    client.force_login(reporter_at)  # a reporter reads its line, not who downloaded what (the activity is leads')
    page = client.get(url).content.decode()
    assert line(page, "AT").endswith("2 1 2 —") and not line(page, "FR")
    client.force_login(factories.user(Role.REPORTER, "FR"))
    page = client.get(url).content.decode()
    assert line(page, "FR") and not line(page, "AT")


def test_a_cycle_another_member_state_is_not_asked_by_answers_404(client, delivered):
    client.force_login(factories.user(Role.LEAD_REPORTER, "PL"))
    assert client.get(reverse("reporting:delivery", args=[delivered.pk])).status_code == 404


def test_the_page_reads_a_fixed_number_of_queries(client, delivered, reviewer, same_queries, submit):
    client.force_login(reviewer)
    url = reverse("reporting:delivery", args=[delivered.pk])

    def more():
        submit(delivered, "IT", datetime.datetime(2019, 7, 11, 9, 0, tzinfo=BRUSSELS))
        france = NationalAssessment.objects.get(cycle=delivered, member_state__eu_code="FR")
        assessment_services.assessment_return(assessment=france, user=reviewer, points=[("scope", "", "Sources?")])
        client.get(reverse("reporting:review_csv", args=[delivered.reviews.latest("pk").pk, "scenarios"]))

    same_queries(lambda: client.get(url), more)
