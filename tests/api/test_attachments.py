"""One attachment through the API: read, download (audited), take out of the draft; the attachments page's rules."""

import hashlib

import pytest
from auditlog.models import LogEntry

from assessments import services
from assessments.models import Attachment
from portal.models import Role, TokenScope
from tests import factories
from tests.api.helpers import PDF, ApiClient, token_for
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def attached(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cycle = helpers.cycle_with_questionnaire(codes=["AT", "FR"])
    lead = factories.user(Role.LEAD_REPORTER, "AT")
    assessment = helpers.start(cycle, lead)
    tool = ApiClient(token_for(lead))
    response = tool.upload(f"/api/v1/assessments/{assessment.pk}/attachments/", "national-method.pdf", PDF)
    assert response.status_code == 201, response.content
    return assessment, lead, tool, f"/api/v1/assessments/{assessment.pk}/attachments/{response.json()['id']}/"


def test_the_draft_s_writers_read_download_and_remove_an_attachment(attached):
    assessment, lead, tool, url = attached
    body = tool.get(url).json()
    assert (body["name"], body["content_type"], body["sha256"]) == (
        "national-method.pdf", "application/pdf", hashlib.sha256(PDF).hexdigest())
    download = tool.client.get(url + "file", HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    assert 'attachment; filename="national-method.pdf"' == download["Content-Disposition"]
    entry = LogEntry.objects.get(additional_data__event="downloaded")  # as the page's download
    assert entry.actor == lead and entry.additional_data["what"] == "attachment"

    colleague = ApiClient(token_for(factories.user(Role.REPORTER, "AT")))
    assert colleague.client.delete(url).status_code == 204
    assert not Attachment.objects.in_draft().exists()
    assert tool.get(f"/api/v1/assessments/{assessment.pk}/attachments/").json()["results"] == []
    assert tool.client.delete(url).status_code == 404  # removed already


def test_no_removal_once_submitted_and_the_version_still_serves_it(attached, settings):
    assessment, lead, tool, url = attached
    helpers.fill(assessment)
    services.assessment_submit(certify=True, assessment=assessment, user=lead)
    refused = tool.client.delete(url)
    assert refused.status_code == 403 and refused.json()["type"].endswith(":locked")
    assert Attachment.objects.in_draft().count() == 1
    # The version cites it: a reviewer reads and downloads it, the draft stays out of reach.
    reviewer = ApiClient(token_for(factories.user(Role.REVIEWER)))
    assert reviewer.get(url).json()["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert b"".join(reviewer.client.get(url + "file").streaming_content) == PDF
    assert reviewer.client.delete(url).status_code == 404


def test_others_get_404_readers_who_may_not_change_403(attached):
    assessment, lead, _tool, url = attached
    other = ApiClient(token_for(factories.user(Role.LEAD_REPORTER, "FR")))
    for response in (other.get(url), other.client.get(url + "file"), other.client.delete(url)):
        assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    # A draft is no reviewer's business, even its attachments.
    assert ApiClient(token_for(factories.user(Role.REVIEWER))).get(url).status_code == 404
    admin = ApiClient(token_for(factories.user(Role.ADMIN)))
    assert admin.get(url).status_code == 200 and admin.client.delete(url).status_code == 403
    read_only = ApiClient(token_for(lead, scope=TokenScope.READ, name="notebook"))
    refused = read_only.client.delete(url)
    assert refused.status_code == 403 and refused.json()["type"].endswith(":read_only_token")
    assert Attachment.objects.in_draft().count() == 1
    # A refusal is problem+json whatever the client said it accepts.
    refused = other.client.get(url + "file", HTTP_ACCEPT="application/pdf")
    assert refused.status_code == 404 and refused.json()["type"].endswith(":not_found")
