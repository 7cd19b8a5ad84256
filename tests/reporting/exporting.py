"""Asking for an export as the pages do (a POST), and reading what comes back; made here or by a worker."""

import csv
import io
import re
import time

from django.urls import resolve, reverse
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from portal.markings import Marking
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


LABELS = {marking.value for marking in Marking}


def labelled_workbook(response):
    """The XLSX of a response (or its bytes) as it is, each sheet's first row its handling marking's label."""
    return load_workbook(io.BytesIO(body(response)))


def sheet_labels(book):
    """{sheet title: the first row's values, those left of the last one given} of a workbook."""
    labels = {}
    for sheet in book.worksheets:
        first = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
        while first and first[-1] is None:
            first.pop()
        labels[sheet.title] = first
    return labels


def workbook(response):
    """The XLSX of a response (or its bytes, or a labelled_workbook), opened with openpyxl: each sheet's first row,
    checked to be one TLP label, is taken off, so that a test reads the sheets' own rows from the first."""
    book = response if isinstance(response, Workbook) else labelled_workbook(response)
    for title, first in sheet_labels(book).items():
        if title.startswith("_"):  # the hidden sheets a workbook to fill in keeps for the portal
            continue
        assert first[0] in LABELS and not any(first[1:]), (title, first)
        book[title].delete_rows(1)
    return book


def pdf_text(response):
    """The text of a PDF response (or its bytes), page after page."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body(response))).pages)


def pdf_pages(response):
    """The text of each page of a PDF response (or its bytes)."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(body(response))).pages]


def pdf_labels(response):
    """Per page of a PDF (a response or its bytes), where its TLP labels are: [(label, where, x, size)], `where` "top"
    or "bottom" (in the top or bottom eighth of the page), `x` the label's left edge as a share of the page's width,
    `size` in points."""
    pages = []
    for page in PdfReader(io.BytesIO(body(response))).pages:
        width, height, found = float(page.mediabox.width), float(page.mediabox.height), []

        def seen(text, cm, tm, _font, size, found=found, width=width, height=height):
            label = text.strip()
            if label in LABELS:
                # The text matrix in the page's space: WeasyPrint draws in CSS pixels, scaled and flipped by `cm`.
                x, y = cm[0] * tm[4] + cm[4], cm[3] * tm[5] + cm[5]
                where = "top" if y > height * 7 / 8 else "bottom" if y < height / 8 else "body"
                found.append((label, where, round(x / width, 2), round(size * abs(cm[3]) * abs(tm[3]), 1)))

        page.extract_text(visitor_text=seen)
        pages.append(found)
    return pages


def pdf_label(response):
    """The one label a PDF carries in the header and the footer of every page (asserted), right-aligned, 12 pt."""
    pages = pdf_labels(response)
    assert pages, "no page"
    labels = set()
    for number, found in enumerate(pages, 1):
        assert sorted(where for _label, where, _x, _size in found) == ["bottom", "top"], (number, found)
        assert all(x > 0.5 and size >= 12 for _label, _where, x, size in found), (number, found)
        labels |= {label for label, *_rest in found}
    assert len(labels) == 1, labels
    return labels.pop()


def csv_rows(response):
    """Every row of a CSV (a response or its bytes), the label first."""
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def csv_parts(response):
    """A review table's CSV (a response or its bytes) as (the rows before its table, its rows): the first row is the
    file's label, checked and taken off; the second names the row its header is on (reporting/exports/content.py,
    csv_preamble)."""
    rows = csv_rows(response)
    assert rows[0][0] in LABELS and len(rows[0]) == 1, rows[0]
    header = int(re.search(r"header is on row (\d+)", rows[1][0]).group(1))
    return rows[1:header - 1], rows[header - 1:]
