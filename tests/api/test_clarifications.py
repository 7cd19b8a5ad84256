"""Clarification points through the API: reviewers raise, send, resolve and withdraw; the member state's staff read
the sent ones and answer; the same rules as the version and section pages."""

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.test import TestCase

from assessments import services
from assessments.models import ClarificationPoint, NationalAssessment, PointStatus, Status
from portal.models import Role, TokenScope
from tests import factories
from tests.api.helpers import ApiClient, token_for
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(submit):
    cycle = helpers.cycle_with_questionnaire(codes=["AT", "FR"])
    version = submit(cycle, "AT")
    return version.assessment, version.submitted_by


def points_url(assessment):
    return f"/api/v1/assessments/{assessment.pk}/points/"


R4 = {"section": "scenarios", "item": "R4", "field": "likelihood",
      "message": "Likelihood 2 for R4 while one supplier holds 60% of the core: which networks?"}


def test_a_reviewer_asks_sends_and_resolves_and_the_member_state_answers(submitted):
    assessment, lead = submitted
    reviewer_user = factories.user(Role.REVIEWER)
    reviewer = ApiClient(token_for(reviewer_user))
    staff = ApiClient(token_for(factories.user(Role.REPORTER, "AT")))
    raised = reviewer.post(points_url(assessment), R4)
    assert raised.status_code == 201, raised.content
    point = raised.json()
    assert (point["section"], point["item"], point["field"], point["status"], point["version"]) == (
        "scenarios", "R4", "likelihood", "draft", 1)
    assert point["raised_by"] == reviewer_user.username and point["messages"] == []
    # Unsent: reviewers' work, not the member state's yet.
    assert staff.get(points_url(assessment)).json()["results"] == []
    assert staff.get(f"{points_url(assessment)}{point['id']}/").status_code == 404

    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = reviewer.post(f"{points_url(assessment)}send/", {"comment": "One question on R4."})
    assert sent.status_code == 200 and sent.json() == {"sent": 1, "status": "returned"}
    assert NationalAssessment.objects.get(pk=assessment.pk).status == Status.RETURNED
    assert [m.to for m in mail.outbox] == [[lead.email]]
    # Sent is an event of the audit trail, as on the page.
    entry = LogEntry.objects.get(additional_data__event="returned")
    assert entry.actor == reviewer_user and entry.additional_data["assessment"] == assessment.pk

    listed = staff.get(points_url(assessment)).json()["results"]
    assert [(p["id"], p["status"], p["message"]) for p in listed] == [(point["id"], "open", R4["message"])]
    with TestCase.captureOnCommitCallbacks(execute=True):
        answered = staff.post(f"{points_url(assessment)}{point['id']}/answers/",
                              {"text": "Two of three operators use one core supplier."})
    assert answered.status_code == 201, answered.content
    assert answered.json()["status"] == "answered"
    assert [m["text"] for m in answered.json()["messages"]] == ["Two of three operators use one core supplier."]
    assert mail.outbox[-1].to == [reviewer_user.email]  # the reviewer who raised it is told

    # The reviewer reads the thread, and resolves; resolving again changes nothing.
    thread = reviewer.get(f"{points_url(assessment)}{point['id']}/").json()
    assert thread["messages"][0]["author"].startswith("reporter-at")
    resolved = reviewer.post(f"{points_url(assessment)}{point['id']}/resolve/")
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved" and resolved.json()["resolved_at"]
    assert reviewer.post(f"{points_url(assessment)}{point['id']}/resolve/").json()["status"] == "resolved"
    # Resolved: no more answers (403, as the page).
    late = staff.post(f"{points_url(assessment)}{point['id']}/answers/", {"text": "One more thing."})
    assert late.status_code == 403


def test_a_question_must_be_one_of_the_versions_answers(submitted):
    assessment, _lead = submitted
    reviewer = ApiClient(token_for(factories.user(Role.REVIEWER)))
    unknown = reviewer.post(points_url(assessment), {**R4, "item": "R99"})
    assert unknown.status_code == 400 and unknown["Content-Type"] == "application/problem+json"
    assert set(unknown.json()["errors"]) == {"item"}
    wrong_field = reviewer.post(points_url(assessment), {**R4, "field": "status"})
    assert wrong_field.status_code == 400 and "Likelihood" in wrong_field.json()["errors"]["field"][0]
    missing = reviewer.post(points_url(assessment), {"section": "nowhere"})
    assert missing.status_code == 400 and set(missing.json()["errors"]) == {"section", "message"}
    whole_section = reviewer.post(points_url(assessment), {"section": "scope", "message": "Who was consulted?"})
    assert whole_section.status_code == 201 and whole_section.json()["item"] == ""
    assert ClarificationPoint.objects.count() == 1


