"""Handling markings on what a member state shares: the draft's, chosen by its team; a version's, chosen at
submission; TLP:RED read by the reviewers it names only, on every page and in the API; the banner on each page."""

import re

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentVersion, NationalAssessment
from portal.markings import Marking
from portal.models import Role
from tests import factories
from tests.api.helpers import ApiClient, token_for
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def banners(response):
    """The markings the page's banners show, top and bottom."""
    return re.findall(r'class="tlp-banner tlp-banner-(?:top|bottom)" role="note" data-marking="([^"]+)"',
                      response.content.decode())


@pytest.fixture
def named(db):
    return factories.user(Role.REVIEWER, username="nina-named")


@pytest.fixture
def red_version(draft, lead_at, named):
    """Austria's version 1, marked TLP:RED for `named` alone."""
    helpers.fill(draft)
    return services.assessment_submit(certify=True, assessment=draft, user=lead_at, marking=Marking.RED,
                                      shared_with=[named])


def test_the_database_refuses_a_marking_that_is_no_tlp_label(draft, lead_at):
    with transaction.atomic(), pytest.raises(IntegrityError):
        NationalAssessment.objects.filter(pk=draft.pk).update(marking="TLP:PINK")
    helpers.fill(draft)
    version = services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    with transaction.atomic(), pytest.raises(IntegrityError):
        AssessmentVersion.objects.filter(pk=version.pk).update(marking="tlp:red")


