"""What an export holds: a review or a comparison as XLSX or PDF written to a file, a review's table as streamed CSV.

Nothing is built whole in memory: workbooks are openpyxl's write-only kind, rows appended as they come and saved to
the file the job gives (reporting/exports/jobs.py stores it); PDFs are written by WeasyPrint to that file, and a review
of more member states than EXPORT_PDF_MEMBER_STATE_LIMIT leaves its per-member-state tables to the XLSX, so that its
size stays bounded; CSV goes out line by line, after rows saying how its figures are computed and why any cell is
not shown (`csv_preamble`). Text a spreadsheet would run as a formula is neutralised.

Each renderer takes the Export row, the path to write and `progress(text)`, which the progress page shows; `RENDERERS`
maps a (kind, format) to one, so a new kind of export is a new renderer here.

Every file carries its handling marking (portal/markings.py), the strictest of what it holds: in every PDF page's
header and footer (portal/lib/pdf.py), as the first row of every sheet and of every CSV. A reviewer's cap ("up to
TLP:GREEN", `Export.cap`) leaves out the member states whose versions are marked above it, and the file names them
(`left_out_note`); its marking is then at most the cap. A renderer returns the marking it printed.
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
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from assessments.models import Section
from portal.lib.pdf import html_to_pdf
from portal.markings import Marking, at_most, marking_of, strictest
from portal.models import MemberState
from reporting import listings
from reporting.charts import heatmap_chart, review_charts
from reporting.compare import compared_versions, comparison, previous_cycle_of
from reporting.method import method_note
from reporting.models import Audience, ExportFormat, ExportKind
from reporting.tables import asked_sections, in_marks, listing_tables, member_state_names, review_tables
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


# Handling markings: the label row of a sheet or a CSV, and what a cap leaves out.

def marking_row(marking):
    """The first row of a CSV or a sheet: the file's label, alone in its first cell (never translated)."""
    return [Marking(marking).value]


def _label_cells(sheet, marking):
    """The label row of a sheet: the label in its colour on black, bold, as TLP 2.0 shows it."""
    marking = Marking(marking)
    cell = WriteOnlyCell(sheet, value=marking.value)
    cell.font = Font(bold=True, size=12, color=marking.colour.removeprefix("#"))
    cell.fill = PatternFill("solid", fgColor="000000")
    return [cell]


def left_out_note(left_out, cap):
    """What a capped file says it left out: "Left out above TLP:GREEN: Austria, France (TLP:AMBER+STRICT)." (the
    strictest first), or "" when nothing was. `left_out` is [(name, marking)]."""
    if not left_out:
        return ""
    named = {}
    for name, marking in left_out:
        named.setdefault(Marking(marking), []).append(str(name))
    what = "; ".join(f"{', '.join(sorted(names))} ({marking.value})"
                     for marking, names in sorted(named.items(), key=lambda item: -item[0].rank))
    return _("Left out above %(cap)s: %(what)s.") % {"cap": Marking(cap).value, "what": what}


@dataclass
class ReviewContent:
    """What a review's file holds for its reader, and under which marking."""

    aggregates_only: bool  # the EU figures as a publication shows them (protected), not every table
    inputs: object  # the inputs (ReviewInput rows) whose member states' tables it shows; None for none
    left_out: list  # [(member state, marking)] a cap left out
    marking: Marking
    note: str = ""


def review_content(export):
    """Staff read the aggregates under the publication's marking; reviewers everything under the review's. Under a
    cap below the review's marking, a reviewer's file leaves out the member states whose versions are above it, and
    its EU figures are those a publication shows (protected as for staff): what makes the review stricter than the
    cap is left out, and the file carries the cap."""
    review, cap = export.review, export.cap
    if export.audience == Audience.PUBLIC:
        return ReviewContent(True, None, [], Marking(export.parameters.get("marking") or Marking.GREEN))
    inputs = review.provenance.all()
    if not cap or at_most(review.marking, cap):
        return ReviewContent(False, inputs, [], Marking(review.marking))
    allowed = [marking for marking in Marking if at_most(marking, cap)]
    names = member_state_names()
    left_out = [(names.get(code, code), marking) for code, marking in inputs.exclude(
        version__marking__in=allowed).values_list("member_state_code", "version__marking")]
    note = " ".join(filter(None, [left_out_note(left_out, cap), _(
        "The EU figures are those a publication shows, protected as for member states' staff.")]))
    return ReviewContent(True, inputs.filter(version__marking__in=allowed), left_out, Marking(cap), note=note)


