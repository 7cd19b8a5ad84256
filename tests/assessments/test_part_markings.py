"""Markings on the parts of what a member state shares (issue 27): an attachment marked by its uploader, a
clarification thread by the reviewer who opens it, each the same as or stricter than what holds it; TLP:RED read only
by the member state's own staff and the reviewers the version names (not admins); shown beside each and in the
page's banner; every download of marked content in the audit trail with its marking, on the Activity page in words."""

import html
import re

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentVersion, Attachment, ClarificationPoint
from portal import audit
from portal.markings import Marking
from portal.models import Role
from tests import factories
from tests.api.helpers import ApiClient, token_for
from tests.assessments import helpers

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
RED_PDF = PDF.replace(b"%PDF-1.4\n", b"%PDF-1.4\n%red annex\n")


def text(response):
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def banners(response):
    return re.findall(r'class="tlp-banner tlp-banner-(?:top|bottom)" role="note" data-marking="([^"]+)"',
                      response.content.decode())


def labels(response):
    """The markings shown beside things on the page (templates/includes/marking_label.html)."""
    return re.findall(r'class="tlp-label tlp-tag [^"]*" data-marking="([^"]+)"', response.content.decode())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def named(db):
    return factories.user(Role.REVIEWER, username="nina-named")


def attach(client, draft, name, content, marking=None):
    data = {"file": SimpleUploadedFile(name, content)}
    if marking:
        data["marking"] = marking
    return client.post(reverse("assessments:attachments", args=[draft.pk]), data)


@pytest.fixture
def submitted(client, draft, reporter_at, lead_at, named):
    """Austria's version 1, TLP:AMBER+STRICT, naming `named` for the TLP:RED annex it cites beside a plain one."""
    client.force_login(reporter_at)
    assert attach(client, draft, "method.pdf", PDF).status_code == 302
    assert attach(client, draft, "red-annex.pdf", RED_PDF, "TLP:RED").status_code == 302
    helpers.fill(draft)
    version = services.assessment_submit(certify=True, assessment=draft, user=lead_at, shared_with=[named])
    return version, Attachment.objects.get(name="method.pdf"), Attachment.objects.get(name="red-annex.pdf")


def test_the_database_refuses_a_part_marking_that_is_no_tlp_label(submitted, reviewer):
    version, plain, _red = submitted
    with transaction.atomic(), pytest.raises(IntegrityError):
        Attachment.objects.filter(pk=plain.pk).update(marking="TLP:PINK")
    point = services.clarification_draft(assessment=version.assessment, user=reviewer, section="scope",
                                         message="Which operators?")
    with transaction.atomic(), pytest.raises(IntegrityError):
        ClarificationPoint.objects.filter(pk=point.pk).update(marking="red")


def test_an_attachment_less_strict_than_its_draft_is_refused_beside_the_field(client, draft, reporter_at):
    client.force_login(reporter_at)
    response = attach(client, draft, "method.pdf", PDF, "TLP:GREEN")
    assert response.status_code == 400
    field = re.search(r'id="div_id_marking".*?</fieldset>', text(response)).group(0)
    assert "The draft is marked TLP:AMBER+STRICT: an attachment to it may be marked the same or stricter" in field
    assert not Attachment.objects.exists()
    api = ApiClient(token_for(reporter_at))
    refused = api.client.post(f"/api/v1/assessments/{draft.pk}/attachments/",
                              {"file": SimpleUploadedFile("method.pdf", PDF), "marking": "TLP:CLEAR"})
    assert refused.status_code == 400 and "never less strict" in refused.json()["errors"]["marking"][0]
    assert not Attachment.objects.exists()


