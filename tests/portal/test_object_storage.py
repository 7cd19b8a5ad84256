"""Attachments and exports in a real S3 server (SeaweedFS, tests/processes.py), as with STORAGE_URL set.

Each test process has one SeaweedFS on free ports (`seaweed`, tests/conftest.py) and each test a bucket of its own; the
fault tests start one more each, which they kill and restart, and stop only that one.
"""

import collections
import hashlib
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from assessments.models import Attachment
from portal import health
from portal.lib.env import object_storages
from portal.lib.storage import attachment_storage
from reporting import services as review_services
from reporting.models import CoordinatedReview, Export
from tests.processes import SeaweedFS
from tests.reporting.exporting import body, made_here, workbook
from tests.signing_in import PortalClient

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
UNAVAILABLE = "Nothing was attached and no part of it was kept"


def use_bucket(settings, server, bucket):
    settings.STORAGES = {**settings.STORAGES, **object_storages(server.url(bucket), region="us-east-1")}


@pytest.fixture
def bucket(settings, seaweed, tmp_path):
    settings.MEDIA_ROOT = settings.EXPORT_ROOT = tmp_path / "local"  # must stay empty: everything goes to the bucket
    name = seaweed.bucket()
    use_bucket(settings, seaweed, name)
    return name


def upload(client, draft, name, content):
    return client.post(reverse("assessments:attachments", args=[draft.pk]), {"file": SimpleUploadedFile(name, content)})


def test_an_attachment_goes_to_the_bucket_under_its_checksum_and_comes_back_only_through_the_access_check(
        client, draft, reporter_at, reporter_fr, bucket, seaweed, tmp_path):
    client.force_login(reporter_at)
    assert upload(client, draft, "method.pdf", PDF).status_code == 302
    attachment = Attachment.objects.get()
    sha256 = hashlib.sha256(PDF).hexdigest()
    key = f"attachments/{draft.pk}/{sha256}"
    assert seaweed.keys(bucket) == [key] and not (tmp_path / "local").exists()
    head = seaweed.client().head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"] and attachment_storage().backend.checksum(attachment.file.name) == sha256
    response = client.get(reverse("assessments:attachment", args=[draft.pk, attachment.pk]))
    assert response.status_code == 200 and body(response) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="method.pdf"'
    # Nothing is public: the object's own URL, without a signature, is refused by the server.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{seaweed.endpoint}/{bucket}/{key}", timeout=5)
    assert refused.value.code == 403
    client.force_login(reporter_fr)
    assert client.get(reverse("assessments:attachment", args=[draft.pk, attachment.pk])).status_code == 404


def test_a_key_that_exists_is_not_written_again_and_a_wrong_checksum_is_refused(bucket, seaweed):
    storage = attachment_storage()
    name = f"attachments/1/{hashlib.sha256(PDF).hexdigest()}"
    assert storage.save(name, ContentFile(PDF)) == name
    first = seaweed.client().head_object(Bucket=bucket, Key=name)["LastModified"]
    time.sleep(1.1)  # the server's clock counts whole seconds
    assert storage.save(name, ContentFile(PDF)) == name
    assert seaweed.client().head_object(Bucket=bucket, Key=name)["LastModified"] == first
    with pytest.raises(OSError, match="does not match its checksum"):
        storage.save("attachments/1/" + "0" * 64, ContentFile(PDF))
    assert seaweed.keys(bucket) == [name]


def test_an_export_made_into_the_bucket_downloads_from_it(client, reviewer, four, bucket, seaweed):
    review = CoordinatedReview.objects.filter(cycle=four).latest("pk")
    review_services.review_build(review_id=review.pk)
    client.force_login(reviewer)
    response = made_here(client, reverse("reporting:review_export", args=[review.pk, "xlsx"]))
    export = Export.objects.get()
    assert seaweed.keys(bucket) == [f"exports/{export.sha256[:2]}/{export.sha256}"]
    assert workbook(response)["Risk scenarios"]["A1"].value == "Code"


