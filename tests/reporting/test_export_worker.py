"""Exports made by real Celery workers through a Redis of the test's own, as a reviewer and a filer ask for them.

Real processes (tests/processes.py, the `broker` fixture of tests/reporting/conftest.py): prefork workers, beat with
the portal's sweep, SIGKILL. The workers store files
where this process serves them from (EXPORT_ROOT). Each test prints what it measured (pytest -s).
"""

import time

import pytest
from django.urls import reverse

from reporting import publishing
from reporting.models import Audience, CoordinatedReview, Export, JobStatus
from tests.reporting.exporting import ask, body, pdf_text, workbook
from tests.reporting.test_review_faults import RECOVERY_GOAL, measured

pytestmark = [pytest.mark.worker, pytest.mark.long, pytest.mark.django_db(transaction=True)]

def worker(broker, export_root, **env):
    """A prefork worker storing exports where this process serves them from, ready; and when it was."""
    started = broker.celery("worker", EXPORT_ROOT=str(export_root), **env)
    return started, started.wait_ready()


def wait_for(export, condition, *, timeout, logs):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if condition(export):
            return export
        time.sleep(0.1)
    raise AssertionError(f"export {export.pk} still {export.status} ({export.error}) after {timeout} s\n{logs()}")


def done(export):
    return export.status in (JobStatus.DONE, JobStatus.FAILED)


def timed_ask(client, url, data=None):
    started = time.monotonic()
    export, response = ask(client, url, data)
    return export, response, time.monotonic() - started


def test_asking_answers_at_once_shows_progress_and_the_worker_makes_the_file_once(
        broker, client, reviewer, review, export_root, record_property):
    worker(broker, export_root, EXPORT_BUILD_PAUSE_SECONDS="3")  # the job holds after its first step
    client.force_login(reviewer)
    url = reverse("reporting:review_export", args=[review.pk, "xlsx"])
    export, response, answered = timed_ask(client, url)
    measured(record_property, "asking for an export answered in", answered)  # its goal: bench/ and docs/review.md
    # The answer did not wait for the file: the job was at most begun when it came.
    assert response.url == reverse("reporting:export", args=[export.pk])
    assert export.status in (JobStatus.QUEUED, JobStatus.RUNNING) and not export.sha256

    # While it runs, the page says so, with the step it is at.
    export = wait_for(export, lambda e: e.status == JobStatus.RUNNING and e.progress, timeout=20, logs=broker.logs)
    page = client.get(response.url).content.decode()
    assert "The export is being made." in page and "Reading the review&#x27;s figures" in page
    status = client.get(reverse("reporting:export_status", args=[export.pk]),
                        {"shown": "running", "step": export.progress})
    assert status.status_code == 204  # polled again: nothing new, nothing said

    export = wait_for(export, done, timeout=30, logs=broker.logs)
    assert export.status == JobStatus.DONE, export.error
    page = client.get(response.url).content.decode()
    assert "The export is ready." in page and reverse("reporting:export_file", args=[export.pk]) in page
    content = body(client.get(reverse("reporting:export_file", args=[export.pk])))
    book = workbook(content)
    # A figure worked out by hand (tests/conftest.py four): R4's likelihoods 5, 2, 4, 1 have a mean of 3.
    rows = list(book["Risk scenarios"].iter_rows(values_only=True))
    header = rows[0]
    r4 = dict(zip(header, next(row for row in rows if row[0] == "R4")))
    assert r4["Member states"] == 4 and r4["Likelihood mean (scale 1 to 5)"] == 3.0
    assert {"Measures by member state", "Provenance"} <= set(book.sheetnames)

    # Asked again: the file at once, made once (one attempt, one row).
    again = client.post(url)
    assert again.url == reverse("reporting:export_file", args=[export.pk])
    export.refresh_from_db()
    assert (Export.objects.count(), export.attempts, export.size) == (1, 1, len(content))