def test_an_attachment_marked_stricter_is_shown_so_beside_it_in_the_banner_the_api_and_the_trail(
        client, draft, reporter_at, lead_at):
    client.force_login(reporter_at)
    assert attach(client, draft, "method.pdf", PDF).status_code == 302  # the draft's, by default
    assert attach(client, draft, "red-annex.pdf", RED_PDF, "TLP:RED").status_code == 302
    assert dict(Attachment.objects.values_list("name", "marking")) == {
        "method.pdf": "TLP:AMBER+STRICT", "red-annex.pdf": "TLP:RED"}
    page = client.get(reverse("assessments:attachments", args=[draft.pk]))
    assert labels(page) == ["TLP:AMBER+STRICT", "TLP:RED"] and banners(page) == ["TLP:RED", "TLP:RED"]
    document = client.get(reverse("assessments:draft_document", args=[draft.pk]))
    assert labels(document) == ["TLP:AMBER+STRICT", "TLP:RED"]
    listed = ApiClient(token_for(reporter_at)).get(f"/api/v1/assessments/{draft.pk}/attachments/").json()
    assert sorted(a["marking"] for a in listed["results"]) == ["TLP:AMBER+STRICT", "TLP:RED"]
    entry = LogEntry.objects.get(additional_data__event="marked", additional_data__of="attachment")
    assert entry.additional_data["marking"] == "TLP:RED"
    client.force_login(lead_at)
    assert ("anna-at attached “red-annex.pdf” to the draft “Austria – 2019 national risk assessments” marked "
            "TLP:RED, stricter than the draft's TLP:AMBER+STRICT") in text(
        client.get(reverse("assessments:activity", args=[draft.pk])))


def test_a_version_citing_a_red_attachment_names_its_reviewers_or_is_refused_beside_the_field(
        client, draft, reporter_at, lead_at, named):
    client.force_login(reporter_at)
    attach(client, draft, "red-annex.pdf", RED_PDF, "TLP:RED")
    helpers.fill(draft)
    client.force_login(lead_at)
    response = client.post(reverse("assessments:submit", args=[draft.pk]),
                           {"certify": "1", "marking": "TLP:AMBER+STRICT"})
    assert response.status_code == 400
    field = re.search(r'id="div_id_shared_with".*?</fieldset>', text(response)).group(0)
    assert "The draft holds an attachment marked TLP:RED" in field
    assert not AssessmentVersion.objects.exists()
    response = client.post(reverse("assessments:submit", args=[draft.pk]),
                           {"certify": "1", "marking": "TLP:AMBER+STRICT", "shared_with": [named.pk]})
    assert response.status_code == 302
    version = AssessmentVersion.objects.get()
    assert version.marking == Marking.AMBER_STRICT and list(version.shared_with.all()) == [named]


def test_a_red_attachment_is_for_the_member_states_staff_and_the_named_reviewers_not_other_reviewers_nor_admins(
        client, submitted, reporter_at, reviewer, named, admin_user, reporter_fr):
    version, plain, red = submitted
    pk = version.assessment_id
    page, api = "assessments:attachment", "/api/v1/assessments/{pk}/attachments/{a}/{tail}"
    expected = {reporter_at: (200, 200), named: (200, 200), reviewer: (200, 404), admin_user: (200, 404),
                reporter_fr: (404, 404)}
    for user, (plain_status, red_status) in expected.items():
        client.force_login(user)
        tool = ApiClient(token_for(user))
        for attachment, status in ((plain, plain_status), (red, red_status)):
            assert client.get(reverse(page, args=[pk, attachment.pk])).status_code == status, (user, attachment)
            for tail in ("", "file"):
                assert tool.get(api.format(pk=pk, a=attachment.pk, tail=tail)).status_code == status, (user, tail)
    # The version's document lists both, each with the marking it carries in the version.
    client.force_login(reviewer)
    document = client.get(reverse("assessments:version_document", args=[pk, 1]))
    assert labels(document) == ["TLP:AMBER+STRICT", "TLP:RED"]


def test_every_download_of_marked_content_is_audited_with_its_marking_and_read_in_words(
        client, submitted, named, admin_user):
    version, plain, red = submitted
    pk = version.assessment_id
    client.force_login(named)
    for url in (reverse("assessments:attachment", args=[pk, red.pk]),
                reverse("assessments:attachment", args=[pk, plain.pk]),
                reverse("assessments:receipt_pdf", args=[pk, 1]),
                reverse("assessments:version_document_pdf", args=[pk, 1])):
        assert client.get(url).status_code == 200, url
    downloads = LogEntry.objects.filter(additional_data__event="downloaded", actor=named)
    assert sorted(downloads.values_list("additional_data__what", "additional_data__marking")) == [
        ("assessment document", "TLP:AMBER+STRICT"), ("attachment", "TLP:AMBER+STRICT"),
        ("attachment", "TLP:RED"), ("receipt", "TLP:AMBER+STRICT")]
    client.force_login(admin_user)
    activity = text(client.get(reverse("activity")))
    assert "nina-named downloaded an attachment marked TLP:RED: red-annex.pdf" in activity
    assert "nina-named downloaded a receipt marked TLP:AMBER+STRICT: receipt-AT-v1.pdf" in activity
    assert "TLP:AMBER+STRICT, shared with nina-named" in activity  # whom the version names, for admins


