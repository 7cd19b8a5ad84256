import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from assessments import services
from assessments.models import ClarificationMessage, ClarificationPoint, PointStatus, Status
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(draft, lead_at, reporter_at):
    helpers.fill(draft)
    services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    draft.refresh_from_db()
    return draft


def ask(client, assessment, question, message, field=""):
    return client.post(reverse("assessments:ask", args=[assessment.pk]),
                       {"question": question, "field": field, "message": message})


def test_questions_are_drafts_until_sent_and_the_member_state_sees_only_sent_ones(
    client, submitted, reviewer, reporter_at, lead_at
):
    client.force_login(reviewer)
    ask(client, submitted, "scenarios|R4", "Why is R4 low with one supplier at 60%?", field="likelihood")
    ask(client, submitted, "measures|SM03", "Which law restricts high-risk suppliers?", field="status")
    assert ClarificationPoint.objects.filter(status=PointStatus.DRAFT).count() == 2
    client.force_login(reporter_at)
    assert "Why is R4 low" not in client.get(reverse("assessments:version", args=[submitted.pk, 1])).content.decode()

    client.force_login(reviewer)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("assessments:send_points", args=[submitted.pk]), {"comment": "Two points."})
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    assert ClarificationPoint.objects.filter(status=PointStatus.OPEN).count() == 2
    assert [m.to for m in mail.outbox] == [[lead_at.email]]
    assert "Why is R4 low" in mail.outbox[0].body

    client.force_login(reporter_at)
    page = client.get(reverse("assessments:section", args=[submitted.pk, "scenarios"])).content.decode()
    assert "Why is R4 low" in page and "Which law" not in page  # only the section's own points
    assert 'href="#item-R4"' in page


def test_the_member_state_answers_and_the_reviewer_is_told_then_resolves(client, submitted, reviewer, reporter_at):
    point = services.clarification_draft(assessment=submitted, user=reviewer, section="scenarios", item="R4",
                                         message="Why low?")
    services.clarifications_send(assessment=submitted, user=reviewer)
    client.force_login(reporter_at)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("assessments:answer_point", args=[submitted.pk, point.pk]),
                    {"text": "Our operators use two RAN vendors."})
    point.refresh_from_db()
    assert point.status == PointStatus.ANSWERED
    assert ClarificationMessage.objects.get().text == "Our operators use two RAN vendors."
    assert mail.outbox[0].to == [reviewer.email] and "answered your question" in mail.outbox[0].subject

    client.force_login(reviewer)
    page = client.get(reverse("assessments:version", args=[submitted.pk, 1])).content.decode()
    assert "Our operators use two RAN vendors." in page and "Answered" in page
    client.post(reverse("assessments:resolve_point", args=[submitted.pk, point.pk]))
    point.refresh_from_db()
    assert point.status == PointStatus.RESOLVED and point.resolved_at is not None


def test_accepting_the_new_version_closes_the_remaining_points(submitted, reviewer, lead_at):
    services.clarification_draft(assessment=submitted, user=reviewer, section="measures", item="SM03", message="?")
    services.clarifications_send(assessment=submitted, user=reviewer)
    submitted.refresh_from_db()
    services.assessment_submit(certify=True, assessment=submitted, user=lead_at)
    services.assessment_accept(assessment=submitted, user=reviewer)
    assert set(ClarificationPoint.objects.values_list("status", flat=True)) == {PointStatus.RESOLVED}


# A reviewer may read the point (so 403), another member state may not even see it (so 404).
@pytest.mark.parametrize("persona, status", [("reporter_fr", 404), ("reviewer", 403)])
def test_only_the_member_states_staff_answer(client, request, submitted, reviewer, persona, status):
    point = services.clarification_draft(assessment=submitted, user=reviewer, section="scope", message="?")
    services.clarifications_send(assessment=submitted, user=reviewer)
    client.force_login(request.getfixturevalue(persona))
    url = reverse("assessments:answer_point", args=[submitted.pk, point.pk])
    assert client.post(url, {"text": "x"}).status_code == status
    assert not ClarificationMessage.objects.exists()


@pytest.mark.parametrize("name", ["ask", "send_points"])
def test_authority_staff_cannot_ask_or_send(client, submitted, reporter_at, lead_at, name):
    for user in (reporter_at, lead_at):
        client.force_login(user)
        assert client.post(reverse(f"assessments:{name}", args=[submitted.pk]), {}).status_code == 404
    assert not ClarificationPoint.objects.exists()


