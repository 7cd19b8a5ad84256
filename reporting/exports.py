"""Exports of a review: tables as XLSX, CSV and PDF. Text a spreadsheet would run as a formula is neutralised."""

import csv
import io

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font

from reporting.tables import review_tables

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell that would start a formula is prefixed with an apostrophe, so that it stays inert text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def provenance_rows(review):
    return [["Member state", "Version", "SHA-256"]] + [
        [item.member_state_code, item.number, item.sha256] for item in review.provenance.all()]


def to_xlsx(review):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in review_tables(review.results):
        sheet = workbook.create_sheet(table.sheet)
        sheet.append([neutralise(h) for h in table.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([neutralise(v) for v in row])
    sheet = workbook.create_sheet("Provenance")
    for row in provenance_rows(review):
        sheet.append([neutralise(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(review, key):
    table = next((t for t in review_tables(review.results) if t.key == key), None)
    if table is None and key != "provenance":
        return None
    rows = provenance_rows(review) if key == "provenance" else [table.headers, *table.rows]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise("" if v is None else v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheets read the accents


def to_pdf(review, request):
    from weasyprint import HTML

    from reporting.charts import review_charts

    html = render_to_string("reporting/review_pdf.html", {
        "review": review, "tables": review_tables(review.results), "charts": review_charts(review.results),
        "provenance": review.provenance.all()}, request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()


def comparison_rows(result):
    """The comparison as a table: a header row, then one row per question."""
    header = ["Question", "Field"] + [ms.name for ms in result.member_states] + ["EU"]
    rows = []
    for row in result.rows:
        cells = []
        for cell in row.cells:
            text = str(cell.shown)
            if cell.outlier:
                text += " (2+ steps from the EU median)"
            if cell.previous is not None:
                text += f" [previous cycle: {cell.previous}]"
            cells.append(text)
        rows.append([str(row.question), row.field, *cells, row.summary])
    return header, rows


def comparison_xlsx(result):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(result.section.label)[:31]
    header, rows = comparison_rows(result)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def comparison_pdf(result, request):
    from weasyprint import HTML

    header, rows = comparison_rows(result)
    html = render_to_string("reporting/compare_pdf.html", {"result": result, "header": header, "rows": rows},
                            request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