@pytest.mark.long
def test_a_storage_server_killed_gives_a_clear_503_and_keeps_nothing_then_the_same_upload_succeeds(
        client, draft, reporter_at, settings, tmp_path):
    server = SeaweedFS(tmp_path / "own-seaweedfs").start()
    try:
        bucket = server.bucket()
        use_bucket(settings, server, bucket)
        client.force_login(reporter_at)
        assert upload(client, draft, "first.pdf", PDF).status_code == 302
        server.kill()
        second = PDF + b"% the second\n"
        started = time.monotonic()
        refused = upload(client, draft, "second.pdf", second)
        assert refused.status_code == 503 and UNAVAILABLE in refused.content.decode()
        assert time.monotonic() - started < 20  # a clear answer, long before gunicorn's 30-second timeout
        assert list(Attachment.objects.values_list("name", flat=True)) == ["first.pdf"]  # no orphan row
        # A download while it is down: 503 with the message, not a 500.
        first = Attachment.objects.get()
        down = client.get(reverse("assessments:attachment", args=[draft.pk, first.pk]))
        assert down.status_code == 503 and "file storage did not answer" in down.content.decode()
        server.start()
        assert upload(client, draft, "second.pdf", second).status_code == 302
        assert server.keys(bucket) == sorted(f"attachments/{draft.pk}/{a.sha256}" for a in Attachment.objects.all())
        assert Attachment.objects.count() == 2
    finally:
        server.stop()


@pytest.mark.long
def test_healthz_reports_the_object_storage(client, settings, tmp_path):
    server = SeaweedFS(tmp_path / "own-seaweedfs").start()
    try:
        use_bucket(settings, server, server.bucket())
        health.forget()
        assert client.get("/healthz").json()["storage"] == "ok"
        server.kill()
        health.forget()  # a round's answer is reused for a second
        response = client.get("/healthz")
        assert response.status_code == 503 and response.json()["storage"] == "unavailable"
    finally:
        server.stop()


@pytest.mark.long
@pytest.mark.django_db(transaction=True)
def test_a_storage_server_killed_during_uploads_leaves_no_half_written_object_and_no_orphan_row(
        draft, reporter_at, settings, tmp_path):
    """Three filers upload 1 MB files one after another while the server is SIGKILLed: each upload is attached (its
    row and its whole object) or refused with 503 (neither); once the server is back, every refused one succeeds."""
    server = SeaweedFS(tmp_path / "own-seaweedfs").start()
    try:
        bucket = server.bucket()
        use_bucket(settings, server, bucket)
        outcomes, stop = [], threading.Event()

        def filer(number):
            client = PortalClient()
            client.force_login(reporter_at)
            try:
                sent = 0
                while not stop.is_set():
                    sent += 1
                    content = PDF + f"% filer {number}, file {sent}\n".encode() + b"%" * (1 << 20)
                    response = upload(client, draft, f"f{number}-{sent}.pdf", content)
                    outcomes.append((response.status_code, content, response.content))
            finally:
                connection.close()

        threads = [threading.Thread(target=filer, args=(number,)) for number in range(3)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while sum(status == 302 for status, *_rest in outcomes) < 6 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill()  # while the filers go on uploading
        time.sleep(3)
        stop.set()
        for thread in threads:
            thread.join(60)

        statuses = collections.Counter(status for status, _content, _page in outcomes)
        assert set(statuses) == {302, 503} and statuses[302] > 0 and statuses[503] > 0, statuses
        assert all(UNAVAILABLE in page.decode() for status, _content, page in outcomes if status == 503)
        refused = [content for status, content, _page in outcomes if status == 503]
        attached = {hashlib.sha256(content).hexdigest() for status, content, _page in outcomes if status == 302}
        assert set(Attachment.objects.values_list("sha256", flat=True)) == attached  # no orphan row
        server.start()
        # Every object is whole and has its row: no half-written one from the uploads the kill cut short.
        for key in server.keys(bucket):
            sha256 = key.rsplit("/", 1)[1]
            assert sha256 in attached, f"{key}: an object without its row"
            assert hashlib.sha256(server.read(bucket, key)).hexdigest() == sha256
        client = PortalClient()
        client.force_login(reporter_at)
        for number, content in enumerate(refused):
            assert upload(client, draft, f"again-{number}.pdf", content).status_code == 302
        assert Attachment.objects.count() == len(outcomes)
        assert len(server.keys(bucket)) == len(outcomes)
    finally:
        server.stop()
