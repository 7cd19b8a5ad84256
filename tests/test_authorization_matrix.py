"""Every URL pattern × every role × GET and POST (and PATCH and DELETE for the API), with ids of another member
state's objects: who gets what.

Generated from the URL patterns (the portal's, django-allauth's and the Django admin's): a new URL is covered
without anyone adding it here, and a URL parameter the filler below does not know fails the test until it is
taught. For each request:

- never a server error;
- anonymous: every page but the public ones sends to the sign-in (or answers 404/405, which says nothing);
- nobody sees another member state's draft, or its submission unless a reviewer or admin, or reviewers' unsent
  questions unless a reviewer or admin: the world plants a distinct marker in each, and no response may hold a
  marker its reader may not see (XLSX answers are unzipped and searched too);
- authority staff asking for another member state's assessment, attachment, version, point, row or colleague
  get 404 or 403 (or 405 for the wrong method), never the page;
- PDFs are searched in their text (receipts, the assessment as a document, the exports);
- the API (/api/v1/) is asked with each persona's own read-write token (every request carries it, the pages ignore
  it): the same markers, the same 404s; without a token it answers 401, which says nothing either;
- an export's pages are tried with a made reviewers' export of a comparison that shows both member states' submitted
  answers (their markers): only reviewers and admins may get it, and its XLSX is unzipped like any other;
- the handling marking is a dimension (docs/markings.md): Austria's version carries the default TLP:AMBER+STRICT,
  France's TLP:RED shared with one reviewer (`reviewer_named`). The other reviewer must never see France's
  submission, on any page, file or API answer, nor may the comparison or the review hold it (withheld); nor may an
  admin, who is not named: admins see that it exists, not what it says. A new output is covered without anyone
  adding it here. `MARKINGS` says which marking each member state's version carries, and `may_see` restates the rule
  for each.
"""

import io
import re
import zipfile

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from assessments import services as assessment_services
from assessments.models import (
    Attachment,
    ClarificationPoint,
    PhaseOutEntry,
    Questionnaire,
    ScopeAnswer,
    Section,
    Supplier,
    SupplierPresence,
)
from portal import services as portal_services
from portal.markings import Marking
from portal.models import AccessRequest, ApiToken, Extension, MemberState, Reopening, Role, TokenScope
from reporting import services as review_services
from reporting.exports import jobs as export_jobs
from reporting.models import CoordinatedReview
from reporting.services import completeness as services_completeness
from reporting.tables import aggregate_tables
from tests import factories
from tests.api.helpers import token_for
from tests.assessments import helpers
from tests.signing_in import PortalClient, second_factor

pytestmark = [pytest.mark.long, pytest.mark.django_db]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PERSONAS = ["anonymous", "reporter_at", "lead_at", "reporter_fr", "lead_fr", "reviewer", "reviewer_named", "admin",
            "no_role"]
# The marking each member state's version carries; TLP:RED is shared with `reviewer_named` alone.
MARKINGS = {"AT": Marking.AMBER_STRICT, "FR": Marking.RED}
# Reachable without signing in: the portal's own public views say so (access.public); of django-allauth's, the
# sign-in, its second step and the password reset; the admin answers with its own redirect to the sign-in.
PUBLIC_THIRD_PARTY = re.compile(r"^(accounts/\^?(login|logout|password/reset|inactive|2fa/webauthn/login"
                                r"|2fa/authenticate)|admin/)")
# A POST-only page answers a GET with 405 before asking who is there: that says nothing either.
HARMLESS = {302, 400, 403, 404, 405}


def marker(kind, code):
    return f"MARKER-{kind}-{code}-7f3a"