def test_a_draft_starts_amber_strict_and_its_team_changes_it_on_the_activity_page(client, draft, reporter_at,
                                                                                   lead_at):
    assert draft.marking == Marking.AMBER_STRICT
    client.force_login(reporter_at)
    overview = client.get(reverse("assessments:overview", args=[draft.pk]))
    assert banners(overview) == ["TLP:AMBER+STRICT", "TLP:AMBER+STRICT"]
    response = client.post(reverse("assessments:draft_marking", args=[draft.pk]), {"marking": "TLP:AMBER"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.marking == Marking.AMBER
    entry = LogEntry.objects.get(additional_data__event="marked")
    assert {"of": "draft", "marking": "TLP:AMBER", "before": "TLP:AMBER+STRICT"}.items() \
        <= entry.additional_data.items()
    assert "The draft is now marked TLP:AMBER." in text(client.get(reverse("assessments:overview", args=[draft.pk])))
    client.force_login(lead_at)
    activity = text(client.get(reverse("assessments:activity", args=[draft.pk])))
    assert "changed the marking of the draft" in activity and "from TLP:AMBER+STRICT to TLP:AMBER" in activity


def test_a_marking_that_is_no_label_is_refused_beside_the_field(client, draft, reporter_at):
    client.force_login(reporter_at)
    response = client.post(reverse("assessments:draft_marking", args=[draft.pk]), {"marking": "TLP:PINK"})
    assert response.status_code == 400
    assert 'id="error_1_id_marking"' in response.content.decode() or "is-invalid" in response.content.decode()
    draft.refresh_from_db()
    assert draft.marking == Marking.AMBER_STRICT


def test_a_reviewer_cannot_change_a_drafts_marking(client, draft, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("assessments:draft_marking", args=[draft.pk]), {"marking": "TLP:CLEAR"})
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.marking == Marking.AMBER_STRICT


def test_the_submit_page_offers_the_drafts_marking_and_a_submission_that_says_nothing_takes_it(
        client, draft, lead_at):
    NationalAssessment.objects.filter(pk=draft.pk).update(marking=Marking.AMBER)
    helpers.fill(draft)
    client.force_login(lead_at)
    page = client.get(reverse("assessments:submit", args=[draft.pk]))
    assert re.search(r'<input[^>]*name="marking"[^>]*value="TLP:AMBER"[^>]*checked', page.content.decode())
    assert banners(page) == ["TLP:AMBER", "TLP:AMBER"]
    client.post(reverse("assessments:submit", args=[draft.pk]), {"certify": "1"})
    assert AssessmentVersion.objects.get(assessment=draft).marking == Marking.AMBER


def test_the_lead_reporter_chooses_the_versions_marking_and_it_is_in_the_audit_trail(client, draft, lead_at):
    helpers.fill(draft)
    client.force_login(lead_at)
    response = client.post(reverse("assessments:submit", args=[draft.pk]), {"certify": "1", "marking": "TLP:GREEN"})
    assert response.status_code == 302
    version = AssessmentVersion.objects.get(assessment=draft)
    assert version.marking == Marking.GREEN and not version.shared_with.exists()
    draft.refresh_from_db()
    assert draft.marking == Marking.AMBER_STRICT  # the draft keeps its own
    entry = LogEntry.objects.get(additional_data__event="marked")
    assert entry.additional_data["of"] == "version" and entry.additional_data["marking"] == "TLP:GREEN"
    activity = text(client.get(reverse("assessments:activity", args=[draft.pk])))
    assert "marked version 1 of" in activity and "TLP:GREEN" in activity
    receipt = client.get(reverse("assessments:receipt", args=[draft.pk, 1]))
    assert banners(receipt) == ["TLP:GREEN", "TLP:GREEN"]


def test_red_without_a_reviewer_is_refused_beside_the_field_and_nothing_is_submitted(client, draft, lead_at, named):
    helpers.fill(draft)
    client.force_login(lead_at)
    response = client.post(reverse("assessments:submit", args=[draft.pk]), {"certify": "1", "marking": "TLP:RED"})
    assert response.status_code == 400
    page = text(response)
    assert "name at least one" in page
    # Beside the reviewers' choice, in the field's own block, which names it as what describes the choice.
    field = re.search(r'id="div_id_shared_with".*?</fieldset>', page).group(0)
    assert "name at least one" in field and "nina-named" in field and 'aria-describedby="id_shared_with' in field
    assert not AssessmentVersion.objects.exists()


def test_red_names_only_reviewers(draft, lead_at, reporter_fr):
    helpers.fill(draft)
    with pytest.raises(services.MarkingRefused) as refused:
        services.assessment_submit(certify=True, assessment=draft, user=lead_at, marking=Marking.RED,
                                   shared_with=[reporter_fr])
    assert refused.value.field == "shared_with"
    assert not AssessmentVersion.objects.exists()


def test_red_with_a_reviewer_named_is_submitted_and_shared_with_them(client, draft, lead_at, named):
    helpers.fill(draft)
    client.force_login(lead_at)
    response = client.post(reverse("assessments:submit", args=[draft.pk]),
                           {"certify": "1", "marking": "TLP:RED", "shared_with": [named.pk]})
    assert response.status_code == 302
    version = AssessmentVersion.objects.get(assessment=draft)
    assert version.marking == Marking.RED and list(version.shared_with.all()) == [named]


VERSION_PAGES = ["version", "receipt", "receipt_pdf", "version_document", "version_document_pdf"]


def test_a_reviewer_not_named_on_a_red_version_gets_404_on_its_pages(client, red_version, reviewer, named):
    pk, number = red_version.assessment_id, red_version.number
    client.force_login(reviewer)
    for name in VERSION_PAGES:
        assert client.get(reverse(f"assessments:{name}", args=[pk, number])).status_code == 404, name
    assert client.get(reverse("assessments:diff", args=[pk])).status_code == 404
    assert client.get(reverse("assessments:overview", args=[pk])).status_code == 404
    client.force_login(named)
    for name in VERSION_PAGES:
        assert client.get(reverse(f"assessments:{name}", args=[pk, number])).status_code == 200, name


def test_the_member_states_own_staff_read_a_red_version(client, red_version, reporter_at):
    client.force_login(reporter_at)
    page = client.get(reverse("assessments:version", args=[red_version.assessment_id, 1]))
    assert page.status_code == 200 and banners(page) == ["TLP:RED", "TLP:RED"]


def test_an_admin_sees_that_a_red_version_exists_but_not_what_it_says_unless_named(client, red_version, admin_user,
                                                                                    named):
    pk, number = red_version.assessment_id, red_version.number
    client.force_login(admin_user)
    for name in VERSION_PAGES:
        assert client.get(reverse(f"assessments:{name}", args=[pk, number])).status_code == 404, name
    assert client.get(reverse("assessments:diff", args=[pk])).status_code == 404
    # Nor act on it as a reviewer would, which reads it: ask, return, accept.
    assert client.post(reverse("assessments:ask", args=[pk]), {"message": "?"}).status_code == 404
    assert client.get(reverse("assessments:return", args=[pk])).status_code == 404
    assert client.post(reverse("assessments:accept", args=[pk])).status_code == 404
    assert ApiClient(token_for(admin_user)).get(f"/api/v1/assessments/{pk}/versions/1/").status_code == 404
    # What they see: that Austria submitted, when, under which marking (the submissions list), and whom it names
    # (the Activity page).
    listed = text(client.get(reverse("assessments:submissions", args=[red_version.assessment.cycle_id])))
    assert "Austria <span class=\"small fw-normal\">(not shared with you)" in listed and "TLP:RED" in listed
    activity = text(client.get(reverse("assessments:activity", args=[pk])))
    assert "marked version 1 of" in activity and "TLP:RED" in activity and named.username in activity
    # Named, an admin who reviews reads it as any reviewer named.
    admin_user.groups.add(Group.objects.get(name=Role.REVIEWER))
    red_version.shared_with.add(admin_user)
    assert client.get(reverse("assessments:version", args=[pk, number])).status_code == 200


def test_a_reviewer_not_named_on_a_red_version_gets_404_in_the_api(red_version, reviewer, named):
    pk = red_version.assessment_id
    api = ApiClient(token_for(reviewer))
    assert api.get(f"/api/v1/assessments/{pk}/versions/1/").status_code == 404
    assert api.get(f"/api/v1/assessments/{pk}/versions/").status_code == 404
    submissions = api.get(f"/api/v1/cycles/{red_version.assessment.cycle_id}/submissions/").json()
    assert submissions["results"] == []
    seen = ApiClient(token_for(named)).get(f"/api/v1/assessments/{pk}/versions/1/")
    assert seen.status_code == 200 and seen.json()["marking"] == "TLP:RED"


def test_every_api_representation_of_a_draft_and_a_version_says_its_marking(draft, lead_at, reviewer):
    helpers.fill(draft)
    api = ApiClient(token_for(lead_at))
    assert api.get(f"/api/v1/assessments/{draft.pk}/").json()["marking"] == "TLP:AMBER+STRICT"
    submitted = api.post(f"/api/v1/assessments/{draft.pk}/submit/", {"certify": True, "marking": "TLP:AMBER"})
    assert submitted.status_code == 201 and submitted.json()["marking"] == "TLP:AMBER"
    body = api.get(f"/api/v1/assessments/{draft.pk}/").json()
    assert body["marking"] == "TLP:AMBER+STRICT" and body["versions"][0]["marking"] == "TLP:AMBER"
    listed = ApiClient(token_for(reviewer)).get(f"/api/v1/assessments/{draft.pk}/versions/").json()
    assert listed["results"][0]["marking"] == "TLP:AMBER"


def test_the_api_refuses_red_without_a_reviewer_in_errors(draft, lead_at):
    helpers.fill(draft)
    refused = ApiClient(token_for(lead_at)).post(f"/api/v1/assessments/{draft.pk}/submit/",
                                                 {"certify": True, "marking": "TLP:RED"})
    assert refused.status_code == 400 and "shared_with" in refused.json()["errors"]
    assert not AssessmentVersion.objects.exists()


def test_the_openapi_description_names_the_marking(client, reviewer):
    client.force_login(reviewer)
    schema = client.get(reverse("api_schema")).content.decode()
    assert "TLP:AMBER+STRICT" in schema and "shared_with" in schema


def test_the_comparison_of_two_versions_shows_the_stricter_marking(client, draft, lead_at):
    helpers.fill(draft)
    services.assessment_submit(certify=True, assessment=draft, user=lead_at, marking=Marking.GREEN)
    reviewer = factories.user(Role.REVIEWER)
    services.assessment_return(assessment=draft, user=reviewer, points=[("scenarios", "R4", "Why low?")])
    draft.refresh_from_db()
    services.assessment_submit(certify=True, assessment=draft, user=lead_at, marking=Marking.AMBER)
    client.force_login(lead_at)
    page = client.get(reverse("assessments:diff", args=[draft.pk]), {"from": 1, "to": 2})
    assert page.status_code == 200 and banners(page) == ["TLP:AMBER", "TLP:AMBER"]


def test_the_drafts_pages_show_its_marking(client, draft, reporter_at):
    NationalAssessment.objects.filter(pk=draft.pk).update(marking=Marking.RED)
    client.force_login(reporter_at)
    for url in (reverse("assessments:section", args=[draft.pk, "scope"]),
                reverse("assessments:draft_document", args=[draft.pk]),
                reverse("assessments:attachments", args=[draft.pk])):
        assert banners(client.get(url)) == ["TLP:RED", "TLP:RED"], url


def test_a_page_without_marked_content_has_no_banner(client, reporter_at):
    client.force_login(reporter_at)
    assert banners(client.get("/")) == []


def test_the_submissions_list_says_each_marking_links_only_what_the_reviewer_may_open_in_fixed_queries(
        client, cycle, submit, reviewer, named, same_queries):
    submit(cycle, "AT", marking=Marking.GREEN)
    submit(cycle, "FR", marking=Marking.RED, shared_with=[named])
    url = reverse("assessments:submissions", args=[cycle.pk])
    client.force_login(reviewer)
    page = text(client.get(url))
    assert ">Austria</a>" in page and "TLP:GREEN" in page
    assert ">France</a>" not in page and "France <span class=\"small fw-normal\">(not shared with you)" in page
    assert "TLP:RED" in page
    client.force_login(named)
    assert ">France</a>" in text(client.get(url))
    same_queries(lambda: client.get(url), lambda: [submit(cycle, code, marking=Marking.RED, shared_with=[named])
                                                   for code in ("DE", "IT", "BE")])


def test_the_drafts_team_changes_its_marking_through_the_api_and_others_cannot(draft, reporter_at, reviewer,
                                                                              reporter_fr):
    path = f"/api/v1/assessments/{draft.pk}/"
    team = ApiClient(token_for(reporter_at))
    changed = team.patch(path, {"marking": "TLP:GREEN"})
    assert changed.status_code == 200 and changed.json()["marking"] == "TLP:GREEN"
    assert LogEntry.objects.filter(additional_data__event="marked", additional_data__of="draft").count() == 1
    assert team.patch(path, {"marking": "TLP:PINK"}).status_code == 400
    for outsider in (reviewer, reporter_fr):
        assert ApiClient(token_for(outsider)).patch(path, {"marking": "TLP:CLEAR"}).status_code == 404
    draft.refresh_from_db()
    assert draft.marking == Marking.GREEN
