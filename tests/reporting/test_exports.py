"""Exports as jobs, through HTTP, made in the test's process: asking, the progress page, the file, who gets what.

The same with a real Celery worker, killed mid-render among others: tests/reporting/test_export_worker.py.
"""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import Section
from portal import audit
from portal.lib.pdf import local_fetcher
from portal.models import MemberState
from reporting import claims, publishing
from reporting.exports import jobs as export_jobs
from reporting.models import Audience, CoordinatedReview, Export, JobStatus
from tests import factories
from tests.reporting.exporting import ask, body, made_here, pdf_text, workbook

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)
# The tables with one row per member state (reporting/tables.py: per_member_state).
PER_MEMBER_STATE = ["Risk levels by member state", "Supplier concentration", "Measures by member state",
                    "Notes on measures", "Who is included", "Consistency flags"]


def export_url(review, fmt):
    return reverse("reporting:review_export", args=[review.pk, fmt])


def pages_of(export):
    return [reverse(name, args=[export.pk]) for name in ("reporting:export", "reporting:export_status",
                                                         "reporting:export_file")]


def test_asking_answers_with_the_progress_page_and_hands_the_job_over_after_commit(
        client, reviewer, review, django_capture_on_commit_callbacks):
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks() as sent:
        export, response = ask(client, export_url(review, "xlsx"))
    assert response.url == reverse("reporting:export", args=[export.pk]) and len(sent) == 1
    assert (export.status, export.kind, export.audience, export.language, export.requested_by) == (
        JobStatus.QUEUED, "review", Audience.REVIEWER, "en", reviewer)
    page = client.get(response.url).content.decode()
    assert 'role="status"' in page and "The export is queued" in page
    assert f'hx-get="{reverse("reporting:export_status", args=[export.pk])}?shown=queued' in page
    # Asked again while it waits: the same row, nothing sent twice.
    with django_capture_on_commit_callbacks() as sent_again:
        again, _response = ask(client, export_url(review, "xlsx"))
    assert again.pk == export.pk and sent_again == [] and Export.objects.count() == 1


def test_a_made_export_is_served_from_storage_and_asked_again_is_the_file_at_once(
        client, reviewer, review, export_root, django_capture_on_commit_callbacks):
    client.force_login(reviewer)
    response = made_here(client, export_url(review, "xlsx"))
    export = Export.objects.get()
    assert (export.status, export.attempts) == (JobStatus.DONE, 1)
    assert (export_root / export.file.name).is_file() and export.file.name.endswith(export.sha256)
    assert response["Content-Disposition"] == f'attachment; filename="coordinated-review-2019-{review.pk}.xlsx"'
    assert response["Cache-Control"] == "no-store"
    content = body(response)
    assert len(content) == export.size and workbook(content)["Risk scenarios"]["A1"].value == "Code"
    with django_capture_on_commit_callbacks() as sent:
        again = client.post(export_url(review, "xlsx"))
    assert again.url == reverse("reporting:export_file", args=[export.pk]) and sent == []
    assert export_jobs.export_build(export_id=export.pk) is None  # made once: a late message changes nothing
    assert Export.objects.get().attempts == 1
    assert audit.entries().filter(additional_data__what="review export", additional_data__export=export.pk).exists()


def test_the_progress_page_says_only_what_changed(client, reviewer, review):
    client.force_login(reviewer)
    export, _response = ask(client, export_url(review, "pdf"))
    status = reverse("reporting:export_status", args=[export.pk])
    assert client.get(status, {"shown": "queued", "step": ""}).status_code == 204  # nothing new: nothing swapped
    claims.exports.take(export.pk, claim="task-1")
    Export.objects.filter(pk=export.pk).update(progress="Drawing the charts")
    fragment = client.get(status, {"shown": "queued", "step": ""}).content.decode()
    assert 'id="export-announcement"' in fragment and "being made" in fragment and "Drawing the charts" in fragment
    # A new step, the same state: the step shows, the live region is left alone (a screen reader hears nothing).
    Export.objects.filter(pk=export.pk).update(progress="Laying out the PDF")
    fragment = client.get(status, {"shown": "running", "step": "Drawing the charts"}).content.decode()
    assert "Laying out the PDF" in fragment and "export-announcement" not in fragment
    assert 'hx-trigger="every 2s"' in fragment