# A review's tables and charts, for every export of it (its pages render their own): the EU figures from its
# stored results; for reviewers, every member state's listings, read from the versions a page at a time.

def _tables(review, public):
    return review_tables(review, public=public)


def _listing_pages(review, inputs=None):
    """The per-member-state tables, a page of member states at a time: [tables of page 1], [tables of page 2]...;
    of the given `inputs` only (a capped export's), when given."""
    sections = asked_sections(review)
    for listing in listings.each_page(review, inputs=inputs):
        yield listing_tables(listing, sections)


def _listing_headings(review):
    """The per-member-state tables without rows: their keys, titles and headers."""
    return listing_tables(listings.review_listings(review, []), asked_sections(review))


def provenance_rows(review, inputs=None):
    yield [_("Member state"), _("Version"), "SHA-256"]
    for item in (review.provenance.all() if inputs is None else inputs).iterator():
        yield [item.member_state_code, item.number, item.sha256]


def member_state_count(review):
    """How many member states the review includes (those with a version), from its recorded population."""
    return sum(1 for entry in review.population if entry["version"])


# Workbooks: write-only, every row appended from an iterator and flushed to the file as the sheet grows.

def _sheet(workbook, title, header, rows, *, marking, frozen=None, widths=()):
    """A sheet of the file's label, `header`, then `rows`; `frozen` (a cell, "C3") keeps the rows above and the
    columns left of it in view, `widths` are the first columns' widths (characters). Both before the first row:
    write-only sheets write their settings with it."""
    sheet = workbook.create_sheet(title)
    if frozen:
        sheet.freeze_panes = frozen
    for number, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.append(_label_cells(sheet, marking))
    heading = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=neutralise(value))
        cell.font = BOLD
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    return sheet


def _text_sheet(workbook, title, paragraphs, *, marking):
    """A sheet of the file's label, then a paragraph a row."""
    sheet = workbook.create_sheet(title)
    sheet.append(_label_cells(sheet, marking))
    for paragraph in paragraphs:
        sheet.append([paragraph])
    return sheet


def _method_sheet(workbook, *, marking):
    _text_sheet(workbook, _("Method"), method_note(), marking=marking)


def _left_out_sheet(workbook, note, *, marking):
    """A capped file's first sheet: what it left out."""
    if note:
        _text_sheet(workbook, _("Left out"), [note], marking=marking)


def review_xlsx(export, path, progress):
    """(Under a cap, what it left out,) one sheet per table, then (for reviewers) the provenance, then the method
    note; every sheet's first row the file's label."""
    review, content = export.review, review_content(export)
    marking = content.marking
    progress(_("Reading the review's figures"))
    tables = _tables(review, content.aggregates_only)
    workbook = Workbook(write_only=True)
    _left_out_sheet(workbook, content.note, marking=marking)
    for number, table in enumerate(tables, 1):
        progress(_("Writing sheet %(n)s of %(total)s: %(title)s") % {"n": number, "total": len(tables),
                                                                      "title": table.title})
        sheet = _sheet(workbook, table.sheet, table.headers, table.rows, marking=marking)
        if table.note:
            sheet.append([])
            sheet.append([table.note])
    if content.inputs is not None:
        sheets = {table.key: _sheet(workbook, table.sheet, table.headers, [], marking=marking)
                  for table in _listing_headings(review)}
        pages = listings.member_state_pages(review, listings.EXPORT_PER_PAGE, content.inputs).num_pages
        for number, page in enumerate(_listing_pages(review, content.inputs), 1):
            progress(_("Writing the member states' listings: page %(n)s of %(total)s") % {"n": number,
                                                                                         "total": pages})
            for table in page:
                for row in table.rows:
                    sheets[table.key].append([neutralise(v) for v in row])
        rows = provenance_rows(review, content.inputs)
        _sheet(workbook, _("Provenance"), next(rows), rows, marking=marking)
    _method_sheet(workbook, marking=marking)
    progress(_("Saving the workbook"))
    workbook.save(path)
    return marking


