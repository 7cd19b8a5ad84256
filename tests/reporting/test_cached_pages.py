"""The reviewers' pages keep what they render (portal/lib/fragments.py) and never show it after it changed:
a submission, an extension, a coverage change or a clarification point is on the next request."""

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Section
from portal import services as portal_services
from portal.deadlines import BRUSSELS
from reporting import services as review_services
from tests import factories
from tests.assessments import helpers
from tests.pages import figure

pytestmark = pytest.mark.django_db


def brussels(*args):
    return datetime.datetime(*args, tzinfo=BRUSSELS)


@pytest.fixture
def three(submit):
    cycle = helpers.cycle_with_questionnaire(title="Three", codes=["AT", "BE", "DE"])
    submit(cycle, "AT", brussels(2019, 7, 10, 12, 0))
    submit(cycle, "BE", brussels(2019, 7, 17, 12, 0))
    return cycle


def dashboard(client, cycle):
    return client.get(reverse("reporting:dashboard", args=[cycle.pk])).content.decode()


def test_the_dashboard_shows_a_submission_an_extension_and_a_coverage_change_at_once(
        client, reviewer, admin_user, three, submit):
    client.force_login(reviewer)
    main = re.compile(r"<main.*</main>", re.S)
    # The dashboard is kept for the minute it was judged in ("As of 14:05"): the clock stands still in it.
    with time_machine.travel(timezone.now().replace(second=30), tick=False):
        page = dashboard(client, three)
        assert (figure(page, "Expected"), figure(page, "Submitted"), figure(page, "Late")) == (3, 2, 1)
        with CaptureQueriesContext(connection) as again:
            assert main.search(dashboard(client, three)).group(0) == main.search(page).group(0)
    assert not any("assessments_assessmentversion" in query["sql"] for query in again.captured_queries)  # kept
    submit(three, "DE", brussels(2019, 7, 12, 12, 0))
    assert figure(dashboard(client, three), "Submitted") == 3
    portal_services.extension_grant(milestone=three.milestones.get(), member_state=factories.member_state("BE"),
                                    due_date=datetime.date(2019, 7, 31), due_time=None, reason="Elections",
                                    user=admin_user, granted_at=brussels(2019, 7, 1, 9, 0))
    assert figure(dashboard(client, three), "Late") == 0
    portal_services.coverage_add(cycle=three, member_state=factories.member_state("FR"), user=admin_user,
                                 from_start=True)
    assert figure(dashboard(client, three), "Expected") == 4


def test_the_submissions_list_shows_a_returned_assessment_and_its_open_points_at_once(client, reviewer, three):
    client.force_login(reviewer)
    url = reverse("assessments:submissions", args=[three.pk])

    def austria():
        return re.search(r"<tr[^>]*>(?:(?!</tr>).)*Austria(?:(?!</tr>).)*</tr>", client.get(url).content.decode(),
                         re.S).group(0)

    assert "Returned" not in austria()
    assessment = three.assessments.get(member_state__eu_code="AT")
    assessment_services.clarification_draft(assessment=assessment, user=reviewer, section=Section.SCOPE,
                                            message="Which operators?")
    assessment_services.clarifications_send(assessment=assessment, user=reviewer)
    assert "Returned" in austria()


def test_a_reviews_staleness_shows_after_a_new_submission(client, reviewer, three, submit):
    client.force_login(reviewer)
    review, _created = review_services.review_request(cycle=three, user=reviewer)
    review_services.review_build(review_id=review.pk)
    url = reverse("reporting:review", args=[review.pk])
    assert "This review is stale" not in client.get(url).content.decode()
    submit(three, "DE", brussels(2019, 7, 12, 12, 0))
    assert "DE submitted for the first time" in client.get(url).content.decode()


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
                                       "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}})
