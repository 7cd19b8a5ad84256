"""What an export holds: a review or a comparison as XLSX or PDF written to a file, a review's table as streamed CSV.

Nothing is built whole in memory: workbooks are openpyxl's write-only kind, rows appended as they come and saved to
the file the job gives (reporting/exports/jobs.py stores it); PDFs are written by WeasyPrint to that file, and a review
of more member states than EXPORT_PDF_MEMBER_STATE_LIMIT leaves its per-member-state tables to the XLSX, so that its
size stays bounded; CSV goes out line by line, after rows saying how its figures are computed and why any cell is
not shown (`csv_preamble`). Text a spreadsheet would run as a formula is neutralised.

Each renderer takes the Export row, the path to write and `progress(text)`, which the progress page shows; `RENDERERS`
maps a (kind, format) to one, so a new kind of export is a new renderer here.
"""

import base64
import csv
import itertools
import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from assessments.models import Section
from portal.lib.pdf import html_to_pdf
from portal.models import MemberState
from reporting import listings
from reporting.charts import heatmap_chart, review_charts
from reporting.compare import comparison
from reporting.method import method_note
from reporting.models import Audience, ExportFormat, ExportKind
from reporting.tables import asked_sections, in_marks, listing_tables, review_tables
from reporting.trends import Subject, trend, trend_note, trend_rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A cell opened with another separator than the one it was written with splits at , ; tab or |: any piece that
# would then start a formula is made inert too (x;=1+1 becomes x;'=1+1).
AFTER_SEPARATOR = re.compile(r"([,;|\t]\s*)([=+\-@])")
BOLD = Font(bold=True)


def neutralise(value):
    """Text that a spreadsheet would run as a formula, at its start or after any separator, gets an apostrophe."""
    if not isinstance(value, str):
        return value
    value = AFTER_SEPARATOR.sub(r"\1'\2", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


# A review's tables and charts, for every export of it (its pages render their own): the EU figures from its
# stored results; for reviewers, every member state's listings, read from the versions a page at a time.

def _tables(review, public):
    return review_tables(review, public=public)


def _listing_pages(review):
    """The per-member-state tables, a page of member states at a time: [tables of page 1], [tables of page 2]..."""
    sections = asked_sections(review)
    for listing in listings.each_page(review):
        yield listing_tables(listing, sections)


def _listing_headings(review):
    """The per-member-state tables without rows: their keys, titles and headers."""
    return listing_tables(listings.review_listings(review, []), asked_sections(review))


def provenance_rows(review):
    yield [_("Member state"), _("Version"), "SHA-256"]
    for item in review.provenance.all().iterator():
        yield [item.member_state_code, item.number, item.sha256]


def member_state_count(review):
    """How many member states the review includes (those with a version), from its recorded population."""
    return sum(1 for entry in review.population if entry["version"])


# Workbooks: write-only, every row appended from an iterator and flushed to the file as the sheet grows.

def _sheet(workbook, title, header, rows, *, frozen=None, widths=()):
    """A sheet of `header` then `rows`; `frozen` (a cell, "C2") keeps the rows above and the columns left of it in
    view, `widths` are the first columns' widths (characters). Both before the first row: write-only sheets write
    their settings with it."""
    sheet = workbook.create_sheet(title)
    if frozen:
        sheet.freeze_panes = frozen
    for number, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    heading = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=neutralise(value))
        cell.font = BOLD
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    return sheet


def _method_sheet(workbook):
    sheet = workbook.create_sheet(_("Method"))
    for paragraph in method_note():
        sheet.append([paragraph])


def review_xlsx(export, path, progress):
    """One sheet per table, then (for reviewers) the provenance, then the method note."""
    review, public = export.review, export.audience == Audience.PUBLIC
    progress(_("Reading the review's figures"))
    tables = _tables(review, public)
    workbook = Workbook(write_only=True)
    for number, table in enumerate(tables, 1):
        progress(_("Writing sheet %(n)s of %(total)s: %(title)s") % {"n": number, "total": len(tables),
                                                                      "title": table.title})
        sheet = _sheet(workbook, table.sheet, table.headers, table.rows)
        if table.note:
            sheet.append([])
            sheet.append([table.note])
    if not public:
        sheets = {table.key: _sheet(workbook, table.sheet, table.headers, []) for table in _listing_headings(review)}
        pages = listings.member_state_pages(review, listings.EXPORT_PER_PAGE).num_pages
        for number, page in enumerate(_listing_pages(review), 1):
            progress(_("Writing the member states' listings: page %(n)s of %(total)s") % {"n": number,
                                                                                         "total": pages})
            for table in page:
                for row in table.rows:
                    sheets[table.key].append([neutralise(v) for v in row])
        rows = provenance_rows(review)
        _sheet(workbook, _("Provenance"), next(rows), rows)
    _method_sheet(workbook)
    progress(_("Saving the workbook"))
    workbook.save(path)