def test_reviewers_cannot_edit_answers(client, submitted, reviewer):
    client.force_login(reviewer)
    url = reverse("assessments:section", args=[submitted.pk, "scope"])
    assert client.get(url).status_code == 404
    assert client.post(url, helpers.post_data(submitted, "scope")).status_code == 404


def test_the_version_page_opens_with_its_open_points_each_linking_to_its_thread(
    client, submitted, reviewer, reporter_at
):
    asked = services.clarification_draft(assessment=submitted, user=reviewer, section="suppliers",
                                         item=submitted_supplier(submitted), field="share_access",
                                         message="Is the RAN share of 2021?")
    answered = services.clarification_draft(assessment=submitted, user=reviewer, section="scenarios", item="R4",
                                            field="likelihood", message="Why unlikely?")
    resolved = services.clarification_draft(assessment=submitted, user=reviewer, section="scope",
                                            message="Which ministry?")
    services.clarifications_send(assessment=submitted, user=reviewer)
    for point in (asked, answered, resolved):
        point.refresh_from_db()
    services.clarification_answer(point=answered, user=reporter_at, text="Two RAN vendors since 2019.")
    services.clarification_resolve(point=resolved, user=reviewer)

    for user in (reviewer, reporter_at):
        client.force_login(user)
        page = client.get(reverse("assessments:version", args=[submitted.pk, 1])).content.decode()
        summary = page[page.index('id="open-points"'):page.index("</section>", page.index('id="open-points"'))]
        assert "2 open clarification points" in summary
        assert f'href="#point-{asked.pk}"' in summary and f'href="#point-{answered.pk}"' in summary
        assert f"#point-{resolved.pk}" not in summary  # resolved: no longer open
        assert f'id="point-{asked.pk}"' in page and f'id="point-{answered.pk}"' in page  # the links' targets
        # The question and field as a person reads them; the last message, with who.
        assert "Risk scenarios – R4 Dependency on any single supplier" in summary and "(Likelihood)" in summary
        assert "(Access/RAN share (%))" in summary
        assert "Answered" in summary and "Two RAN vendors since 2019." in summary
        assert f"Last message from {reporter_at.get_full_name() or reporter_at.username}" in summary
        # Never the stored field names.
        assert "(share_access)" not in page and "(likelihood)" not in page
    client.force_login(reporter_at)
    section = client.get(reverse("assessments:section", args=[submitted.pk, "suppliers"])).content.decode()
    assert "(Access/RAN share (%))" in section and "share_access)" not in section


def submitted_supplier(assessment):
    return assessment.versions.latest().snapshot["answers"]["suppliers"][0]["item"]


@pytest.mark.parametrize("question, field, allowed", [
    ("scenarios|R4", "capability", "Likelihood, Impact, Risk level, Trend, Justification"),
    ("scope|", "note", "Contributing authorities, Method used"),
    ("threats|insider", "relevance", "Capability, Intent, Note"),
])
def test_a_field_the_question_does_not_have_is_refused_beside_the_field(client, submitted, reviewer, question,
                                                                        field, allowed):
    client.force_login(reviewer)
    response = ask(client, submitted, question, "Why?", field=field)
    assert response.status_code == 400
    assert response.context["ask_form"].errors["field"]
    page = response.content.decode()
    assert "This question has no such field; choose one of:" in page and allowed in page
    assert "Your question was not added" in page
    assert not ClarificationPoint.objects.exists()


def test_the_field_list_is_grouped_by_part_with_labels_and_its_fields_follow_the_question(client, submitted,
                                                                                          reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("assessments:version", args=[submitted.pk, 1]) + "?question=scenarios|R4")
    form = response.context["ask_form"]
    groups = dict(form.fields["field"].choices[1:])
    assert [label for _name, label in groups["Risk scenarios"]] == [
        "Likelihood", "Impact", "Risk level", "Trend", "Justification"]
    assert "Capability" not in dict(groups["Risk scenarios"]).values()
    page = response.content.decode()
    assert '<optgroup label="Risk scenarios">' in page and "js/ask_fields.js" in page
    assert ask(client, submitted, "scenarios|R4", "Why?", field="likelihood").status_code == 302
    assert ClarificationPoint.objects.get().field == "likelihood"
