"""The reviewers' pages never show what changed: a submission, an extension, a coverage change, a clarification
point sent or resolved, a catalogue title edited is on the next request of every page. Only what is made from
immutable inputs is kept (portal/lib/fragments.py), and nothing is kept without an expiry."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import ClarificationPoint, NationalAssessment, ScopeAnswer, Section
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
    page = dashboard(client, three)
    assert (figure(page, "Expected"), figure(page, "Submitted"), figure(page, "Late")) == (3, 2, 1)
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
    assert re.findall(r"<td>(\d+)</td>", austria())[-1] == "1"  # open points
    point = ClarificationPoint.objects.get(assessment=assessment)
    assessment_services.clarification_resolve(point=point, user=reviewer)  # an update(), no save signal
    assert re.findall(r"<td>(\d+)</td>", austria())[-1] == "0"


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


def test_the_comparison_shows_a_new_submission_at_once(client, reviewer, three, submit):
    """The comparison's table is kept by the versions it shows: a new version, or another member state, is a new
    table."""
    client.force_login(reviewer)
    url = reverse("reporting:compare", args=[three.pk])
    at, be = (factories.member_state(code).pk for code in ("AT", "BE"))
    query = {"member_states": [at, be], "section": "scope"}
    assert "Risks are highest in the core network." in client.get(url, query).content.decode()
    # Austria is returned and submits a second version with another summary: the table shows that one at once.
    austria = NationalAssessment.objects.get(cycle=three, member_state_id=at)
    assessment_services.assessment_return(assessment=austria, user=reviewer, points=[("scope", "", "Why?")])
    ScopeAnswer.objects.filter(assessment=austria, version=None).update(summary="Risks moved to the RAN.")
    submit(three, "AT", fill=False)
    page = client.get(url, query).content.decode()
    assert "Risks moved to the RAN." in page and "Risks are highest in the core network." in page  # BE's stays
    assert page.count("Risks moved to the RAN.") == 1
    de = factories.member_state("DE")
    submit(three, "DE", brussels(2019, 7, 12, 12, 0))
    page = client.get(url, {**query, "member_states": [at, be, de.pk]}).content.decode()
    assert re.search(r'<th scope="col" class="cmp-ms">Germany</th>', page)
    # The choices are the request's own: a member state submitting since is offered at once.
    assert f'value="{de.pk}"' in client.get(url).content.decode()


def test_the_frame_is_each_readers_own(client, review):
    """The header names its reader and its language form returns to the page it is on, whatever was read before."""
    from portal.models import Role

    url = reverse("reporting:review", args=[review.pk])
    for name in ("rita-reviewer", "remo-reviewer"):
        client.force_login(factories.user(Role.REVIEWER, username=name))
        for query in ("?from=a", "?from=b"):
            page = client.get(url + query).content.decode()
            assert f"Signed in as {name}" in page
            assert f'name="next" value="{url}{query}"' in page


def test_nothing_the_pages_keep_lives_forever(review, reviewer, client, settings):
    """Every reviewer page read with a Redis cache (its own), then every key in it: each has an expiry."""
    from django.core.cache import caches

    from tests.processes import Redis

    redis = Redis().start()
    try:
        settings.CACHES = {"default": {"BACKEND": "portal.lib.cache.RedisCache", "LOCATION": redis.url}}
        client.force_login(reviewer)
        cycle = review.cycle
        codes = [factories.member_state(code).pk for code in ("AT", "BE")]
        urls = [reverse("reporting:review", args=[review.pk]),
                reverse("reporting:review_member_states", args=[review.pk]),
                reverse("reporting:dashboard", args=[cycle.pk]), reverse("assessments:submissions", args=[cycle.pk]),
                reverse("reporting:compare", args=[cycle.pk]) + "?" + "&".join(
                    [f"member_states={pk}" for pk in codes] + ["section=scenarios"])]
        for url in urls:
            assert client.get(url).status_code == 200, url
        store = caches["default"]._cache.get_client()
        keys = store.keys("*")
        assert any(b"rendered:" in key for key in keys)  # the review's figures and the comparison were kept
        assert {key: store.ttl(key) for key in keys if store.ttl(key) < 0} == {}
    finally:
        caches["default"].close()
        redis.stop()


def test_an_admins_edit_of_a_catalogue_title_reaches_the_kept_review_page(client, review, reviewer, admin_user):
    """A done review's figures are kept rendered, with the catalogue's titles in them: an admin's correction of a
    title in the Django admin shows on the reviewer's next request, not when the kept copy expires."""
    from assessments.models import RiskScenario

    r4 = RiskScenario.objects.get(code="R4")
    url = reverse("reporting:review", args=[review.pk])
    compare = reverse("reporting:compare", args=[review.cycle_id]) + "?section=scenarios&" + "&".join(
        f"member_states={factories.member_state(code).pk}" for code in ("AT", "BE"))
    client.force_login(reviewer)
    assert r4.title in client.get(url).content.decode()
    assert r4.title in client.get(compare).content.decode()
    client.force_login(admin_user)
    change = reverse("admin:assessments_riskscenario_change", args=[r4.pk]) + "?language=en"
    response = client.post(change, {"code": "R4", "title": "Dependency on any one supplier (corrected)",
                                    "position": r4.position, "category": r4.category_id, "is_strategic": "on",
                                    "edition": r4.edition_id, "continues-TOTAL_FORMS": "0",
                                    "continues-INITIAL_FORMS": "0"})
    assert response.status_code == 302, response.content.decode()[:2000]
    client.force_login(reviewer)
    for page in (client.get(url).content.decode(), client.get(compare).content.decode()):
        assert "Dependency on any one supplier (corrected)" in page
        assert r4.title not in page