def test_a_failed_export_shows_its_error_and_retry_queues_it_again(
        client, reviewer, review, export_root, django_capture_on_commit_callbacks):
    client.force_login(reviewer)
    export, _response = ask(client, export_url(review, "xlsx"))
    CoordinatedReview.objects.filter(pk=review.pk).update(results={})  # figures it cannot read
    with pytest.raises(KeyError):
        export_jobs.export_build(export_id=export.pk)
    page = client.get(reverse("reporting:export", args=[export.pk])).content.decode()
    assert "The export failed." in page and "KeyError: &#x27;scenarios&#x27;" in page and ">Retry</button>" in page
    assert client.get(reverse("reporting:export_file", args=[export.pk])).status_code == 302  # no file to give
    with django_capture_on_commit_callbacks() as sent:
        client.post(reverse("reporting:export_retry", args=[export.pk]))
    export.refresh_from_db()
    assert export.status == JobStatus.QUEUED and len(sent) == 1


def test_a_file_lost_from_storage_is_made_again(client, reviewer, review, export_root,
                                                django_capture_on_commit_callbacks):
    client.force_login(reviewer)
    made_here(client, export_url(review, "xlsx"))
    export = Export.objects.get()
    (export_root / export.file.name).unlink()
    with django_capture_on_commit_callbacks() as sent:
        response = client.get(reverse("reporting:export_file", args=[export.pk]))
    assert response.url == reverse("reporting:export", args=[export.pk]) and len(sent) == 1
    assert Export.objects.get().status == JobStatus.QUEUED


def test_authority_staff_export_the_published_aggregates_and_never_reach_a_reviewers_export(
        client, reviewer, reporter_at, review, export_root):
    client.force_login(reviewer)
    made_here(client, export_url(review, "xlsx"))
    for_reviewers = Export.objects.get()
    client.force_login(reporter_at)
    assert client.post(export_url(review, "xlsx")).status_code == 404  # not published yet
    publishing.review_publish(review=review, user=reviewer)
    book = workbook(made_here(client, export_url(review, "xlsx")))
    public = Export.objects.exclude(pk=for_reviewers.pk).get()
    assert public.audience == Audience.PUBLIC and public.key != for_reviewers.key
    assert "Risk scenarios" in book.sheetnames and not set(PER_MEMBER_STATE + ["Provenance"]) & set(book.sheetnames)
    assert client.get(reverse("reporting:export_file", args=[public.pk]))["Content-Disposition"].endswith(
        f'coordinated-review-2019-{review.pk}-aggregates.xlsx"')
    # Its address guessed: the reviewers' export of the same review is not there for them.
    for url in pages_of(for_reviewers):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("reporting:export_retry", args=[for_reviewers.pk])).status_code == 404
    # Staff of a member state the cycle does not ask see neither.
    client.force_login(factories.user("reporter", "PL"))
    for export in (for_reviewers, public):
        for url in pages_of(export):
            assert client.get(url).status_code == 404, url


def test_a_comparison_export_is_keyed_by_its_choices_and_population_and_is_for_reviewers_only(
        client, reviewer, reporter_at, four, export_root, submit):
    client.force_login(reviewer)
    url = reverse("reporting:comparison_export", args=[four.pk])
    ids = {ms.eu_code: ms.pk for ms in MemberState.objects.filter(eu_code__in=["AT", "BE", "DE"])}
    choice = {"section": "scenarios", "format": "xlsx"}
    response = made_here(client, url, {**choice, "member_states": [ids["DE"], ids["AT"]]})
    export = Export.objects.get()
    assert export.parameters["member_states"] == ["AT", "DE"] and export.parameters["section"] == "scenarios"
    # In the EU's protocol order, Germany before Austria, whichever was chosen first.
    assert [c.value for c in workbook(response).worksheets[0][1]][:4] == ["Question", "Field", "Germany", "Austria"]
    # The same choices in another order: the same export, served at once.
    again = client.post(url, {**choice, "member_states": [ids["AT"], ids["DE"]]})
    assert again.url == reverse("reporting:export_file", args=[export.pk])
    # Other choices, or the same after the population changed, are another file.
    other, _response = ask(client, url, {**choice, "member_states": [ids["AT"], ids["BE"]]})
    submit(four, "IT")  # the EU median now counts Italy too: another comparison of the same choices
    newer, _response = ask(client, url, {**choice, "member_states": [ids["AT"], ids["DE"]]})
    assert len({export.pk, other.pk, newer.pk}) == 3
    # Nonsense is answered on the page, never a 500.
    assert client.post(url, {**choice, "member_states": [ids["AT"]]}).url == reverse("reporting:compare",
                                                                                   args=[four.pk])
    # Reviewers' work: authority staff get 404 on every address of it, and cannot ask for one.
    client.force_login(reporter_at)
    assert client.post(url, {**choice, "member_states": [ids["AT"], ids["DE"]]}).status_code == 404
    for url in pages_of(export):
        assert client.get(url).status_code == 404, url


