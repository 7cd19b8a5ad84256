"""The restore drill of docs/operations.md, as an operator runs it: the demo (with an attachment and an export) backed
up with pg_dump and backup_files, restored into a new database and a new bucket, and verified there.

The S3 buckets are the test's own (on the test process's SeaweedFS); the restored database is dropped at the end.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from assessments.models import AssessmentVersion, Attachment
from portal.demo import seed_demo
from portal.lib.env import object_storages
from reporting import services as review_services
from reporting.models import CoordinatedReview, Export, JobStatus
from tests.processes import database_url
from tests.reporting.exporting import made_here

pytestmark = [pytest.mark.long, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n% kept in the backup\n"


def manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def postgres(*args):
    db = connection.settings_dict
    return ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"], *args]


@pytest.fixture
def portal_bucket(seaweed, settings):
    """The bucket the portal stores in during the test: a new one on the test process's SeaweedFS."""
    bucket = seaweed.bucket()
    settings.STORAGES = {**settings.STORAGES, **object_storages(seaweed.url(bucket), region="us-east-1")}
    return bucket


@pytest.fixture
def restored_database():
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:6]}"
    subprocess.run(["psql", *postgres("-d", "postgres", "-c", f'CREATE DATABASE "{name}"')], check=True,
                   capture_output=True)
    yield name
    subprocess.run(["psql", *postgres("-d", "postgres", "-c", f'DROP DATABASE "{name}" WITH (FORCE)')], check=True,
                   capture_output=True)


def test_the_demo_backed_up_and_restored_into_a_new_database_and_bucket_is_intact(
        seaweed, portal_bucket, restored_database, client, draft, reporter_at, four, reviewer, tmp_path, monkeypatch):
    seed_demo()
    client.force_login(reporter_at)
    assert client.post(reverse("assessments:attachments", args=[draft.pk]),
                       {"file": SimpleUploadedFile("method.pdf", PDF)}).status_code == 302
    review = CoordinatedReview.objects.filter(cycle=four).latest("pk")
    review_services.review_build(review_id=review.pk)
    client.force_login(reviewer)
    assert made_here(client, reverse("reporting:review_export", args=[review.pk, "xlsx"])).status_code == 200
    versions, attachments = AssessmentVersion.objects.count(), Attachment.objects.count()
    exports = Export.objects.filter(status=JobStatus.DONE).count()
    assert versions > 10 and attachments == 1 and exports == 1

    # The backup: the database with pg_dump, the files with backup_files.
    dump, files = tmp_path / "portal.dump", tmp_path / "files"
    subprocess.run(["pg_dump", *postgres("-Fc", "--no-owner", "-f", str(dump), connection.settings_dict["NAME"])],
                   check=True, capture_output=True)
    call_command("backup_files", str(files))

    # The restore: a new database and a new bucket, then the check.
    subprocess.run(["pg_restore", *postgres("--no-owner", "-d", restored_database, str(dump))], check=True,
                   capture_output=True)
    bucket = seaweed.bucket()  # the restored one
    restored = database_url().rsplit("/", 1)[0] + f"/{restored_database}"
    env = {**os.environ, "DATABASE_URL": restored, "STORAGE_URL": seaweed.url(bucket)}
    done = manage("restore_files", str(files), env=env)
    assert done.returncode == 0, done.stderr
    checked = manage("verify_restore", env=env)
    assert checked.returncode == 0, checked.stderr
    assert f"Intact: {versions} versions, {attachments} attachments, {exports} exports verified." in checked.stdout
    assert seaweed.keys(bucket) == seaweed.keys(portal_bucket)

    # The check is not a formality: one object changed in the restored bucket is named.
    attachment = Attachment.objects.get()
    seaweed.client().put_object(Bucket=bucket, Key=attachment.file.name, Body=PDF + b"tampered")
    tampered = manage("verify_restore", env=env)
    assert tampered.returncode == 1
    assert f"attachment {attachment.file.name}: its file does not match its SHA-256" in tampered.stderr
