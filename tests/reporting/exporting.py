"""Asking for an export as the pages do (a POST), and reading what comes back; made here or by a worker."""

import csv
import io
import re

from django.urls import resolve, reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reporting.exports import jobs as export_jobs
from reporting.models import Export


def ask(client, url, data=None):
    """POST as the page's button does: the export row the answer leads to, and the answer."""
    response = client.post(url, data or {})
    assert response.status_code == 302, response.status_code
    return Export.objects.get(pk=resolve(response.url).kwargs["pk"]), response


def made_here(client, url, data=None):
    """Ask, make the export in this process (no worker), download it: the file's response."""
    export, _response = ask(client, url, data)
    export_jobs.export_build(export_id=export.pk)
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