def test_the_activity_page_reads_downloads_of_marked_content_in_the_same_queries_however_many(
        client, submitted, named, admin_user, same_queries):
    version, _plain, red = submitted
    client.force_login(admin_user)

    def grow():
        for _n in range(15):
            audit.record(audit.Event.DOWNLOADED, subject=red, actor=named, assessment=version.assessment,
                         what="attachment", file=red.name, marking="TLP:RED")

    same_queries(lambda: client.get(reverse("activity")), grow)
    same_queries(lambda: client.get(reverse("assessments:activity", args=[version.assessment_id])), grow)


# Clarification threads ------------------------------------------------------------------------------------------

def ask(client, version, marking=None, message="Which operators?"):
    data = {"question": "scope|", "message": message}
    if marking:
        data["marking"] = marking
    return client.post(reverse("assessments:ask", args=[version.assessment_id]), data)


def test_a_thread_less_strict_than_its_version_or_red_by_a_reviewer_not_named_is_refused_beside_the_field(
        client, submitted, reviewer):
    version, _plain, _red = submitted
    client.force_login(reviewer)
    for marking, why in (("TLP:GREEN", "The version is marked TLP:AMBER+STRICT: a question on it may be marked"),
                         ("TLP:RED", "TLP:RED is read only by the reviewers the version names, and it does not "
                                     "name you")):
        response = ask(client, version, marking)
        assert response.status_code == 400
        field = re.search(r'id="div_id_marking".*?</fieldset>', text(response)).group(0)
        assert why in field, marking
    assert not ClarificationPoint.objects.exists()
    refused = ApiClient(token_for(reviewer)).post(f"/api/v1/assessments/{version.assessment_id}/points/", {
        "section": "scope", "message": "?", "marking": "TLP:RED"})
    assert refused.status_code == 400 and "does not name you" in refused.json()["errors"]["marking"][0]


def test_a_red_thread_is_read_by_the_member_state_and_the_named_reviewers_and_its_replies_carry_it(
        client, submitted, reviewer, named, admin_user, reporter_at, lead_at):
    version, _plain, _red = submitted
    pk = version.assessment_id
    client.force_login(named)
    assert ask(client, version, "TLP:RED", "Which operators rely on the named supplier?").status_code == 302
    assert ask(client, version, message="When was the method adopted?").status_code == 302
    red_point = ClarificationPoint.objects.get(marking=Marking.RED)
    page = client.get(reverse("assessments:version", args=[pk, 1]))
    points = re.search(r'id="points".*', page.content.decode(), re.S).group(0)
    assert re.findall(r'data-marking="([^"]+)"', points)[:2] == ["TLP:RED", "TLP:AMBER+STRICT"]
    assert banners(page) == ["TLP:RED", "TLP:RED"]
    client.post(reverse("assessments:send_points", args=[pk]))
    # The member state's staff read it on the section page, labelled, under a TLP:RED banner, and answer it.
    client.force_login(reporter_at)
    section = client.get(reverse("assessments:section", args=[pk, "scope"]))
    assert "Which operators rely on the named supplier?" in text(section)
    assert "TLP:RED" in labels(section) and banners(section) == ["TLP:RED", "TLP:RED"]
    client.post(reverse("assessments:answer_point", args=[pk, red_point.pk]), {"text": "Operators A and B."})
    answered = ApiClient(token_for(named)).get(f"/api/v1/assessments/{pk}/points/{red_point.pk}/").json()
    assert answered["marking"] == "TLP:RED" and answered["messages"][0]["text"] == "Operators A and B."
    # Another reviewer and an admin read the version and its other thread, not this one: not on the page, not in
    # the API.
    for user in (reviewer, admin_user):
        client.force_login(user)
        page = text(client.get(reverse("assessments:version", args=[pk, 1])))
        assert "When was the method adopted?" in page and "Which operators rely" not in page, user
        assert "Operators A and B." not in page
        tool = ApiClient(token_for(user))
        assert [p["marking"] for p in tool.get(f"/api/v1/assessments/{pk}/points/").json()["results"]] == [
            "TLP:AMBER+STRICT"]
        assert tool.get(f"/api/v1/assessments/{pk}/points/{red_point.pk}/").status_code == 404
    entry = LogEntry.objects.get(additional_data__event="marked", additional_data__of="thread")
    assert entry.additional_data["marking"] == "TLP:RED" and entry.actor == named