def test_without_a_cache_the_pages_still_answer(client, reviewer, three):
    client.force_login(reviewer)
    for url in (reverse("reporting:dashboard", args=[three.pk]), reverse("assessments:submissions", args=[three.pk]),
                reverse("reporting:compare", args=[three.pk])):
        assert client.get(url).status_code == 200, url
    cache.close()


def test_a_page_kept_rendered_carries_each_readers_own_token_path_and_name(review):
    """The done review's page and every page's header are rendered once and kept; what belongs to one request is not:
    each reader's forms carry their own CSRF token (a token copied from another reader's page is refused), the
    language form returns to the reader's own page, and the header names its reader."""
    from portal.models import Role
    from tests.signing_in import PortalClient

    readers = [factories.user(Role.REVIEWER, username=name) for name in ("rita-reviewer", "remo-reviewer")]
    url = reverse("reporting:review", args=[review.pk])
    clients, pages = [], []
    for reader in readers:
        client = PortalClient(enforce_csrf_checks=True)
        client.force_login(reader)
        clients.append(client)
        client.get(url)
        pages.append(client.get(url).content.decode())  # the page as kept
    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page) for page in pages]
    assert all(len(found) >= 3 for found in tokens)  # language, log out, publish, the exports
    assert "kept-out-of-the-cache" not in pages[0] + pages[1]
    for page, reader in zip(pages, readers):
        assert f"Signed in as {reader.username}" in page
    assert "remo-reviewer" not in pages[0] and "rita-reviewer" not in pages[1]
    # The page's frame too: the token its scripts send (session keep-alive, htmx) is the reader's own.
    ping = reverse("session_ping")
    frame_tokens = [re.search(r'data-csrf="([^"]+)"', page)[1] for page in pages]
    assert clients[0].post(ping, HTTP_X_CSRFTOKEN=frame_tokens[1]).status_code == 403
    assert [client.post(ping, HTTP_X_CSRFTOKEN=token).status_code
            for client, token in zip(clients, frame_tokens)] == [204, 204]
    # The header is kept for its reader whatever the page: its language form returns to the page it is on.
    for query in ("?from=a", "?from=b"):
        page = clients[0].get(url + query).content.decode()
        assert f'name="next" value="{url}{query}"' in page

    publish = reverse("reporting:review_publish", args=[review.pk])
    decided = {"replaces": "none"}  # what the confirmation page says the member states read now: nothing
    assert clients[0].post(publish, {"csrfmiddlewaretoken": tokens[1][0], **decided}).status_code == 403  # another's
    review.refresh_from_db()
    assert not review.is_published
    assert clients[0].post(publish, {"csrfmiddlewaretoken": tokens[0][-1], **decided}).status_code == 302
    review.refresh_from_db()
    assert review.is_published
    # The publisher's next page says so, once.
    said = "Published: the member states"
    assert [said in clients[0].get(url).content.decode() for _ in range(2)] == [True, False]
    # ...and the next reader's page, kept since, now offers no publishing.
    page = clients[1].get(reverse("reporting:review", args=[review.pk])).content.decode()
    assert "Publish to the member states" not in page


def test_an_admins_edit_of_a_catalogue_title_reaches_the_kept_review_page(client, review, reviewer, admin_user):
    """A done review's page is kept rendered, with the catalogue's titles in it: an admin's correction of a title in
    the Django admin shows on the reviewer's next request, not when the kept copy expires."""
    from assessments.models import RiskScenario

    r4 = RiskScenario.objects.get(code="R4")
    url = reverse("reporting:review", args=[review.pk])
    client.force_login(reviewer)
    assert r4.title in client.get(url).content.decode()
    client.force_login(admin_user)
    change = reverse("admin:assessments_riskscenario_change", args=[r4.pk]) + "?language=en"
    response = client.post(change, {"code": "R4", "title": "Dependency on any one supplier (corrected)",
                                    "position": r4.position, "category": r4.category_id, "is_strategic": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    client.force_login(reviewer)
    page = client.get(url).content.decode()
    assert "Dependency on any one supplier (corrected)" in page
    assert r4.title not in page