def test_beyond_the_limit_the_pdf_leaves_the_per_member_state_tables_to_the_xlsx(
        client, reviewer, review, export_root, settings):
    settings.EXPORT_PDF_MEMBER_STATE_LIMIT = 3  # the review includes four
    client.force_login(reviewer)
    text = pdf_text(made_here(client, export_url(review, "pdf")))
    assert "This review includes 4 member states, more than the 3 a PDF lists one by one." in text
    assert "complete in the XLSX export" in text
    assert "Risk scenarios" in text and "Member states rating each scenario high or critical" in text
    # The EU figures' charts stay complete; the listings are gone, the heat map (a row per member state) with them.
    assert "Risk levels by member state and scenario" not in text
    for title in ["Risk levels by member state", "Measures by member state", "Notes on measures", "Consistency flags",
                  "Supplier concentration"]:
        assert f"\n{title}\n" not in text, title
        assert title in text.split("complete in the XLSX export")[0], title  # named in the note
    book = workbook(made_here(client, export_url(review, "xlsx")))
    assert {"Risk levels by member state", "Measures by member state", "Notes on measures",
            "Provenance"} <= set(book.sheetnames)


def test_within_the_limit_the_pdf_has_every_table_and_no_note(client, reviewer, review, export_root):
    client.force_login(reviewer)
    text = pdf_text(made_here(client, export_url(review, "pdf")))
    assert "a PDF lists one by one" not in text
    for title in ["Measures by member state", "Notes on measures", "Provenance"]:
        assert title in text, title
    # 29 measures leave two letters a cell on the page: the matrix prints marks, and says what they mean.
    assert "Statuses: NS not started; P planned; IP in preparation; AD adopted; AP applied; NA not applicable." in text


def test_the_pdf_reads_its_stylesheet_from_disk_and_nothing_from_the_network(settings):
    fetcher = local_fetcher()
    response = fetcher.fetch(f"{settings.SITE_URL}/static/css/export-pdf.css")
    assert response.content_type == "text/css" and b"@page" in response.read()
    response.close()
    for url in ("https://example.com/static/../../etc/passwd", "http://169.254.169.254/latest/meta-data/",
                f"{settings.SITE_URL}/static/css/nothing-here.css", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_sweep_hands_over_exports_never_sent_and_those_whose_worker_fell_silent(client, reviewer, review,
                                                                                   settings):
    client.force_login(reviewer)
    waiting, _response = ask(client, export_url(review, "xlsx"))  # the broker never heard of it (no commit here)
    silent, _response = ask(client, export_url(review, "pdf"))
    now = timezone.now()
    export_jobs.export_mark_enqueued(silent.pk)
    claims.exports.take(silent.pk, claim="task-1", now=now)
    silent_for = settings.REVIEW_ABANDONED_AFTER_SECONDS
    assert export_jobs.export_sweep(now=now + silent_for * SECOND) == [waiting.pk]  # silent exactly that long: not yet
    assert sorted(export_jobs.export_sweep(now=now + (silent_for + 1) * SECOND)) == sorted([waiting.pk, silent.pk])
    silent.refresh_from_db()
    assert (silent.status, silent.enqueued_at) == (JobStatus.QUEUED, None)
    # The build that fell silent, waking up, writes nothing.
    assert Export.objects.filter(pk=silent.pk).held_by("task-1").update(status=JobStatus.DONE) == 0


def test_the_database_refuses_an_export_done_without_its_file_or_a_comparison_for_staff(reviewer, review):
    export, _created = export_jobs.export_review_request(review=review, fmt="pdf", user=reviewer, language="en")
    with pytest.raises(IntegrityError), transaction.atomic():
        Export.objects.filter(pk=export.pk).update(status=JobStatus.DONE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Export.objects.filter(pk=export.pk).update(kind="comparison", review=None, audience=Audience.PUBLIC)
    assert export_jobs.export_comparison_request(
        cycle=review.cycle, member_states=MemberState.objects.filter(eu_code__in=["AT", "BE"]),
        section=Section.SCOPE, previous=False, fmt="pdf", user=reviewer, language="en")[1]