def may_see(persona, kind, code):
    """The access rules, restated for the markers: DRAFT, SUBMITTED (a version), REVIEW (an unsent question); and the
    marking's: a TLP:RED version only for the reviewers it names and its own staff (not admins, who are not named)."""
    if kind == "SUBMITTED" and MARKINGS[code] == Marking.RED and persona in ("admin", "reviewer", "reviewer_named"):
        return persona == "reviewer_named"
    if persona == "admin":
        return True
    if persona.startswith("reviewer"):
        return kind in ("SUBMITTED", "REVIEW")
    own = persona.endswith("_" + code.lower()) and persona.split("_")[0] in ("reporter", "lead")
    return own and kind in ("DRAFT", "SUBMITTED")


@pytest.fixture
def world(db, settings, tmp_path, submit, export_root):
    settings.MEDIA_ROOT = tmp_path
    cycle = helpers.cycle_with_questionnaire(codes=["AT", "FR"])
    # The phase-out tracker too: its pages are tried with a row of each member state's (draft and version).
    Questionnaire.objects.filter(cycle=cycle).update(asks_phase_out=True)
    Supplier.objects.filter(name="Huawei").update(designated_high_risk_on=helpers.HUAWEI_DESIGNATED)
    people = {
        "reporter_at": factories.user(Role.REPORTER, "AT"), "lead_at": factories.user(Role.LEAD_REPORTER, "AT"),
        "reporter_fr": factories.user(Role.REPORTER, "FR"), "lead_fr": factories.user(Role.LEAD_REPORTER, "FR"),
        "reviewer": factories.user(Role.REVIEWER), "reviewer_named": factories.user(Role.REVIEWER),
        "admin": factories.user(Role.ADMIN),
        "no_role": factories.UserFactory(username="nobody-at-all"),
    }
    people["no_role"].groups.clear()
    objects = {}
    for code in ("AT", "FR"):
        lead, reporter = people[f"lead_{code.lower()}"], people[f"reporter_{code.lower()}"]
        assessment = helpers.start(cycle, lead)
        helpers.fill(assessment)
        ScopeAnswer.objects.filter(assessment=assessment, version=None).update(summary=marker("SUBMITTED", code))
        entry = helpers.phase_out_row(assessment, marker("SUBMITTED", code), "core", "Huawei")
        client = factories_client(reporter)
        client.post(reverse("assessments:attachments", args=[assessment.pk]),
                    {"file": SimpleUploadedFile(f"evidence-{code}.pdf", PDF)})
        version = submit(cycle, code, fill=False, lead=lead, marking=MARKINGS[code],
                         shared_with=[people["reviewer_named"]] if MARKINGS[code] == Marking.RED else [])
        second_factor(lead)
        assessment.refresh_from_db()
        # After submitting, the draft moves on: what is typed now is the member state's alone.
        ScopeAnswer.objects.filter(assessment=assessment, version=None).update(summary=marker("DRAFT", code))
        PhaseOutEntry.objects.filter(pk=entry.pk).update(operator=marker("DRAFT", code))
        point = assessment_services.clarification_draft(assessment=assessment, user=people["reviewer"],
                                                        section=Section.SCOPE, message=marker("REVIEW", code))
        milestone = cycle.milestones.get()
        extension = portal_services.extension_grant(milestone=milestone, member_state=lead.member_state,
                                                    due_date=milestone.due_date, due_time=None, reason="Because.",
                                                    user=people["admin"])
        reopening = portal_services.reopening_grant(cycle=cycle, member_state=lead.member_state, until=None,
                                                    reason="Because.", user=people["admin"])
        token_for(lead, name="lead's own tool")
        access_request = portal_services.access_request_make(
            identity={"sub": f"n00{code}", "email": f"asking-{code}@example.eu", "name": f"Asking {code}"},
            authority=lead.authority, role=Role.REPORTER, why="To prepare the assessment.")
        objects[code] = {
            "api_token": ApiToken.objects.get(user=lead, name="lead's own tool"),
            "assessment": assessment, "version": version, "point": point, "extension": extension,
            "reopening": reopening, "lead": lead, "reporter": reporter, "access_request": access_request,
            "attachment": Attachment.objects.get(assessment=assessment),
            "row": SupplierPresence.objects.filter(assessment=assessment, version=None).first(),
            "entry": entry,
        }
    review, _created = review_services.review_request(cycle=cycle, user=people["reviewer"])
    review_services.review_build(review_id=review.pk)
    review = CoordinatedReview.objects.get(pk=review.pk)
    # A reviewers' export, made: the scope of both member states side by side (their SUBMITTED markers).
    export, _created = export_jobs.export_comparison_request(
        cycle=cycle, member_states=MemberState.objects.filter(eu_code__in=["AT", "FR"]), section=Section.SCOPE,
        previous=False, fmt="xlsx", user=people["reviewer"], language="en")
    export_jobs.export_build(export_id=export.pk)
    return {"cycle": cycle, "people": people, "objects": objects, "review": review, "export": export,
            "milestone": cycle.milestones.get(), "table": next(iter(aggregate_tables(review.results))).key}


