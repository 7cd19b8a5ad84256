"""An authority's tool delivers its assessment through the API only; a reviewer reads the same version back."""

import hashlib
import json

import pytest
from auditlog.models import LogEntry

from assessments.models import AssessmentVersion, NationalAssessment, SectionState
from portal.api.errors import Cursor
from portal.models import Role, TokenScope
from tests import factories
from tests.api.helpers import PDF, ApiClient, token_for
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


def answer_for(field, item):
    """What a tool would answer, read from the questionnaire's description of the field alone."""
    if field["kind"] == "choice":
        choices = [c["value"] for c in field["choices"]]
        for preferred in ("iso27005", "2", "adopted", "no", "low", "stable"):
            if preferred in choices:
                return preferred
        return choices[0]
    if field["kind"] == "decimal":
        return "60" if field["name"] == "share_core" else ""
    if field["kind"] == "date":
        return ""
    if field["name"] in ("note", "method_detail"):
        return ""
    return f"Answer about {item or 'scope'}."


def values_for(section):
    values = {}
    for part in section["parts"]:
        items = part["items"]
        if part["prefix"] == "suppliers":
            items = [item for item in items if item["key"] == "Ericsson"]
        for item in items if items is not None else [None]:
            for field in part["fields"]:
                key = (f"{part['prefix']}.{field['name']}" if item is None
                       else f"{part['prefix']}.{item['key']}.{field['name']}")
                values[key] = answer_for(field, item and item["key"])
    return values


@pytest.fixture
def cycle(db):
    return helpers.cycle_with_questionnaire(codes=["AT", "FR"])


