import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services
from assessments.models import Attachment
from tests.assessments import helpers

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(client, draft, name, content):
    return client.post(reverse("assessments:attachments", args=[draft.pk]),
                       {"file": SimpleUploadedFile(name, content)})


def test_a_pdf_is_attached_and_downloaded_through_the_permission_checked_view(client, draft, reporter_at):
    client.force_login(reporter_at)
    assert upload(client, draft, "method.pdf", PDF).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    response = client.get(reverse("assessments:attachment", args=[draft.pk, attachment.pk]))
    assert b"".join(response.streaming_content) == PDF


def test_a_docx_is_recognised_from_its_content(client, draft, reporter_at):
    client.force_login(reporter_at)
    assert upload(client, draft, "notes.docx", docx_bytes()).status_code == 302


@pytest.mark.parametrize("name, content, message", [
    ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,
     "is not a PDF, XLSX, DOCX or ODT"),
    ("empty.pdf", b"", "The submitted file is empty"),
])
def test_renamed_executables_and_empty_files_are_refused(client, draft, reporter_at, name, content, message):
    client.force_login(reporter_at)
    response = upload(client, draft, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_oversized_file_is_refused(client, draft, reporter_at):
    client.force_login(reporter_at)
    response = upload(client, draft, "big.pdf", PDF + b"0" * (20 * 1024 * 1024))
    assert response.status_code == 400
    assert "attachments may be at most 20 MB" in response.content.decode()


def test_another_member_state_and_reviewers_before_submission_get_404(client, draft, reporter_at, reporter_fr,
                                                                      reviewer, lead_at):
    client.force_login(reporter_at)
    upload(client, draft, "method.pdf", PDF)
    url = reverse("assessments:attachment", args=[draft.pk, Attachment.objects.get().pk])
    for outsider in (reporter_fr, reviewer):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    helpers.fill(draft)
    services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    client.force_login(reviewer)
    assert client.get(url).status_code == 200  # now cited by a submitted version
    client.force_login(reporter_fr)
    assert client.get(url).status_code == 404


def test_a_submitted_version_records_the_attachment_checksums(client, draft, reporter_at, lead_at):
    client.force_login(reporter_at)
    upload(client, draft, "method.pdf", PDF)
    helpers.fill(draft)
    version = services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    import hashlib

    assert version.snapshot["attachments"] == [
        {"name": "method.pdf", "sha256": hashlib.sha256(PDF).hexdigest(), "size": len(PDF),
         "content_type": "application/pdf"}]


def test_files_are_stored_under_their_checksum_outside_static_and_never_served_directly(client, draft, reporter_at):
    import hashlib
    from pathlib import Path

    import portal.settings as configured  # the configured values, not this test's temporary MEDIA_ROOT

    media = Path(configured.MEDIA_ROOT).resolve()
    for static in [*configured.STATICFILES_DIRS, configured.STATIC_ROOT]:
        assert not media.is_relative_to(Path(static).resolve()), static
    client.force_login(reporter_at)
    upload(client, draft, "method.pdf", PDF)
    stored = Attachment.objects.get().file.name
    assert stored == f"attachments/{draft.pk}/{hashlib.sha256(PDF).hexdigest()}"
    # No URL maps to the media folder: the only way to a file is the permission-checked view.
    for url in (f"/media/{stored}", f"/{stored}", f"/static/{stored}"):
        assert client.get(url).status_code == 404, url