def factories_client(user):
    client = PortalClient()
    client.force_login(user)
    return client


def is_public(route, callback):
    return str(getattr(callback, "access", "")).startswith("public: ") or bool(PUBLIC_THIRD_PARTY.search(route))


def routes():
    """(route as written, its view) for every pattern."""
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    return list(walk(get_resolver().url_patterns))


PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def value_for(route, name, world, target):
    """The value of URL parameter `name` in `route`, taken from the `target` member state's objects."""
    objects = world["objects"][target]
    admin_model = re.match(r"admin/(\w+)/(\w+)/", route)
    by_route = [
        (r"^assessments/cycles/", {"cycle_pk": world["cycle"].pk}),
        (r"^api/v1/cycles/", {"cycle_pk": world["cycle"].pk}),
        (r"^api/v1/assessments/", {"pk": objects["assessment"].pk, "number": objects["version"].number,
                                   "attachment_pk": objects["attachment"].pk, "point_pk": objects["point"].pk,
                                   "code": Section.SCOPE.value}),
        (r"^api/v1/exports/", {"pk": world["export"].pk}),
        (r"^assessments/", {"pk": objects["assessment"].pk, "number": objects["version"].number,
                            "attachment_pk": objects["attachment"].pk, "point_pk": objects["point"].pk,
                            "row_pk": objects["row"].pk, "entry_pk": objects["entry"].pk,
                            "code": Section.SCOPE.value}),
        (r"^reporting/exports/", {"pk": world["export"].pk}),
        (r"^api/v1/reviews/", {"pk": world["review"].pk}),
        (r"^reporting/", {"cycle_pk": world["cycle"].pk, "pk": world["review"].pk, "fmt": "xlsx",
                          "key": world["table"]}),
        (r"^manage/cycles/<int:cycle_pk>/milestones/", {"cycle_pk": world["cycle"].pk, "pk": world["milestone"].pk}),
        (r"^manage/cycles/", {"pk": world["cycle"].pk}),
        (r"^manage/milestones/", {"milestone_pk": world["milestone"].pk}),
        (r"^manage/extensions/", {"pk": objects["extension"].pk}),
        (r"^manage/reopenings/", {"pk": objects["reopening"].pk}),
        (r"^authority/team/", {"pk": objects["reporter"].pk}),
        (r"^access-requests/", {"pk": objects["access_request"].pk}),
        (r"^account/tokens/", {"pk": objects["api_token"].pk}),
        (r"^calendar/", {"token": "not-the-token-of-anyone"}),
        (r"^accounts/2fa/webauthn/keys/", {"pk": objects["lead"].authenticator_set.first().pk}),
        (r"^accounts/\^password/reset/key/", {"uidb36": "1", "key": "set-password"}),
        (r"^accounts/\^confirm-email/", {"key": "not-a-key"}),
        (r"^accounts/oidc/", {"provider_id": "eulogin"}),
        (r"^admin/r/", {"content_type_id": ContentType.objects.get_for_model(objects["lead"]).pk,
                        "object_id": objects["lead"].pk}),
        (r"^admin/portal/user/", {"object_id": objects["lead"].pk, "id": objects["lead"].pk}),
        (r"^admin/\^", {"app_label": "portal"}),
        (r"^admin/\(\?P<url>", {"url": "nothing-here/"}),
    ]
    for pattern, values in by_route:
        if re.search(pattern, route) and name in values:
            return values[name]
    if admin_model and name == "object_id":
        model = apps.get_model(admin_model.group(1), admin_model.group(2))
        found = model._default_manager.order_by("pk").first()
        return found.pk if found is not None else 1
    raise AssertionError(f"The authorization matrix does not know how to fill <{name}> in {route!r}: teach "
                         "value_for() which object of another member state belongs there.")