def review_pdf(export, path, progress):
    """Charts, tables and method; beyond the member-state limit without the per-member-state tables, and saying so."""
    review, content = export.review, review_content(export)
    progress(_("Reading the review's figures"))
    tables = _tables(review, content.aggregates_only)
    charts = review_charts(tables)
    included, limit = member_state_count(review), settings.EXPORT_PDF_MEMBER_STATE_LIMIT
    beyond = included > limit
    left_out = [table for table in tables if table.per_member_state] if beyond else []
    tables = [table for table in tables if table not in left_out]
    if content.inputs is not None:
        if beyond:  # the heat map is a listing too: a row per member state
            left_out += _listing_headings(review)
        else:
            listing = listings.review_listings(review, content.inputs)
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
        "member_states": included, "limit": limit, "above_cap": content.note,
        # The provenance has a row per member state too: beyond the limit it stays in the XLSX with the tables.
        "provenance": None if content.inputs is None or beyond else content.inputs})
    html_to_pdf(html, target=path, marking=content.marking)
    return content.marking


def svg_image(svg):
    """A chart as an image's data: URL. WeasyPrint draws it the same, without styling every one of its shapes as part
    of the page: a heat map of 1,000 member states takes half the memory and time it takes inline."""
    return "data:image/svg+xml;base64," + base64.b64encode(str(svg).encode()).decode()


# Comparisons: the same rows as the page, from the parameters the export recorded.

@dataclass
class ComparisonContent:
    result: object  # the Comparison (reporting/compare.py) of what the file shows
    marking: Marking  # the strictest of the versions it reads (the EU column reads every one counted)
    note: str = ""  # what a cap left out


def _comparison(export):
    """The comparison the export recorded; under a cap, of the versions marked at most the cap only: a chosen
    member state whose version (of the cycle or the previous one) is above it is left out and named, and the EU
    column counts only the versions within it."""
    parameters, cap = export.parameters, export.cap
    chosen = list(MemberState.objects.filter(eu_code__in=parameters["member_states"]))
    previous = previous_cycle_of(export.cycle) if parameters["previous"] else None
    versions = compared_versions(export.cycle, previous)
    note = ""
    if cap:
        above = [v for counted in versions.values() for v in counted if not at_most(v.marking, cap)]
        versions = {c: [v for v in counted if at_most(v.marking, cap)] for c, counted in versions.items()}
        strictest_above = {}
        for version in above:
            ms = version.assessment.member_state_id
            strictest_above[ms] = strictest(strictest_above.get(ms), version.marking)
        note = left_out_note([(ms.name, strictest_above[ms.pk]) for ms in chosen if ms.pk in strictest_above], cap)
        if above:
            note = " ".join(filter(None, [note, _("The EU column counts only the versions marked at most %(cap)s.")
                                          % {"cap": cap}]))
        chosen = [ms for ms in chosen if ms.pk not in strictest_above]
    result = comparison(export.cycle, chosen, Section(parameters["section"]), with_previous=parameters["previous"],
                        only_differing=parameters.get("differ", False), versions=versions)
    marking = marking_of([v for counted in versions.values() for v in counted]) or Marking(cap or Marking.CLEAR)
    return ComparisonContent(result, marking, note)


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
    content = _comparison(export)
    result, marking = content.result, content.marking
    workbook = Workbook(write_only=True)
    progress(_("Writing the comparison"))
    widths = COMPARISON_WIDTHS
    _sheet(workbook, str(result.section.label)[:31], *comparison_rows(result), marking=marking, frozen="C3",
           widths=[widths["question"], widths["field"], *[widths["member_state"]] * len(result.member_states),
                   widths["eu"]])
    _left_out_sheet(workbook, content.note, marking=marking)
    _method_sheet(workbook, marking=marking)
    progress(_("Saving the workbook"))
    workbook.save(path)
    return marking


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
    content = _comparison(export)
    result = content.result
    header, rows = comparison_rows(result)
    progress(_("Laying out the PDF"))
    html = render_to_string("reporting/compare_pdf.html", {
        "result": result, "header": header, "blocks": list(comparison_blocks(header, rows)),
        "asked_previous": export.parameters["previous"], "method": method_note(), "above_cap": content.note})
    html_to_pdf(html, target=path, marking=content.marking)
    return content.marking


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
    marking = result.marking
    workbook = Workbook(write_only=True)
    progress(_("Writing the trend"))
    _sheet(workbook, _("Trend"), next(rows), rows, marking=marking, frozen="B3",
           widths=[TREND_WIDTHS["member_state"], *[TREND_WIDTHS["cycle"]] * len(result.columns)])
    _text_sheet(workbook, _("About"), [result.title, trend_note()], marking=marking)
    progress(_("Saving the workbook"))
    workbook.save(path)
    return marking