def review_pdf(export, path, progress):
    """Charts, tables and method; beyond the member-state limit without the per-member-state tables, and saying so."""
    review, public = export.review, export.audience == Audience.PUBLIC
    progress(_("Reading the review's figures"))
    tables = _tables(review, public)
    charts = review_charts(tables)
    included, limit = member_state_count(review), settings.EXPORT_PDF_MEMBER_STATE_LIMIT
    beyond = included > limit
    left_out = [table for table in tables if table.per_member_state] if beyond else []
    tables = [table for table in tables if table not in left_out]
    if not public:
        if beyond:  # the heat map is a listing too: a row per member state
            left_out += _listing_headings(review)
        else:
            listing = listings.review_listings(review, review.provenance.all())
            # The matrix of 29 measures leaves two letters per cell on a page: its statuses as marks, with a legend.
            tables += [in_marks(t) if t.key == "toolbox_matrix" else t
                       for t in listing_tables(listing, asked_sections(review))]
            if any(table.key == "heatmap" for table in tables):
                charts += [chart for chart in [heatmap_chart(listing)] if chart]
    progress(_("Drawing the charts"))
    charts = [(chart.title, svg_image(chart.svg)) for chart in charts]
    progress(_("Laying out the PDF"))
    html = render_to_string("reporting/review_pdf.html", {
        "review": review, "charts": charts, "method": method_note(),
        "tables": tables, "left_out": left_out,
        "member_states": included, "limit": limit,
        # The provenance has a row per member state too: beyond the limit it stays in the XLSX with the tables.
        "provenance": None if public or beyond else review.provenance.all()})
    html_to_pdf(html, target=path)


def svg_image(svg):
    """A chart as an image's data: URL. WeasyPrint draws it the same, without styling every one of its shapes as part
    of the page: a heat map of 1,000 member states takes half the memory and time it takes inline."""
    return "data:image/svg+xml;base64," + base64.b64encode(str(svg).encode()).decode()


# Comparisons: the same rows as the page, from the parameters the export recorded.

def _comparison(export):
    parameters = export.parameters
    chosen = list(MemberState.objects.filter(eu_code__in=parameters["member_states"]))
    return comparison(export.cycle, chosen, Section(parameters["section"]), with_previous=parameters["previous"],
                      only_differing=parameters.get("differ", False))


def comparison_rows(result):
    """The comparison as a table: the header row, then an iterator over one row per question."""
    header = [_("Question"), _("Field")] + [ms.name for ms in result.member_states] + [_("EU")]
    return header, (_comparison_row(row) for row in result.rows)


def _comparison_row(row):
    cells = []
    for cell in row.cells:
        text = str(cell.shown)
        if cell.outlier:
            text += " " + (_("(2+ steps above the EU median)") if cell.outlier > 0
                           else _("(2+ steps below the EU median)"))
        if cell.previous is not None:
            text += " " + _("[previous cycle: %(value)s]") % {"value": cell.previous}
        cells.append(text)
    return [str(row.question), row.field, *cells, row.summary]


# The sheet's widths, in characters: the question, its field, then each member state's answer; the EU column last.
COMPARISON_WIDTHS = {"question": 60, "field": 14, "member_state": 18, "eu": 30}


def comparison_xlsx(export, path, progress):
    """Every member state a column and every question a row; the header row and the question and field columns
    stay in view however far the reader scrolls."""
    progress(_("Comparing the member states' answers"))
    result = _comparison(export)
    workbook = Workbook(write_only=True)
    progress(_("Writing the comparison"))
    widths = COMPARISON_WIDTHS
    _sheet(workbook, str(result.section.label)[:31], *comparison_rows(result), frozen="C2",
           widths=[widths["question"], widths["field"], *[widths["member_state"]] * len(result.member_states),
                   widths["eu"]])
    _method_sheet(workbook)
    progress(_("Saving the workbook"))
    workbook.save(path)


# A4 landscape holds the question, its field, the EU column and this many member states' answers legibly; more
# member states are printed in blocks of at most this many, one after another, each a table of every question.
COMPARISON_PDF_COLUMNS = 7


@dataclass
class ComparisonBlock:
    """A page-wide table of some of the chosen member states: every question, its rows [field, *answers, EU]."""

    first: int  # the block's first member state, counted from 1 in the chosen ones
    last: int
    member_states: list  # their names, as the header names them
    questions: list  # [(question, [row, ...]), ...]


