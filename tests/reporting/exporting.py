"""Asking for an export as the pages do (a POST), and reading what comes back; made here or by a worker."""

import csv
import io
import re
import time

from django.urls import resolve, reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reporting.exports import jobs as export_jobs
from reporting.models import Export, JobStatus


def ask(client, url, data=None):
    """POST as the page's button does: the export row the answer leads to, and the answer."""
    response = client.post(url, data or {})
    assert response.status_code == 302, response.status_code
    return Export.objects.get(pk=resolve(response.url).kwargs["pk"]), response


def made_here(client, url, data=None):
    """Ask, make the export in this process, download it: the file's response.

    In a test that commits (transaction=True) the request also handed the job to the suite's worker, which may have
    claimed it first: then this waits for the worker's file instead of making its own.
    """
    export, _response = ask(client, url, data)
    if export_jobs.export_build(export_id=export.pk) is None:
        deadline = time.monotonic() + 60
        while not Export.objects.filter(pk=export.pk, status__in=[JobStatus.DONE, JobStatus.FAILED]).exists():
            assert time.monotonic() < deadline, "the worker that claimed the export did not finish it"
            time.sleep(0.1)
    return client.get(reverse("reporting:export_file", args=[export.pk]))


def body(response):
    """The bytes of a response, streamed or not (read once: a stream is spent after)."""
    if isinstance(response, bytes):
        return response
    return b"".join(response.streaming_content) if response.streaming else response.content


def workbook(response):
    """The XLSX of a response (or its bytes), opened with openpyxl."""
    return load_workbook(io.BytesIO(body(response)))


def pdf_text(response):
    """The text of a PDF response (or its bytes), page after page."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body(response))).pages)


def csv_parts(response):
    """A review table's CSV (a response or its bytes) as (the rows before its table, its rows): the first row names
    the row its header is on (reporting/exports/content.py, csv_preamble)."""
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    header = int(re.search(r"header is on row (\d+)", rows[0][0]).group(1))
    return rows[:header - 1], rows[header - 1:]
