"""Exports of a review and of a comparison: XLSX, CSV and PDF.

Text a spreadsheet would run as a formula is neutralised.
"""

import csv
import io
import re

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from portal.lib.pdf import html_to_pdf
from reporting.charts import heatmap_chart, review_charts
from reporting.listings import review_listings
from reporting.method import method_note
from reporting.tables import aggregate_tables, listing_tables

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A cell opened with another separator than the one it was written with splits at , ; tab or |: any piece that
# would then start a formula is made inert too (x;=1+1 becomes x;'=1+1).
AFTER_SEPARATOR = re.compile(r"([,;|\t]\s*)([=+\-@])")


def neutralise(value):
    """Text that a spreadsheet would run as a formula, at its start or after any separator, gets an apostrophe."""
    if not isinstance(value, str):
        return value
    value = AFTER_SEPARATOR.sub(r"\1'\2", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def provenance_rows(review):
    return [[_("Member state"), _("Version"), "SHA-256"]] + [
        [item.member_state_code, item.number, item.sha256] for item in review.provenance.all()]


def _bold_first_row(sheet):
    for cell in sheet[1]:
        cell.font = Font(bold=True)


def _workbook_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _tables_and_charts(review, public):
    """The EU figures' tables and charts, then, for reviewers, every member state's listings."""
    tables, charts = aggregate_tables(review.results, public=public), review_charts(review.results, public=public)
    if not public:
        listing = review_listings(review, review.provenance.all())
        tables += listing_tables(listing)
        charts += [chart for chart in [heatmap_chart(listing)] if chart]
    return tables, charts


def to_xlsx(review, *, public=False):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in _tables_and_charts(review, public)[0]:
        sheet = workbook.create_sheet(table.sheet)
        sheet.append([neutralise(h) for h in table.headers])
        _bold_first_row(sheet)
        for row in table.rows:
            sheet.append([neutralise(v) for v in row])
        if table.note:
            sheet.append([])
            sheet.append([table.note])
    if not public:
        sheet = workbook.create_sheet(_("Provenance"))
        for row in provenance_rows(review):
            sheet.append([neutralise(v) for v in row])
        _bold_first_row(sheet)
    sheet = workbook.create_sheet(_("Method"))
    for paragraph in method_note():
        sheet.append([paragraph])
    return _workbook_bytes(workbook)


def csv_bytes(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([neutralise("" if v is None else v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheets read the accents


def to_csv(review, key, *, public=False):
    if key == "provenance":
        return None if public else csv_bytes(provenance_rows(review))
    table = next((t for t in _tables_and_charts(review, public)[0] if t.key == key), None)
    return None if table is None else csv_bytes([table.headers, *table.rows])


def to_pdf(review, request, *, public=False):
    tables, charts = _tables_and_charts(review, public)
    html = render_to_string("reporting/review_pdf.html", {
        "review": review, "tables": tables, "charts": charts, "method": method_note(),
        "provenance": None if public else review.provenance.all()}, request=request)
    return html_to_pdf(html, request.build_absolute_uri("/"))


def comparison_rows(result):
    """The comparison as a table: a header row, then one row per question."""
    header = [_("Question"), _("Field")] + [ms.name for ms in result.member_states] + [_("EU")]
    rows = []
    for row in result.rows:
        cells = []
        for cell in row.cells:
            text = str(cell.shown)
            if cell.outlier:
                text += " " + (_("(2+ steps above the EU median)") if cell.outlier > 0
                               else _("(2+ steps below the EU median)"))
            if cell.previous is not None:
                text += " " + _("[previous cycle: %(value)s]") % {"value": cell.previous}
            cells.append(text)
        rows.append([str(row.question), row.field, *cells, row.summary])
    return header, rows


def comparison_xlsx(result):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(result.section.label)[:31]
    header, rows = comparison_rows(result)
    sheet.append(header)
    _bold_first_row(sheet)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    method = workbook.create_sheet(_("Method"))
    for paragraph in method_note():
        method.append([paragraph])
    return _workbook_bytes(workbook)


def comparison_pdf(result, request):
    header, rows = comparison_rows(result)
    html = render_to_string("reporting/compare_pdf.html", {"result": result, "header": header, "rows": rows,
                                                           "method": method_note()}, request=request)
    return html_to_pdf(html, request.build_absolute_uri("/"))