def column_blocks(count, most=COMPARISON_PDF_COLUMNS):
    """[(start, stop), ...]: `count` columns in as few blocks of at most `most` as hold them, as even as they can be
    (27 as 7, 7, 7 and 6, not 8, 8, 8 and a block of 3)."""
    blocks = max(1, -(-count // most))
    size, larger = divmod(count, blocks)
    bounds, start = [], 0
    for number in range(blocks):
        stop = start + size + (number < larger)
        bounds.append((start, stop))
        start = stop
    return bounds


def comparison_blocks(header, rows):
    """The comparison's table (comparison_rows) cut into ComparisonBlocks; each question's rows kept together."""
    rows = list(rows)  # every block reads them; a question's rows are one after another
    names = header[2:-1]
    for start, stop in column_blocks(len(names)):
        questions = [(question, [[row[1], *row[2 + start:2 + stop], row[-1]] for row in group])
                     for question, group in itertools.groupby(rows, key=lambda row: row[0])]
        yield ComparisonBlock(first=start + 1, last=stop, member_states=names[start:stop], questions=questions)


def comparison_pdf(export, path, progress):
    """The comparison a reviewer prints: the member states in blocks a page wide, each block a table of every
    question whose header (and the block's place among the chosen) repeats on every page it spans."""
    progress(_("Comparing the member states' answers"))
    result = _comparison(export)
    header, rows = comparison_rows(result)
    progress(_("Laying out the PDF"))
    html = render_to_string("reporting/compare_pdf.html", {
        "result": result, "header": header, "blocks": list(comparison_blocks(header, rows)),
        "asked_previous": export.parameters["previous"], "method": method_note()})
    html_to_pdf(html, target=path)


# Trends: the same rows as the page, from the subject the export recorded.

def trend_of(export):
    parameters = export.parameters
    kind, _sep, key = parameters["subject"].partition(":")
    return trend(Subject(kind, key, parameters.get("segment", "")), title=parameters.get("title", key))


TREND_WIDTHS = {"member_state": 24, "cycle": 34}


def trend_xlsx(export, path, progress):
    """One sheet: a row per member state, a column per cycle; the member states' column and the header stay in
    view."""
    progress(_("Reading the published reviews"))
    result = trend_of(export)
    rows = trend_rows(result)
    workbook = Workbook(write_only=True)
    progress(_("Writing the trend"))
    _sheet(workbook, _("Trend"), next(rows), rows, frozen="B2",
           widths=[TREND_WIDTHS["member_state"], *[TREND_WIDTHS["cycle"]] * len(result.columns)])
    sheet = workbook.create_sheet(_("About"))
    sheet.append([result.title])
    sheet.append([trend_note()])
    progress(_("Saving the workbook"))
    workbook.save(path)


RENDERERS = {
    (ExportKind.REVIEW, ExportFormat.XLSX): review_xlsx,
    (ExportKind.REVIEW, ExportFormat.PDF): review_pdf,
    (ExportKind.COMPARISON, ExportFormat.XLSX): comparison_xlsx,
    (ExportKind.COMPARISON, ExportFormat.PDF): comparison_pdf,
    (ExportKind.TREND, ExportFormat.XLSX): trend_xlsx,
}


def render(export, path, progress):
    """Write the export's file at `path`, saying what it does through `progress(text)`."""
    RENDERERS[(export.kind, export.format)](export, path, progress)


# CSV of one review table: small enough to answer in the request, streamed line by line all the same.

class _Line:
    """What csv.writer writes to: each row comes back as the line it became."""

    def write(self, text):
        return text


def csv_lines(rows):
    writer = csv.writer(_Line(), quoting=csv.QUOTE_ALL)
    yield "\ufeff".encode()  # the BOM lets spreadsheets read the accents
    for row in rows:
        yield writer.writerow([neutralise("" if v is None else v) for v in row]).encode()


def csv_preamble(review, title, note=""):
    """The rows a CSV starts with: what the table is, how its figures are computed (the method note) and why any of
    its cells shows “–”. Each is one cell beginning with “#”, and an empty row ends them: a spreadsheet opening the
    file shows them above the table, and a program skips the rows before the one the first row names."""
    about = [*method_note(), *([note] if note else [])]
    yield ["# " + _("%(title)s: EU coordinated review %(n)s of %(cycle)s. The table's header is on row %(row)s; the "
                    "rows above it, each beginning with #, say how its figures are computed and why a cell shows "
                    "“–”.") % {"title": title, "n": review.pk, "cycle": review.cycle.title, "row": len(about) + 3}]
    for paragraph in about:
        yield ["# " + paragraph]
    yield []


def to_csv(review, key, *, public=False):
    """The table's lines (bytes) to stream, its method before it, or None when the audience has no such table."""
    if key == "provenance":
        rows = provenance_rows(review)
        return None if public else csv_lines(itertools.chain(csv_preamble(review, _("Provenance")), rows))
    table = next((t for t in _tables(review, public) if t.key == key), None)
    if table is not None:
        return csv_lines(itertools.chain(csv_preamble(review, table.title, table.note), [table.headers], table.rows))
    listed = None if public else next((t for t in _listing_headings(review) if t.key == key), None)
    if listed is None:
        return None
    rows = (row for page in _listing_pages(review) for t in page if t.key == key for row in t.rows)
    return csv_lines(itertools.chain(csv_preamble(review, listed.title), [listed.headers], rows))
