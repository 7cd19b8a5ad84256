"""Last cycle's answers through the API, as on the pages: prefill from one's own earlier version, carried-over
answers listed until edited or confirmed, and never another member state's version."""

import pytest

from assessments.models import AssessmentVersion, NationalAssessment
from tests.api.helpers import ApiClient, token_for
from tests.assessments.test_carryover import earlier, update_cycle  # noqa: F401 -- the same two cycles

pytestmark = pytest.mark.django_db


def test_a_tool_starts_from_its_last_version_reads_and_settles_what_was_carried(update_cycle, earlier,  # noqa: F811
                                                                                lead_at):
    api = ApiClient(token_for(lead_at))
    french = AssessmentVersion.objects.get(assessment__member_state__eu_code="FR")
    start = f"/api/v1/cycles/{update_cycle.pk}/assessment/"
    refused = api.post(start, {"start_from": french.pk})
    assert refused.status_code == 400 and "start_from" in refused.json()["errors"]
    assert not NationalAssessment.objects.filter(cycle=update_cycle).exists()

    started = api.post(start, {"start_from": earlier.pk})
    assert started.status_code == 201
    draft = started.json()["id"]
    scope = api.get(f"/api/v1/assessments/{draft}/sections/scope/").json()
    assert scope["values"]["scope.summary"].startswith("Since version 2")
    assert "scope.summary" in scope["carried_over"] and "scope.operators_consulted" in scope["carried_over"]

    edited = api.patch(f"/api/v1/assessments/{draft}/sections/scope/",
                       {"revision": scope["revision"], "values": {"scope.summary": "Rewritten by our tool."}})
    assert edited.status_code == 200
    assert "scope.summary" not in edited.json()["carried_over"]
    assert "scope.operators_consulted" in edited.json()["carried_over"]

    r4 = api.post(f"/api/v1/assessments/{draft}/sections/scenarios/still-holds/", {"question": "R4"}).json()
    assert not [key for key in r4["carried_over"] if key.startswith("scenarios.R4.")]
    assert [key for key in r4["carried_over"] if key.startswith("scenarios.R5.")]
    everything = api.post(f"/api/v1/assessments/{draft}/sections/scenarios/still-holds/", {}).json()
    assert everything["carried_over"] == []


def test_another_member_state_cannot_confirm_through_the_api(update_cycle, earlier, lead_at, reporter_fr):  # noqa: F811
    draft = ApiClient(token_for(lead_at)).post(f"/api/v1/cycles/{update_cycle.pk}/assessment/",
                                              {"start_from": earlier.pk}).json()["id"]
    response = ApiClient(token_for(reporter_fr)).post(f"/api/v1/assessments/{draft}/sections/scope/still-holds/", {})
    assert response.status_code == 404
