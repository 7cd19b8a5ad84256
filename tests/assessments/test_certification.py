"""A certified submission (issue 32): the lead reporter vouches for the content, bound to its SHA-256; a cycle may ask
a second certifier, who must certify the same content before the version is made; a change in between voids the
first certification."""

import html
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments import services
from assessments.models import AssessmentVersion, Certification, Section
from assessments.snapshots import draft_content
from portal import audit
from portal.models import Role
from tests import factories
from tests.api.helpers import ApiClient, token_for
from tests.assessments import helpers

pytestmark = pytest.mark.django_db

STATEMENT = "I certify that this national assessment is complete and accurate to the best of my authority's knowledge."
ON_THE_PAGE = html.escape(STATEMENT)


@pytest.fixture
def two_certifiers(cycle):
    cycle.certifiers_required = 2
    cycle.save()
    return cycle


@pytest.fixture
def second_lead(db):
    return factories.user(Role.LEAD_REPORTER, "AT", username="lea-at")


def submit_page(client, draft, **data):
    return client.post(reverse("assessments:submit", args=[draft.pk]), data)


def test_a_submission_without_the_certification_is_refused_beside_it_and_nothing_is_submitted(client, draft, lead_at):
    helpers.fill(draft)
    client.force_login(lead_at)
    page = client.get(reverse("assessments:submit", args=[draft.pk])).content.decode()
    assert ON_THE_PAGE in page and 'name="certify"' in page
    refused = submit_page(client, draft)
    assert refused.status_code == 400
    assert "Certify that the assessment is complete and accurate before submitting it." in refused.content.decode()
    assert 'id="certify-error"' in refused.content.decode()
    api = ApiClient(token_for(lead_at)).post(f"/api/v1/assessments/{draft.pk}/submit/", {})
    assert api.status_code == 400 and list(api.json()["errors"]) == ["certify"]
    assert not AssessmentVersion.objects.exists() and not Certification.objects.exists()


def test_the_certification_is_bound_to_the_version_s_hash_and_printed_on_the_receipt_and_document(
        client, draft, lead_at):
    helpers.fill(draft)
    content = draft_content(draft).sha256
    client.force_login(lead_at)
    assert submit_page(client, draft, certify="1").status_code == 302
    version = AssessmentVersion.objects.get(assessment=draft)
    certified = version.snapshot["certified_by"]
    assert [(c["name"], c["role"], c["content_sha256"], c["statement"]) for c in certified] == [
        (lead_at.display_name, Role.LEAD_REPORTER, content, STATEMENT)]
    assert version.snapshot["content_sha256"] == content
    assert AssessmentVersion.digest(version.snapshot) == version.sha256  # the version's hash covers who vouched
    assert Certification.objects.get().version == version

    receipt = client.get(reverse("assessments:receipt", args=[draft.pk, 1])).content.decode()
    assert "Certified by" in receipt and lead_at.display_name in receipt and content in receipt
    pdf = client.get(reverse("assessments:receipt_pdf", args=[draft.pk, 1]))
    printed = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Certified by" in printed and lead_at.display_name in printed
    document = client.get(reverse("assessments:version_document", args=[draft.pk, 1])).content.decode()
    assert "Certified by" in document and ON_THE_PAGE in document


def test_with_two_certifiers_the_version_is_made_when_a_second_lead_certifies_the_same_content(
        client, two_certifiers, draft, lead_at, second_lead):
    helpers.fill(draft)
    content = draft_content(draft).sha256
    client.force_login(lead_at)
    first = submit_page(client, draft, certify="1")
    assert first.status_code == 302 and first.url == reverse("assessments:submit", args=[draft.pk])
    assert not AssessmentVersion.objects.exists()
    again = client.get(first.url).content.decode()
    assert "Your certification is recorded" in again and "A second lead reporter must certify it too" in again
    with pytest.raises(services.CertificationWaiting):  # the same person twice is still one certifier
        services.assessment_submit(assessment=draft, user=lead_at, certify=True)
    assert not AssessmentVersion.objects.exists()

    client.force_login(second_lead)
    page = client.get(reverse("assessments:submit", args=[draft.pk])).content.decode()
    assert content in page and "the content as it is now" in page and "Submit to the Commission and ENISA" in page
    assert submit_page(client, draft, certify="1").status_code == 302
    version = AssessmentVersion.objects.get(assessment=draft)
    assert version.submitted_by == second_lead
    assert [c["name"] for c in version.snapshot["certified_by"]] == [lead_at.display_name, second_lead.display_name]
    assert {c["content_sha256"] for c in version.snapshot["certified_by"]} == {content}
    receipt = client.get(reverse("assessments:receipt", args=[draft.pk, 1])).content.decode()
    assert lead_at.display_name in receipt and second_lead.display_name in receipt
    assert audit.entries().filter(additional_data__event=audit.Event.CERTIFIED).count() == 1


def test_a_change_after_certifying_voids_the_certification(client, two_certifiers, draft, lead_at, second_lead,
                                                          reporter_at):
    helpers.fill(draft)
    client.force_login(lead_at)
    submit_page(client, draft, certify="1")
    client.force_login(reporter_at)  # a colleague changes the draft after the lead certified it
    data = helpers.post_data(draft, Section.SCOPE, **{"scope-summary": "Changed after the certification."})
    assert client.post(reverse("assessments:section", args=[draft.pk, "scope"]), data).status_code == 302

    client.force_login(second_lead)
    page = client.get(reverse("assessments:submit", args=[draft.pk])).content.decode()
    assert "void: the draft changed after this certification" in page and "Certify this content" in page
    assert submit_page(client, draft, certify="1").status_code == 302
    assert not AssessmentVersion.objects.exists()  # the two certifications name different content

    client.force_login(lead_at)
    assert submit_page(client, draft, certify="1").status_code == 302
    version = AssessmentVersion.objects.get(assessment=draft)
    assert version.snapshot["answers"]["scope"]["summary"] == "Changed after the certification."
    assert [c["name"] for c in version.snapshot["certified_by"]] == [second_lead.display_name, lead_at.display_name]
    assert not Certification.objects.waiting().exists()  # the void one went with the submission


def test_the_api_answers_202_for_the_first_of_two_certifications(two_certifiers, draft, lead_at, second_lead):
    helpers.fill(draft)
    first = ApiClient(token_for(lead_at)).post(f"/api/v1/assessments/{draft.pk}/submit/", {"certify": True})
    assert first.status_code == 202 and first.json()["content_sha256"] == draft_content(draft).sha256
    second = ApiClient(token_for(second_lead)).post(f"/api/v1/assessments/{draft.pk}/submit/", {"certify": True})
    assert second.status_code == 201
    assert len(second.json()["certified_by"]) == 2 and second.json()["snapshot"]["certified_by"]


def test_a_cycle_asks_one_or_two_certifiers_and_no_other_number(client, cycle, admin_user):
    client.force_login(admin_user)
    data = {"title": cycle.title, "year": cycle.year, "starts_on": cycle.starts_on.isoformat(),
            "reminder_days": "14,7,1", "certifiers_required": "3"}
    refused = client.post(reverse("cycle_edit", args=[cycle.pk]), data)
    assert refused.status_code == 400 and "Select a valid choice" in refused.content.decode()
    assert client.post(reverse("cycle_edit", args=[cycle.pk]), {**data, "certifiers_required": "2"}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.certifiers_required == 2
