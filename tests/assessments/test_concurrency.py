"""Two reporters on one draft: nothing is overwritten silently."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import ScopeAnswer, Section, SectionState, UnsavedInput
from tests import factories
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    return factories.user("reporter", "AT", username="bernd-at")


def scope_url(draft):
    return reverse("assessments:section", args=[draft.pk, Section.SCOPE.value])


def test_the_second_save_from_the_same_revision_is_refused_and_the_first_is_intact(draft, reporter_at, colleague):
    # Both opened the section at revision 0.
    anna = helpers.post_data(draft, Section.SCOPE, **{"scope-summary": "Anna's summary"})
    bernd = helpers.post_data(draft, Section.SCOPE, **{"scope-summary": "Bernd's summary"})
    first = services.section_save(assessment=draft, section=Section.SCOPE, data=anna, base_revision=0,
                                  user=reporter_at)
    second = services.section_save(assessment=draft, section=Section.SCOPE, data=bernd, base_revision=0,
                                   user=colleague)
    assert first.outcome is services.Outcome.SAVED
    assert second.outcome is services.Outcome.CONFLICT
    assert ScopeAnswer.objects.get(assessment=draft, version=None).summary == "Anna's summary"
    assert SectionState.objects.get(assessment=draft, section=Section.SCOPE).revision == 1
    # Bernd's words are not lost either.
    kept = UnsavedInput.objects.get(user=colleague)
    assert kept.data["scope-summary"] == ["Bernd's summary"] and kept.base_revision == 0


def test_the_refused_reporter_sees_both_versions_side_by_side_and_chooses(draft, reporter_at, colleague):
    anna, bernd = Client(), Client()
    anna.force_login(reporter_at)
    bernd.force_login(colleague)
    data_anna = helpers.post_data(draft, Section.SCOPE, **{"scope-summary": "Anna's summary"})
    data_bernd = helpers.post_data(draft, Section.SCOPE, **{"scope-summary": "Bernd's summary"})
    assert anna.post(scope_url(draft), data_anna).status_code == 302

    response = bernd.post(scope_url(draft), data_bernd)
    page = response.content.decode()
    assert response.status_code == 409
    assert "A colleague saved this section after you opened it" in page
    assert "Anna&#x27;s summary" in page and "Bernd&#x27;s summary" in page
    assert ScopeAnswer.objects.get(assessment=draft, version=None).summary == "Anna's summary"

    # Coming back later, Bernd still finds the comparison, then keeps his own version.
    assert bernd.get(scope_url(draft)).status_code == 409
    bernd.post(reverse("assessments:resolve_conflict", args=[draft.pk, "scope"]), {"keep": "mine"})
    assert ScopeAnswer.objects.get(assessment=draft, version=None).summary == "Bernd's summary"
    assert not UnsavedInput.objects.exists()


def test_keeping_the_saved_version_discards_only_ones_own_input(draft, reporter_at, colleague):
    services.section_save(assessment=draft, section=Section.SCOPE, base_revision=0, user=reporter_at,
                          data=helpers.post_data(draft, Section.SCOPE, **{"scope-summary": "Anna's"}))
    services.section_save(assessment=draft, section=Section.SCOPE, base_revision=0, user=colleague,
                          data=helpers.post_data(draft, Section.SCOPE, **{"scope-summary": "Bernd's"}))
    client = Client()
    client.force_login(colleague)
    client.post(reverse("assessments:resolve_conflict", args=[draft.pk, "scope"]), {"keep": "theirs"})
    assert ScopeAnswer.objects.get(assessment=draft, version=None).summary == "Anna's"
    assert not UnsavedInput.objects.filter(user=colleague).exists()


def test_autosave_reports_the_conflict(client, draft, reporter_at, colleague):
    services.section_save(assessment=draft, section=Section.SCOPE, base_revision=0, user=colleague,
                          data=helpers.post_data(draft, Section.SCOPE, **{"scope-summary": "Bernd's"}))
    client.force_login(reporter_at)
    data = helpers.post_data(draft, Section.SCOPE, **{"scope-summary": "Anna's", "_revision": 0})
    body = client.post(scope_url(draft), data, headers={"X-Autosave": "1"}).json()
    assert body["status"] == "conflict"
    assert ScopeAnswer.objects.get(assessment=draft, version=None).summary == "Bernd's"