def test_an_export_whose_worker_is_killed_mid_render_is_made_once_another_worker_is_up(
        broker, client, reviewer, review, export_root, record_property):
    broker.celery("beat", EXPORT_ROOT=str(export_root))  # as in production: the sweep every 5 s
    doomed, _ready = worker(broker, export_root, EXPORT_BUILD_PAUSE_SECONDS="120")
    client.force_login(reviewer)
    export, _response, _answered = timed_ask(client, reverse("reporting:review_export", args=[review.pk, "pdf"]))
    export = wait_for(export, lambda e: e.status == JobStatus.RUNNING and e.progress, timeout=20, logs=broker.logs)
    first_claim = export.claimed_by

    doomed.kill()  # the worker and its pool process, mid-render: the row stays running, its message unacked
    killed = time.monotonic()
    _worker, up = worker(broker, export_root)
    export = wait_for(export, done, timeout=RECOVERY_GOAL, logs=broker.logs)
    finished = time.monotonic()
    measured(record_property, "export worker killed: made after the new worker was up", finished - up)
    measured(record_property, "export worker killed: made after the kill", finished - killed)
    assert export.status == JobStatus.DONE, export.error
    assert export.claimed_by not in ("", first_claim) and export.attempts == 2
    text = pdf_text(client.get(reverse("reporting:export_file", args=[export.pk])))
    assert "EU coordinated review: Four" in text and "Risk scenarios" in text


def test_a_failed_export_shows_its_error_and_retry_makes_it(broker, client, reviewer, review, export_root):
    worker(broker, export_root)
    good = review.results
    CoordinatedReview.objects.filter(pk=review.pk).update(results={})  # figures the export cannot read
    client.force_login(reviewer)
    export, response, _answered = timed_ask(client, reverse("reporting:review_export", args=[review.pk, "xlsx"]))
    export = wait_for(export, done, timeout=30, logs=broker.logs)
    assert export.status == JobStatus.FAILED and export.error == "KeyError: 'scenarios'"
    page = client.get(response.url).content.decode()
    assert "The export failed." in page and "KeyError" in page and ">Retry</button>" in page

    CoordinatedReview.objects.filter(pk=review.pk).update(results=good)
    assert client.post(reverse("reporting:export_retry", args=[export.pk])).url == response.url
    export = wait_for(export, lambda e: e.status == JobStatus.DONE, timeout=30, logs=broker.logs)
    assert export.error == "" and export.attempts == 2
    assert "Risk scenarios" in workbook(client.get(reverse("reporting:export_file", args=[export.pk]))).sheetnames


def test_authority_staff_export_the_published_review_through_the_same_job_and_get_aggregates_only(
        broker, client, reviewer, reporter_at, review, export_root):
    worker(broker, export_root)
    client.force_login(reviewer)
    for_reviewers, _response, _answered = timed_ask(
        client, reverse("reporting:review_export", args=[review.pk, "xlsx"]))
    publishing.review_publish(review=review, user=reviewer)
    client.force_login(reporter_at)
    export, response, _answered = timed_ask(client, reverse("reporting:review_export", args=[review.pk, "xlsx"]))
    assert export.pk != for_reviewers.pk and export.audience == Audience.PUBLIC
    export = wait_for(export, done, timeout=30, logs=broker.logs)
    assert export.status == JobStatus.DONE, export.error
    book = workbook(client.get(reverse("reporting:export_file", args=[export.pk])))
    assert "Risk scenarios" in book.sheetnames
    assert not {"Risk levels by member state", "Measures by member state", "Notes on measures", "Provenance",
                "Consistency flags", "Supplier concentration", "Who is included"} & set(book.sheetnames)
    # The reviewers' export of the same review, made by the same worker, is not theirs by any address.
    wait_for(for_reviewers, done, timeout=30, logs=broker.logs)
    for name in ("reporting:export", "reporting:export_status", "reporting:export_file"):
        assert client.get(reverse(name, args=[for_reviewers.pk])).status_code == 404, name