def test_only_reviewers_ask_and_only_the_member_states_staff_answer(submitted):
    assessment, lead = submitted
    reviewer = factories.user(Role.REVIEWER)
    point = services.clarification_draft(assessment=assessment, user=reviewer, section="scenarios", item="R4",
                                         message="Why?")
    services.clarifications_send(assessment=assessment, user=reviewer)
    url = f"{points_url(assessment)}{point.pk}/"
    at_lead = ApiClient(token_for(lead))
    fr_lead = ApiClient(token_for(factories.user(Role.LEAD_REPORTER, "FR")))
    admin = ApiClient(token_for(factories.user(Role.ADMIN)))
    # Staff do not ask, send, resolve or withdraw: the reviewers' gate answers 404, as the pages.
    assert at_lead.post(points_url(assessment), R4).status_code == 404
    assert at_lead.post(f"{points_url(assessment)}send/").status_code == 404
    assert at_lead.post(f"{url}resolve/").status_code == 404
    assert at_lead.client.delete(url).status_code == 404
    # Another member state sees nothing of it.
    for response in (fr_lead.get(points_url(assessment)), fr_lead.get(url),
                     fr_lead.post(f"{url}answers/", {"text": "Not ours."})):
        assert response.status_code == 404
    # Reviewers and admins read the thread but do not answer it (403: they may see, not change).
    assert ApiClient(token_for(reviewer)).post(f"{url}answers/", {"text": "Me?"}).status_code == 403
    assert admin.get(url).status_code == 200 and admin.post(f"{url}answers/", {"text": "Me?"}).status_code == 403
    empty = at_lead.post(f"{url}answers/", {"text": ""})
    assert empty.status_code == 400 and set(empty.json()["errors"]) == {"text"}
    # A read-only token of the member state reads but does not answer.
    read_only = ApiClient(token_for(lead, scope=TokenScope.READ, name="notebook"))
    assert read_only.get(url).status_code == 200
    refused = read_only.post(f"{url}answers/", {"text": "Through a read-only token."})
    assert refused.status_code == 403 and refused.json()["type"].endswith(":read_only_token")
    assert not point.messages.exists()


def test_a_reviewer_withdraws_only_an_unsent_question_and_asks_only_while_it_awaits_review(submitted):
    assessment, _lead = submitted
    reviewer = ApiClient(token_for(factories.user(Role.REVIEWER)))
    draft = reviewer.post(points_url(assessment), R4).json()
    assert reviewer.post(f"{points_url(assessment)}{draft['id']}/resolve/").json()["type"].endswith(":not_sent")
    assert reviewer.client.delete(f"{points_url(assessment)}{draft['id']}/").status_code == 204
    assert not ClarificationPoint.objects.exists()
    sent = reviewer.post(points_url(assessment), R4).json()
    reviewer.post(f"{points_url(assessment)}send/")
    refused = reviewer.client.delete(f"{points_url(assessment)}{sent['id']}/")
    assert refused.status_code == 403 and refused.json()["type"].endswith(":already_sent")
    assert ClarificationPoint.objects.get().status == PointStatus.OPEN
    # Returned, the assessment is no longer awaiting review: no new question until it is submitted again.
    assert reviewer.post(points_url(assessment), R4).status_code == 403
    assert reviewer.post(f"{points_url(assessment)}send/").status_code == 403


def test_the_list_of_points_runs_the_same_queries_however_many_points_and_answers(submitted, same_queries):
    assessment, _lead = submitted
    reviewer = factories.user(Role.REVIEWER)
    staff_user = factories.user(Role.REPORTER, "AT")
    first = services.clarification_draft(assessment=assessment, user=reviewer, section="scenarios", item="R4",
                                         message="1?")
    services.clarifications_send(assessment=assessment, user=reviewer)
    services.clarification_answer(point=ClarificationPoint.objects.get(pk=first.pk), user=staff_user, text="One.")
    tool = ApiClient(token_for(reviewer))

    def grow():
        for n in range(3):
            point = ClarificationPoint.objects.create(
                assessment=assessment, version=assessment.versions.latest(), section="measures", item="SM03",
                message=f"Question {n}?", raised_by=reviewer, status=PointStatus.OPEN)
            services.clarification_answer(point=point, user=staff_user, text=f"Answer {n}.")

    same_queries(lambda: tool.get(points_url(assessment)), grow)
    assert len(tool.get(points_url(assessment)).json()["results"]) == 4