def test_a_tool_delivers_a_whole_assessment_and_the_reviewer_reads_the_same_version(cycle, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lead = factories.user(Role.LEAD_REPORTER, "AT")
    tool = ApiClient(token_for(lead))
    cycles = tool.get("/api/v1/cycles/").json()
    assert [c["id"] for c in cycles["results"]] == [cycle.pk] and cycles["results"][0]["assessment"] is None
    questionnaire = tool.get(f"/api/v1/cycles/{cycle.pk}/questionnaire/").json()
    started = tool.post(f"/api/v1/cycles/{cycle.pk}/assessment/")
    assert started.status_code == 201, started.content
    assessment = started.json()
    assert assessment["member_state"] == "AT" and assessment["may_submit"]
    revisions = {s["code"]: s["revision"] for s in assessment["sections"]}
    for section in questionnaire["sections"]:
        if section["code"] not in revisions:
            continue  # attachments: not through this version of the API
        url = f"/api/v1/assessments/{assessment['id']}/sections/{section['code']}/"
        values = values_for(section)
        response = tool.patch(url, {"revision": tool.get(url).json()["revision"], "values": values})
        assert response.status_code == 200, (section["code"], response.content)
        assert response.json()["missing"] == [], section["code"]
        assert response.json()["values"]["scope.summary" if section["code"] == "scope" else next(iter(values))] \
            == next(v for k, v in values.items() if k == ("scope.summary" if section["code"] == "scope"
                                                           else next(iter(values))))
    attached = tool.upload(f"/api/v1/assessments/{assessment['id']}/attachments/", "national-method.pdf", PDF)
    assert attached.status_code == 201, attached.content
    assert attached.json()["sha256"] == hashlib.sha256(PDF).hexdigest()
    again = tool.upload(f"/api/v1/assessments/{assessment['id']}/attachments/", "same-again.pdf", PDF)
    assert again.status_code == 400 and "attached already" in again.json()["errors"]["file"][0]
    listed = tool.get(f"/api/v1/assessments/{assessment['id']}/attachments/").json()["results"]
    assert [a["name"] for a in listed] == [attached.json()["name"]]
    submitted = tool.post(f"/api/v1/assessments/{assessment['id']}/submit/", {"certify": True})
    assert submitted.status_code == 201, submitted.content
    version = submitted.json()
    assert NationalAssessment.objects.get(pk=assessment["id"]).status == "submitted"
    # Audited as the page's submission: the event, its actor, its assessment.
    entry = LogEntry.objects.get(additional_data__event="submitted")
    assert entry.actor == lead and entry.additional_data["assessment"] == assessment["id"]

    reviewer = ApiClient(token_for(factories.user(Role.REVIEWER), scope=TokenScope.READ))
    listed = reviewer.get(f"/api/v1/cycles/{cycle.pk}/submissions/").json()["results"]
    assert [(v["member_state"], v["number"], v["sha256"]) for v in listed] == [("AT", 1, version["sha256"])]
    response = reviewer.get(f"/api/v1/assessments/{assessment['id']}/versions/1/")
    assert response["Cache-Control"] == "no-store"  # a version never stays in a cache, as on the pages
    read = response.json()
    canonical = json.dumps(read["snapshot"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert read["sha256"] == version["sha256"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert read["snapshot"]["answers"] == AssessmentVersion.objects.get().snapshot["answers"]
    assert read["snapshot"]["submitted_by"] == lead.username
    assert [a["sha256"] for a in read["snapshot"]["attachments"]] == [hashlib.sha256(PDF).hexdigest()]
    # The reviewer never sees the draft itself.
    assert reviewer.get(f"/api/v1/assessments/{assessment['id']}/").status_code == 404


@pytest.fixture
def draft(cycle):
    lead = factories.user(Role.LEAD_REPORTER, "AT")
    return helpers.start(cycle, lead), lead


def section_url(assessment, code="scope"):
    return f"/api/v1/assessments/{assessment.pk}/sections/{code}/"


def test_a_conflict_answers_409_with_the_current_revision_and_both_values(draft):
    assessment, lead = draft
    colleague = ApiClient(token_for(factories.user(Role.REPORTER, "AT")))
    tool = ApiClient(token_for(lead))
    assert colleague.patch(section_url(assessment), {"revision": 0, "values": {"scope.summary": "Theirs."}}
                           ).status_code == 200
    response = tool.patch(section_url(assessment), {"revision": 0, "values": {"scope.summary": "Mine."}})
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith(":conflict") and body["status"] == 409 and body["revision"] == 1
    assert body["conflicts"] == {"scope.summary": {"base": "", "theirs": "Theirs.", "mine": "Mine."}}
    # Resent from the current revision: saved.
    again = tool.patch(section_url(assessment), {"revision": body["revision"], "values": {"scope.summary": "Mine."}})
    assert again.status_code == 200 and again.json()["values"]["scope.summary"] == "Mine."


def test_a_colleagues_other_change_merges_without_conflict(draft):
    assessment, lead = draft
    ApiClient(token_for(factories.user(Role.REPORTER, "AT"))).patch(
        section_url(assessment), {"revision": 0, "values": {"scope.method": "iso27005"}})
    response = ApiClient(token_for(lead)).patch(section_url(assessment),
                                                {"revision": 0, "values": {"scope.summary": "Mine."}})
    assert response.status_code == 200
    assert response.json()["values"]["scope.method"] == "iso27005" and response.json()["revision"] == 2


def test_a_file_that_is_not_what_it_says_is_refused_with_the_pages_reason(draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assessment, lead = draft
    response = ApiClient(token_for(lead)).upload(f"/api/v1/assessments/{assessment.pk}/attachments/", "risks.pdf",
                                                 b"MZ\x90\x00 not a pdf at all")
    assert response.status_code == 400 and response.json()["errors"]["file"]
    assert not assessment.attachments.exists()


def test_invalid_input_answers_400_with_errors_by_stable_key(draft):
    assessment, lead = draft
    tool = ApiClient(token_for(lead))
    response = tool.patch(section_url(assessment, "scenarios"), {"revision": 0, "values": {
        "scenarios.R4.likelihood": "5", "scenarios.R4.impact": "5", "scenarios.R1.impact": "99",
        "scenarios.R99.impact": "1"}})
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert set(response.json()["errors"]) == {"scenarios.R99.impact"}  # unknown answers first: nothing applied
    response = tool.patch(section_url(assessment, "scenarios"), {"revision": 0, "values": {
        "scenarios.R4.likelihood": "5", "scenarios.R4.impact": "5", "scenarios.R1.impact": "99"}})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"scenarios.R4.justification", "scenarios.R1.impact"}
    assert "justification" in errors["scenarios.R4.justification"][0]
    assert SectionState.objects.get(assessment=assessment, section="scenarios").revision == 0
    malformed = tool.patch(section_url(assessment), {"values": "no"})
    assert malformed.status_code == 400 and set(malformed.json()["errors"]) == {"revision", "values"}


def test_a_locked_draft_refuses_writes_with_403_locked(draft):
    assessment, lead = draft
    NationalAssessment.objects.filter(pk=assessment.pk).update(status="accepted")  # frozen: no longer editable
    tool = ApiClient(token_for(lead))
    response = tool.patch(section_url(assessment), {"revision": 0, "values": {"scope.summary": "Late."}})
    assert response.status_code == 403 and response.json()["type"].endswith(":locked")
    locked = tool.post(f"/api/v1/assessments/{assessment.pk}/submit/", {"certify": True})
    assert locked.json()["type"].endswith(":locked")
    assert tool.get(section_url(assessment)).status_code == 200  # still readable


def test_submitting_an_incomplete_draft_says_what_is_missing(draft):
    assessment, lead = draft
    response = ApiClient(token_for(lead)).post(f"/api/v1/assessments/{assessment.pk}/submit/", {"certify": True})
    assert response.status_code == 400 and response.json()["type"].endswith(":incomplete")
    assert "scope" in response.json()["missing"]


def test_a_reporter_may_write_but_not_submit(draft):
    assessment, _lead = draft
    helpers.fill(assessment)
    reporter = ApiClient(token_for(factories.user(Role.REPORTER, "AT")))
    refused = reporter.post(f"/api/v1/assessments/{assessment.pk}/submit/", {"certify": True})
    assert refused.status_code == 403 and refused.json()["type"].endswith(":permission_denied")  # as the page
    assert not assessment.versions.exists()


def test_another_member_states_draft_is_404(draft):
    assessment, _lead = draft
    other = ApiClient(token_for(factories.user(Role.LEAD_REPORTER, "FR")))
    assert other.upload(f"/api/v1/assessments/{assessment.pk}/attachments/", "x.pdf", PDF).status_code == 404
    for url in (f"/api/v1/assessments/{assessment.pk}/", section_url(assessment),
                f"/api/v1/assessments/{assessment.pk}/versions/", f"/api/v1/assessments/{assessment.pk}/attachments/"):
        response = other.get(url)
        assert response.status_code == 404 and response.json()["type"] == "urn:5g-portal:problem:not_found", url
    assert other.patch(section_url(assessment), {"revision": 0, "values": {"scope.summary": "x"}}).status_code == 404
    assert other.post(f"/api/v1/assessments/{assessment.pk}/submit/", {"certify": True}).status_code == 404


def test_staff_list_only_their_cycles_and_reviewers_see_no_draft(cycle):
    helpers.cycle_with_questionnaire(title="Someone else's", codes=["FR"])
    at = ApiClient(token_for(factories.user(Role.REPORTER, "AT")))
    assert [c["title"] for c in at.get("/api/v1/cycles/").json()["results"]] == [cycle.title]
    assert at.get(f"/api/v1/cycles/{cycle.pk}/submissions/").status_code == 404  # reviewers only


def test_lists_are_cursor_paginated(cycle, settings):
    for year in range(2030, 2033):
        helpers.cycle_with_questionnaire(title=f"Cycle {year}", codes=["AT"], year=year)
    reviewer = ApiClient(token_for(factories.user(Role.REVIEWER)))
    Cursor.page_size, saved = 2, Cursor.page_size
    try:
        first = reviewer.get("/api/v1/cycles/").json()
        second = reviewer.client.get(first["next"]).json()
    finally:
        Cursor.page_size = saved
    assert len(first["results"]) == 2 and len(second["results"]) == 2 and first["previous"] is None
    assert not {c["id"] for c in first["results"]} & {c["id"] for c in second["results"]}


def test_a_revision_the_section_never_had_merges_only_identical_values(draft):
    assessment, lead = draft
    tool = ApiClient(token_for(lead))
    assert tool.patch(section_url(assessment), {"revision": 0, "values": {"scope.summary": "Theirs."}}
                      ).status_code == 200
    response = tool.patch(section_url(assessment), {"revision": 99, "values": {"scope.summary": "Mine."}})
    assert response.status_code == 409
    assert response.json()["conflicts"] == {"scope.summary": {"base": None, "theirs": "Theirs.", "mine": "Mine."}}


def test_a_refusal_speaks_the_language_the_tool_asks_for(draft):
    assessment, lead = draft
    NationalAssessment.objects.filter(pk=assessment.pk).update(status="accepted")
    tool = ApiClient(token_for(lead))
    tool.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    response = tool.patch(section_url(assessment), {"revision": 0, "values": {"scope.summary": "Tard."}})
    assert response.status_code == 403 and response.json()["detail"].startswith("Le projet est verrouillé")