RENDERERS = {
    (ExportKind.REVIEW, ExportFormat.XLSX): review_xlsx,
    (ExportKind.REVIEW, ExportFormat.PDF): review_pdf,
    (ExportKind.COMPARISON, ExportFormat.XLSX): comparison_xlsx,
    (ExportKind.COMPARISON, ExportFormat.PDF): comparison_pdf,
    (ExportKind.TREND, ExportFormat.XLSX): trend_xlsx,
}


def render(export, path, progress):
    """Write the export's file at `path`, saying what it does through `progress(text)`: the marking it carries."""
    return RENDERERS[(export.kind, export.format)](export, path, progress)


# CSV of one review table: small enough to answer in the request, streamed line by line all the same.

class _Line:
    """What csv.writer writes to: each row comes back as the line it became."""

    def write(self, text):
        return text


def csv_lines(rows, *, marking):
    """The CSV's lines (bytes): the file's label first (`marking_row`), then `rows`."""
    writer = csv.writer(_Line(), quoting=csv.QUOTE_ALL)
    yield "\ufeff".encode()  # the BOM lets spreadsheets read the accents
    for row in itertools.chain([marking_row(marking)], rows):
        yield writer.writerow([neutralise("" if v is None else v) for v in row]).encode()


def csv_preamble(review, title, note=""):
    """The rows a CSV starts with: what the table is, how its figures are computed (the method note) and why any of
    its cells shows “–”. Each is one cell beginning with “#”, and an empty row ends them: a spreadsheet opening the
    file shows them above the table, and a program skips the rows before the one the second row names (the first
    is the file's label, csv_lines)."""
    about = [*method_note(), *([note] if note else [])]
    yield ["# " + _("%(title)s: EU coordinated review %(n)s of %(cycle)s. The table's header is on row %(row)s; the "
                    "rows above it, each beginning with #, say how its figures are computed and why a cell shows "
                    "“–”.") % {"title": title, "n": review.pk, "cycle": review.cycle.title, "row": len(about) + 4}]
    for paragraph in about:
        yield ["# " + paragraph]
    yield []


def to_csv(review, key, *, public=False, marking):
    """The table's lines (bytes) to stream, its label and method before it, or None when the audience has no such
    table. `marking` is what the reader reads the review under: the review's for reviewers, the publication's for
    staff."""
    if key == "provenance":
        rows = provenance_rows(review)
        return None if public else csv_lines(itertools.chain(csv_preamble(review, _("Provenance")), rows),
                                              marking=marking)
    table = next((t for t in _tables(review, public) if t.key == key), None)
    if table is not None:
        return csv_lines(itertools.chain(csv_preamble(review, table.title, table.note), [table.headers], table.rows),
                         marking=marking)
    listed = None if public else next((t for t in _listing_headings(review) if t.key == key), None)
    if listed is None:
        return None
    rows = (row for page in _listing_pages(review) for t in page if t.key == key for row in t.rows)
    return csv_lines(itertools.chain(csv_preamble(review, listed.title), [listed.headers], rows), marking=marking)
