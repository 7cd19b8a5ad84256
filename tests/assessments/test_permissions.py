"""Who may do what, for every view of the filing workflow.

Filers see only their own member state; reviewers see submitted versions of
every member state and never a draft; admins see everything but do not file.
Anything a user may not see answers 404, not a hint that it exists.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services
from assessments.models import Supplier, SupplierPresence
from tests.assessments import helpers

pytestmark = pytest.mark.django_db

PERSONAS = ["reporter_at", "lead_at", "reporter_fr", "reviewer", "admin_user"]
OWN, LEAD, OTHER, REVIEWER, ADMIN = PERSONAS


@pytest.fixture
def world(cycle, reporter_at, lead_at, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = helpers.fill(helpers.start(cycle, reporter_at))
    row = SupplierPresence.objects.get(assessment=draft, version=None)
    attachment = services.attachment_add(
        assessment=draft, user=reporter_at,
        upload=_pdf())
    submitted = helpers.fill(helpers.start(helpers.cycle_with_questionnaire(title="Submitted cycle"), reporter_at))
    services.assessment_submit(certify=True, assessment=submitted, user=lead_at)
    return {"draft": draft, "row": row, "attachment": attachment, "submitted": submitted}


def _pdf():
    upload = SimpleUploadedFile("method.pdf", b"%PDF-1.4\n%%EOF\n")
    upload.detected_type = "application/pdf"
    return upload


# (description, method, url(world), data, {persona: expected status})
CASES = [
    ("draft overview", "get", lambda w: reverse("assessments:overview", args=[w["draft"].pk]), None,
     {OWN: 200, LEAD: 200, OTHER: 404, REVIEWER: 404, ADMIN: 200}),
    ("section page", "get", lambda w: reverse("assessments:section", args=[w["draft"].pk, "scenarios"]), None,
     {OWN: 200, LEAD: 200, OTHER: 404, REVIEWER: 404, ADMIN: 200}),
    ("section save", "post", lambda w: reverse("assessments:section", args=[w["draft"].pk, "scope"]),
     lambda w: helpers.post_data(w["draft"], "scope"), {OWN: 302, OTHER: 404, REVIEWER: 404, ADMIN: 403}),
    ("conflict resolution", "post", lambda w: reverse("assessments:resolve_conflict", args=[w["draft"].pk, "scope"]),
     {"keep": "theirs"}, {OTHER: 404, REVIEWER: 404, ADMIN: 403}),
    ("add a supplier", "post", lambda w: reverse("assessments:supplier_add", args=[w["draft"].pk]),
     lambda w: {"supplier": Supplier.objects.get(name="Nokia").pk}, {OWN: 302, OTHER: 404, REVIEWER: 404, ADMIN: 403}),
    ("remove a supplier", "post", lambda w: reverse("assessments:supplier_remove", args=[w["draft"].pk, w["row"].pk]),
     {}, {OTHER: 404, REVIEWER: 404, ADMIN: 403, OWN: 302}),
    ("attachments page", "get", lambda w: reverse("assessments:attachments", args=[w["draft"].pk]), None,
     {OWN: 200, OTHER: 404, REVIEWER: 404, ADMIN: 200}),
    ("download a draft attachment", "get",
     lambda w: reverse("assessments:attachment", args=[w["draft"].pk, w["attachment"].pk]), None,
     {OWN: 200, OTHER: 404, REVIEWER: 404, ADMIN: 200}),
    ("remove an attachment", "post",
     lambda w: reverse("assessments:attachment_remove", args=[w["draft"].pk, w["attachment"].pk]), {},
     {OTHER: 404, REVIEWER: 404, ADMIN: 403, OWN: 302}),
    ("workbook download", "get", lambda w: reverse("assessments:workbook", args=[w["draft"].pk]), None,
     {OWN: 200, OTHER: 404, REVIEWER: 404, ADMIN: 200}),
    ("workbook upload page", "get", lambda w: reverse("assessments:workbook_upload", args=[w["draft"].pk]), None,
     {OWN: 200, OTHER: 404, REVIEWER: 404, ADMIN: 200}),
    ("workbook upload", "post", lambda w: reverse("assessments:workbook_upload", args=[w["draft"].pk]), {},
     {OWN: 200, OTHER: 404, REVIEWER: 404, ADMIN: 403}),
    ("submit page", "get", lambda w: reverse("assessments:submit", args=[w["draft"].pk]), None,
     {OWN: 403, LEAD: 200, OTHER: 404, REVIEWER: 404, ADMIN: 403}),
    ("start a draft", "post", lambda w: reverse("assessments:start", args=[w["draft"].cycle.pk]), {},
     {OWN: 302, REVIEWER: 404, ADMIN: 404}),
    ("submitted version", "get", lambda w: reverse("assessments:version", args=[w["submitted"].pk, 1]), None,
     {OWN: 200, OTHER: 404, REVIEWER: 200, ADMIN: 200}),
    ("receipt", "get", lambda w: reverse("assessments:receipt", args=[w["submitted"].pk, 1]), None,
     {OWN: 200, OTHER: 404, REVIEWER: 200, ADMIN: 200}),
    ("receipt PDF", "get", lambda w: reverse("assessments:receipt_pdf", args=[w["submitted"].pk, 1]), None,
     {OWN: 200, OTHER: 404, REVIEWER: 200}),
    ("version of a draft never submitted", "get", lambda w: reverse("assessments:version", args=[w["draft"].pk, 1]),
     None, {OWN: 404, OTHER: 404, REVIEWER: 404, ADMIN: 404}),
    ("return form", "get", lambda w: reverse("assessments:return", args=[w["submitted"].pk]), None,
     {OWN: 404, LEAD: 404, OTHER: 404, REVIEWER: 200, ADMIN: 200}),
    ("return a draft", "get", lambda w: reverse("assessments:return", args=[w["draft"].pk]), None,
     {REVIEWER: 404}),
    ("accept", "post", lambda w: reverse("assessments:accept", args=[w["submitted"].pk]), {},
     {OWN: 404, LEAD: 404, OTHER: 404}),
    ("submissions list", "get", lambda w: reverse("assessments:submissions", args=[w["submitted"].cycle.pk]), None,
     {OWN: 404, LEAD: 404, OTHER: 404, REVIEWER: 200, ADMIN: 200}),
]


@pytest.mark.parametrize("description, method, url, data, expected", CASES, ids=[c[0] for c in CASES])
def test_permission_matrix(client, request, world, description, method, url, data, expected):
    for persona, status in expected.items():
        client.force_login(request.getfixturevalue(persona))
        payload = data(world) if callable(data) else data
        response = getattr(client, method)(url(world), payload or {})
        assert response.status_code == status, f"{persona} on {description}"


@pytest.mark.parametrize("description, method, url, data, expected", CASES, ids=[c[0] for c in CASES])
def test_anonymous_users_are_sent_to_login(client, world, description, method, url, data, expected):
    response = getattr(client, method)(url(world), {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_submissions_list_shows_no_draft_and_runs_the_same_queries_for_one_or_four_submissions(
    client, reviewer, world, submit, same_queries
):
    client.force_login(reviewer)
    cycle = world["submitted"].cycle
    url = reverse("assessments:submissions", args=[cycle.pk])
    assert "Austria" in client.get(url).content.decode()
    drafts_only = reverse("assessments:submissions", args=[world["draft"].cycle.pk])
    assert "Austria" not in client.get(drafts_only).content.decode()
    same_queries(lambda: client.get(url), lambda: [submit(cycle, code) for code in ("BE", "DE", "FR")])
