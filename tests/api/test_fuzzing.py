"""The API fuzzed from its own OpenAPI description (schemathesis): as a lead reporter with a read-write token and
as a reviewer, never a server error, and every answer as the description says (status, content type, body).

Path ids are pointed at real objects (the lead reporter's draft, its cycle, its first version) so that the fuzzed
bodies reach the views instead of stopping at a 404; a bounded number of examples keeps it under a minute.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from assessments import services
from assessments.forms import AttachmentForm
from assessments.models import Section
from assessments.questionnaire.sections import SectionForms
from portal.models import Role, TokenScope
from portal.wsgi import application
from reporting import services as review_services
from reporting.exports import jobs as export_jobs
from reporting.models import CoordinatedReview
from tests import factories
from tests.api.helpers import PDF, token_for
from tests.assessments import helpers

pytestmark = pytest.mark.django_db
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SECTIONS = [s.value for s in Section if s != Section.ATTACHMENTS]


@pytest.fixture
def api_schema():
    # The WSGI application closes the database connection after each request; Django's test client keeps it open
    # (the test's transaction lives on it), and so does this.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, submit, settings, tmp_path, export_root):
    settings.API_RATE_PER_MINUTE = 100_000  # the fuzzer is one busy client; throttling has its own test
    settings.MEDIA_ROOT = tmp_path  # whatever it manages to attach
    cycle = helpers.cycle_with_questionnaire(codes=["AT", "FR"])
    version = submit(cycle, "AT")  # a submitted version for the reviewer to read
    lead = factories.user(Role.LEAD_REPORTER, "FR")
    draft = helpers.start(cycle, lead)
    helpers.fill(draft)
    attachment = services.attachment_add(assessment=draft, upload=checked_upload(draft), user=lead)
    reviewer = factories.user(Role.REVIEWER)
    point = services.clarification_draft(assessment=version.assessment, user=reviewer, section="scenarios",
                                         item="R4", message="Why is R4 rated low?")
    review, _created = review_services.review_request(cycle=cycle, user=reviewer)
    review_services.review_build(review_id=review.pk)
    export, _created = export_jobs.export_review_request(review=review, fmt="xlsx", user=reviewer, language="en")
    export_jobs.export_build(export_id=export.pk)
    return {"cycle": cycle, "version": version, "draft": draft, "attachment": attachment, "point": point,
            "export": export,
            "tokens": {"lead": token_for(lead), "reviewer": token_for(reviewer, scope=TokenScope.READ)}}


def checked_upload(draft):
    """A PDF as the attachment form hands it to the service: checked, its type detected."""
    form = AttachmentForm(files={"file": SimpleUploadedFile("national-method.pdf", PDF)}, assessment=draft)
    assert form.is_valid(), form.errors
    return form.cleaned_data["file"]


def fuzz(case, who, world):
    params = dict(case.path_parameters or {})
    if "id" in params and case.operation.path.startswith("/api/v1/reviews/"):
        params["id"] = CoordinatedReview.objects.filter(cycle=world["cycle"]).latest("pk").pk
    elif "id" in params and case.operation.path.startswith("/api/v1/exports/"):
        params["id"] = world["export"].pk
    elif "id" in params and "point_pk" in params:
        params["id"], params["point_pk"] = world["point"].assessment_id, world["point"].pk
    elif "id" in params:  # <int:pk> of the URL, named "id" in the description
        params["id"] = world["draft"].pk if who == "lead" else world["version"].assessment_id
    if "cycle_pk" in params:
        params["cycle_pk"] = world["cycle"].pk
    if "attachment_pk" in params:
        params["attachment_pk"] = world["attachment"].pk
    if "number" in params:
        params["number"] = world["version"].number
    if "code" in params and params["code"] not in SECTIONS:
        params["code"] = SECTIONS[len(str(params["code"])) % len(SECTIONS)]
    case.path_parameters = params
    body = case.body if isinstance(case.body, dict) else {}
    if isinstance(body.get("values"), dict) and "code" in params:
        # The fuzzed values put on real answers of the section, so that they reach the merge and the forms.
        draft = world["draft"]
        keys = list(SectionForms(Section(params["code"]), draft, draft.cycle.questionnaire).values())
        if keys:  # none for a section this cycle does not ask (the legislation of 2023): the API refuses it
            body["values"] = {keys[i % len(keys)]: value for i, value in enumerate(body["values"].values())}
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {world['tokens'][who]}"}
    return case.call_and_validate(checks=CHECKS).status_code


BOUNDED = settings(max_examples=15, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))


def fuzzer(operation, who, world, answered):
    """A bounded hypothesis run of one operation, noting each answer's status under the operation's label."""
    @given(case=operation.as_strategy())
    @BOUNDED
    def run(case):
        answered.setdefault(operation.label, set()).add(fuzz(case, who, world))

    return run


@pytest.mark.parametrize("who", ["lead", "reviewer"])
def test_the_api_keeps_its_description(api_schema, who, world):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 30
    answered = {}
    for operation in operations:
        fuzzer(operation, who, world, answered)()
    # Not a fuzz of refusals only: the fuzzed requests reached the views and their objects.
    assert all(200 in answered[f"GET /api/v1/{path}"] for path in MUST_READ[who]), sorted(answered.items())


MUST_READ = {
    "lead": ["cycles/", "cycles/{cycle_pk}/questionnaire/", "assessments/{id}/", "assessments/{id}/sections/{code}/",
             "assessments/{id}/attachments/{attachment_pk}/"],
    "reviewer": ["cycles/", "cycles/{cycle_pk}/questionnaire/", "cycles/{cycle_pk}/submissions/",
                 "cycles/{cycle_pk}/timeliness/", "cycles/{cycle_pk}/reviews/", "reviews/{id}/",
                 "assessments/{id}/versions/", "assessments/{id}/versions/{number}/", "assessments/{id}/points/",
                 "assessments/{id}/points/{point_pk}/", "exports/{id}/"],
}