def url_of(route, world, target):
    path = PARAMETER.sub(lambda m: str(value_for(route, m.group(2) or m.group(3), world, target)), route)
    path = re.sub(r"\((?!\?)([^)|]*)[^)]*\)", r"\1", path)  # (a|b|c): a
    return "/" + path.replace("^", "").replace("$", "")


def texts_of(response):
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    texts = [content.decode("utf-8", "replace")]
    if content[:2] == b"PK":  # XLSX and friends: the words are in the zipped XML
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            texts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    if content[:5] == b"%PDF-":  # the portal's PDFs (receipts, documents, exports): the words are compressed
        try:
            pages = PdfReader(io.BytesIO(content)).pages
            texts += ["".join(page.extract_text().split()) for page in pages]  # a marker has no space in it
        except PdfReadError:
            pass  # an uploaded attachment that is no real PDF: its bytes were searched above
    return texts


OTHER_STATES_OBJECTS = re.compile(r"^(assessments/<int:pk>/|api/v1/assessments/<int:pk>/|authority/team/<int:pk>"
                                  r"|account/tokens/<int:pk>/|manage/(extensions|reopenings)/|access-requests/<int:pk>/)")


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_for_every_role(persona, world):
    target = "AT" if persona.endswith("_fr") else "FR"
    user = world["people"].get(persona)
    token = token_for(user, scope=TokenScope.WRITE) if user is not None else None
    client = PortalClient(**({"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}))
    problems, answered = [], {True: 0, False: 0}
    for route, view in routes():
        url = url_of(route, world, target)
        for method in ("get", "post", *(("patch", "delete") if route.startswith("api/") else ())):
            if user is not None and "_auth_user_id" not in client.session:
                client.force_login(user)  # signed out by the previous request (the sign-out page): again
            response = getattr(client, method)(url)
            where = f"{persona} {method.upper()} {url} ({route})"
            if response.status_code >= 500:
                problems.append(f"{where}: {response.status_code}")
                continue
            answered[response.status_code == 200] += 1
            if user is None and not is_public(route, view) and response.status_code not in (404, 405) and not (
                    response.status_code == 302 and "/accounts/login/" in response["Location"]) and not (
                    response.status_code == 401 and route.startswith("api/")):
                problems.append(f"{where}: {response.status_code} for a visitor who is not signed in")
            if (persona.split("_")[0] in ("reporter", "lead") and OTHER_STATES_OBJECTS.search(route)
                    and response.status_code not in HARMLESS):
                problems.append(f"{where}: {response.status_code} on another member state's object")
            for text in texts_of(response):
                for code in ("AT", "FR"):
                    for kind in ("DRAFT", "SUBMITTED", "REVIEW"):
                        if marker(kind, code) in text and not may_see(persona, kind, code):
                            problems.append(f"{where}: shows {kind} of {code}")
    assert problems == [], "\n".join(problems)
    # Not a matrix of refusals: each signed-in role reached pages (a broken sign-in would pass everything above).
    assert answered[True] >= {"anonymous": 5, "no_role": 10, "reviewer": 40, "reviewer_named": 40,
                              "admin": 200}.get(persona, 15), answered
    # What POSTs without data could not do: change another member state's draft.
    # Nor revoke another member state's lead reporter's API token (only its owner may, and it is nobody here).
    assert not ApiToken.objects.filter(name="lead's own tool", revoked_at__isnull=False).exists()
    for code in ("AT", "FR"):
        assert ScopeAnswer.objects.get(assessment=world["objects"][code]["assessment"], version=None).summary == \
            marker("DRAFT", code)
        assert PhaseOutEntry.objects.get(pk=world["objects"][code]["entry"].pk).operator == marker("DRAFT", code)
    # Nor, through the API's DELETE, take another member state's attachment out of its draft, nor withdraw a
    # reviewer's question (reviewers and admins may withdraw an unsent one: theirs to withdraw).
    assert Attachment.objects.in_draft().count() == 2
    if persona not in ("reviewer", "reviewer_named", "admin"):
        assert ClarificationPoint.objects.count() == 2
    # Nor decide another member state's access request (a POST without data decides nothing, even for a decider).
    assert AccessRequest.objects.pending().count() == 2


def test_the_filler_knows_every_parameter_and_refuses_an_unknown_one(world):
    for route, _view in routes():
        url_of(route, world, "FR")
    with pytest.raises(AssertionError, match="does not know how to fill <colour>"):
        url_of("assessments/<int:pk>/paint/<str:colour>/", world, "FR")


def test_the_markers_are_where_the_rules_say(world, client):
    """The matrix could pass by planting nothing: the reviewer it names does see France's TLP:RED submission, and its
    lead its draft."""
    client.force_login(world["people"]["reviewer_named"])
    version = world["objects"]["FR"]["version"]
    page = client.get(reverse("assessments:version", args=[version.assessment_id, version.number])).content.decode()
    assert marker("SUBMITTED", "FR") in page and marker("DRAFT", "FR") not in page
    client.force_login(world["people"]["lead_fr"])
    draft = world["objects"]["FR"]["assessment"]
    page = client.get(reverse("assessments:section", args=[draft.pk, "scope"])).content.decode()
    assert marker("DRAFT", "FR") in page
    page = client.get(reverse("assessments:phase_out", args=[draft.pk])).content.decode()
    assert marker("DRAFT", "FR") in page and marker("SUBMITTED", "FR") not in page
    # The assessment as a document, on a page and as a PDF: a version's shows its submission, the draft's the draft.
    for name in ("version_document", "version_document_pdf"):
        client.force_login(world["people"]["reviewer_named"])
        made = " ".join(texts_of(client.get(reverse(f"assessments:{name}",
                                                    args=[version.assessment_id, version.number]))))
        assert marker("SUBMITTED", "FR") in made and marker("DRAFT", "FR") not in made, name
    for name in ("draft_document", "draft_document_pdf"):
        client.force_login(world["people"]["lead_fr"])
        made = " ".join(texts_of(client.get(reverse(f"assessments:{name}", args=[draft.pk]))))
        assert marker("DRAFT", "FR") in made and marker("SUBMITTED", "FR") not in made, name
    assert Extension.objects.count() == 2 and Reopening.objects.count() == 2
    # The export the matrix tries holds Austria's submission, made and stored; France's TLP:RED one is withheld from
    # what every reviewer reads, as it is from the review.
    client.force_login(world["people"]["reviewer"])
    made = " ".join(texts_of(client.get(reverse("reporting:export_file", args=[world["export"].pk]))))
    assert marker("SUBMITTED", "AT") in made and marker("SUBMITTED", "FR") not in made
    assert services_completeness(world["review"].population)["withheld"] == ["FR"]
    # The other reviewer is refused France's version, and reads Austria's.
    for code, status in (("FR", 404), ("AT", 200)):
        version = world["objects"][code]["version"]
        assert client.get(reverse("assessments:version", args=[version.assessment_id, 1])).status_code == status
