"""The assessment as an XLSX workbook, and back.

The workbook is generated from the section forms themselves (columns are form
fields, drop-downs their choices), and an uploaded workbook is turned back into
the same form data and saved through the same service as the page: invalid rows
are refused and kept as the user's unsaved input, the rest is applied. A workbook
the portal cannot read as the draft's (a sheet or row missing, an unknown
supplier) or that conflicts with a colleague's later save applies nothing.

An upload is checked against the limits of assessments/workbook/limits.py before
openpyxl parses it, then streamed (read-only mode) into plain dicts of values.
"""

import datetime
import io
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from assessments import services
from assessments.models import RevisionKind, Section, SectionState, Supplier, SupplierPresence
from assessments.questionnaire.sections import PARTS, SectionForms, stable_key
from assessments.workbook import limits
from assessments.workbook.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, WorkbookRefused
from portal.markings import Marking

META = "_portal"
LISTS = "_lists"
HEADER = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="003399")


@dataclass
class CellError:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self):
        where = f"{self.sheet}!{self.column or ''}{self.row or ''}" if self.row else self.sheet
        return f"{where}: {self.message}"


class WorkbookInvalid(Exception):
    def __init__(self, errors):
        super().__init__(_("The workbook was not applied."))
        self.errors = errors


@dataclass
class Imported:
    """What an upload did: the sections it changed, and the cells refused as invalid (their rows kept as the
    user's unsaved input on their sections' pages, not applied)."""

    applied: list
    refused: list  # [CellError]


def _sections(assessment):
    return [s for s in assessment.cycle.questionnaire.sections if s != Section.ATTACHMENTS]


def _tables(forms):
    """(sheet title, [(row key, row label, form)], form or formset) for each table of a section's forms."""
    if forms.scope:
        yield str(Section(forms.section).label), None, forms.scope
    for part, formset in forms.formsets:
        rows = [(form.item_key, str(form.item), form) for form in formset.forms]
        yield str(part.title), rows, formset


def _sheet_name(meta, form, title):
    """A table's sheet in an uploaded workbook: by the part it holds (recorded at download, whatever the language
    its titles were written in), else by its title in the reader's language."""
    return (meta.get("sheets") or {}).get(form.prefix, title[:31])


def _choices(field):
    return [(str(value), str(label)) for value, label in getattr(field, "choices", None) or [] if value != ""]


def _cell_value(field, value):
    if value in (None, ""):
        return None
    labels = dict(_choices(field))
    if labels:
        return labels.get(str(value), str(value))
    if isinstance(value, datetime.date):
        return value
    return str(value)


# Export ---------------------------------------------------------------------------------------------------------

def export_workbook(assessment):
    questionnaire = assessment.cycle.questionnaire
    workbook = Workbook()
    workbook.remove(workbook.active)
    lists = workbook.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    # The workbook speaks its reader's language; the import reads it by part and by choice in that language, so a
    # colleague who reads another language imports it unchanged.
    list_ranges, meta = {}, {"assessment": assessment.pk, "revisions": {}, "language": translation.get_language(),
                             "sheets": {}}

    def list_range(field):
        options = [label for _, label in _choices(field)]
        key = tuple(options)
        if key not in list_ranges:
            column = get_column_letter(len(list_ranges) + 1)
            for row, label in enumerate(options, 1):
                lists[f"{column}{row}"] = label
            list_ranges[key] = f"{LISTS}!${column}$1:${column}${len(options)}"
        return list_ranges[key]

    states = dict(SectionState.objects.filter(assessment=assessment).values_list("section", "revision"))
    for section in _sections(assessment):
        meta["revisions"][section.value] = states.get(section.value, 0)
        forms = SectionForms(section, assessment, questionnaire)
        for title, rows, form in _tables(forms):
            sheet = workbook.create_sheet(title[:31])
            meta["sheets"][form.prefix] = sheet.title
            if rows is None:
                _write_scope(sheet, form, list_range)
            else:
                _write_rows(sheet, rows, form.empty_form, list_range, title)
    for sheet in workbook.worksheets:
        if sheet.sheet_state == "visible":
            _label(sheet, assessment.marking)
    meta_sheet = workbook.create_sheet(META)
    meta_sheet.sheet_state = "hidden"
    meta_sheet["A1"] = json.dumps(meta)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _label(sheet, marking):
    """The draft's handling marking (portal/markings.py) at the right end of the sheet's first row, in its colour on
    black: the row of headers the import never reads, so that a workbook filled in offline is read back as before."""
    marking = Marking(marking)
    cell = sheet.cell(row=1, column=sheet.max_column + 1, value=marking.value)
    cell.font = Font(bold=True, size=12, color=marking.colour.removeprefix("#"))
    cell.fill = PatternFill("solid", fgColor="000000")
    cell.alignment = Alignment(horizontal="right")
    sheet.column_dimensions[cell.column_letter].width = 20


def _write_text(cell, value):
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text: "=..." typed by a filer is never a formula


def _write_scope(sheet, form, list_range):
    sheet.append([_("Question"), _("Answer")])
    for column in ("A", "B"):
        sheet[f"{column}1"].font, sheet[f"{column}1"].fill = HEADER, HEADER_FILL
    for row, bound in enumerate(form, 2):
        sheet[f"A{row}"] = str(bound.label)
        _write_text(sheet[f"B{row}"], _cell_value(bound.field, bound.value()))
        sheet[f"B{row}"].alignment = Alignment(wrap_text=True, vertical="top")
        if _choices(bound.field):
            _validate(sheet, list_range(bound.field), f"B{row}")
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 40, 80


def _write_rows(sheet, rows, empty_form, list_range, title):
    fields = [bound for bound in empty_form if not bound.is_hidden]
    sheet.append([_("Code"), title] + [str(bound.label) for bound in fields])
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER, HEADER_FILL
    for index, (key, label, form) in enumerate(rows, 2):
        sheet[f"A{index}"], sheet[f"B{index}"] = key, label
        for column, bound in enumerate((b for b in form if not b.is_hidden), 3):
            _write_text(sheet.cell(row=index, column=column), _cell_value(bound.field, bound.value()))
    for column, bound in enumerate(fields, 3):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = 40 if bound.name in ("note", "justification") else 18
        if _choices(bound.field):
            # Room below the rows, so that a filer can add suppliers in the sheet.
            _validate(sheet, list_range(bound.field), f"{letter}2:{letter}{len(rows) + 50}")
    sheet.column_dimensions["B"].width = 50
    sheet.freeze_panes = "C2"


def _validate(sheet, source, cells):
    validation = DataValidation(type="list", formula1=f"={source}", allow_blank=True, showErrorMessage=True,
                                error=_("Choose a value from the list."))
    sheet.add_data_validation(validation)
    validation.add(cells)


# Import ---------------------------------------------------------------------------------------------------------

def _from_cell(field, value, language=None):
    """A cell as the form reads it: a choice's label (in the workbook's `language`, or the reader's) as its value."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    by_label = {label.lower(): val for val, label in _choices(field)}
    if language and language != translation.get_language():
        with translation.override(language):
            by_label = {label.lower(): val for val, label in _choices(field)} | by_label
    return by_label.get(text.lower(), text)


class SheetValues(dict):
    """The non-empty cells of one sheet, {(row, column): value}, read once: no openpyxl object outlives the read."""

    def value(self, row, column):
        return self.get((row, column))

    def rows(self):
        return sorted({row for row, _column in self})


def _template(assessment):
    """(rows, columns) of each sheet of the exported workbook, by title: what the limits' messages compare with."""
    def shape(title):
        for section in _sections(assessment):
            for table_title, rows, form in _tables(SectionForms(section, assessment, assessment.cycle.questionnaire)):
                if table_title[:31] == title:
                    if rows is None:
                        return len(list(form)) + 1, 2
                    return len(rows) + 1, 2 + sum(1 for bound in form.empty_form if not bound.is_hidden)
        return None
    return shape


def read_workbook(file, *, template=lambda title: None):
    """{sheet title: SheetValues} of an uploaded workbook, within the limits; WorkbookRefused when beyond them.

    The hidden list of choices is not read: only what the import uses.
    """
    limits.check(file, template=template)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a file that is not a workbook
        raise WorkbookInvalid([CellError(_("File"), None, None, _("This is not an XLSX workbook."))]) from None
    sheets = {}
    try:
        for sheet in workbook.worksheets:
            if sheet.title == LISTS:
                continue
            sheet.reset_dimensions()  # the declared size is the file's word; the limits hold whatever it says
            values = sheets[sheet.title] = SheetValues()
            # One row and one column past the limits, which the checks above already hold: reading stops there.
            rows = sheet.iter_rows(min_row=1, max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS + 1, values_only=True)
            for row, cells in enumerate(rows, 1):
                for column, value in enumerate(cells, 1):
                    if value is None:
                        continue
                    if row > MAX_ROWS or column > MAX_COLUMNS:
                        raise WorkbookRefused(limits.beyond_message(
                            "rows" if row > MAX_ROWS else "columns", sheet.title, template(sheet.title)))
                    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                        raise WorkbookRefused(_(
                            "Cell %(cell)s of sheet “%(sheet)s” holds %(n)s characters; a cell may hold at most "
                            "%(max)s.") % {"cell": f"{get_column_letter(column)}{row}", "sheet": sheet.title,
                                           "n": f"{len(value):,}", "max": f"{MAX_CELL_CHARS:,}"})
                    values[row, column] = value
    except WorkbookRefused:
        raise
    except Exception:
        raise WorkbookInvalid([CellError(_("File"), None, None, _("This is not an XLSX workbook."))]) from None
    finally:
        workbook.close()
    return sheets


def import_workbook(*, assessment, content, user):
    """Apply a filled workbook (a file, or its bytes) to the draft: Imported, what was applied and what refused.

    Invalid rows are refused as on the page (kept as the user's unsaved input) and the rest applied. Raises
    WorkbookRefused when the file as a whole is beyond the limits; WorkbookInvalid, applying nothing, when a sheet
    or a row is missing, a supplier unknown, or a field conflicts with a colleague's later save.
    """
    sheets = read_workbook(io.BytesIO(content) if isinstance(content, bytes) else content,
                           template=_template(assessment))
    errors, applied, refused = [], [], []
    try:
        meta = json.loads(sheets[META].value(1, 1))
    except (KeyError, TypeError, ValueError):
        meta = None
    if not meta or meta.get("assessment") != assessment.pk:
        raise WorkbookInvalid([CellError(_("File"), None, None, _(
            "This workbook was not downloaded from this assessment: download it again from the assessment page."))])
    with transaction.atomic():
        for section in _sections(assessment):
            errors += _import_section(assessment, section, sheets, meta, user, applied, refused)
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise WorkbookInvalid(errors)
    return Imported(applied, refused)


def _import_section(assessment, section, sheets, meta, user, applied, refused):
    """Turn the section's sheets into values by stable key and save them through the same merge as the page: the
    errors that refuse the whole workbook are returned; cells refused as invalid are added to `refused`.

    A colleague's save after the download merges field by field; only a field both changed is refused.
    """
    state = SectionState.objects.get(assessment=assessment, section=section)
    base_revision = meta["revisions"].get(section.value, state.revision)
    added = set()
    if section == Section.SUPPLIERS:
        added, errors = _sync_suppliers(assessment, sheets, meta, user, changed_since=state.revision != base_revision)
        if errors:
            return errors
    current = SectionForms(section, assessment, assessment.cycle.questionnaire)
    mine, locations, errors = _read_cells(current, sheets, meta)
    if errors:
        return errors
    keep = {key for key in mine if key.split(".")[1:2] and key.split(".")[1] in added}
    result = services.section_save(assessment=assessment, section=section, mine=mine, base_revision=base_revision,
                                   user=user, kind=RevisionKind.IMPORT, keep_mine=keep)
    if result.outcome is services.Outcome.CONFLICT:
        return _conflict_errors(section, current, result.conflicts, locations)
    if result.outcome is services.Outcome.LOCKED:
        raise services.AssessmentLocked
    if result.changed or added:
        applied.append(section)
    for field_id, messages in result.errors.items():  # invalid or partial: said by cell, kept as unsaved input
        sheet_name, row, column = locations.get(field_id, (str(section.label), None, None))
        refused += [CellError(sheet_name, row, column, message) for message in messages]
    return []


def _sync_suppliers(assessment, sheets, meta, user, *, changed_since):
    """Add and remove the draft's suppliers to match the sheet's list: (names added, errors that refuse it all)."""
    wanted, errors = _listed_suppliers(sheets, meta)
    if errors:
        return set(), errors
    draft = SupplierPresence.objects.filter(assessment=assessment, version__isnull=True).select_related("supplier")
    have = {row.supplier_id: row for row in draft}
    if set(wanted) == set(have):
        return set(), []
    if changed_since:
        return set(), [CellError(str(Section.SUPPLIERS.label), None, None, _(
            "A colleague changed this section after the workbook was downloaded, and the workbook adds or removes "
            "suppliers. Download it again to see their answers; nothing was overwritten."))]
    for supplier_id, row in have.items():
        if supplier_id not in wanted:
            services.supplier_remove(assessment=assessment, row=row, user=user)
    added = set()
    for supplier_id, supplier in wanted.items():
        if supplier_id not in have:
            services.supplier_add(assessment=assessment, supplier=supplier, user=user)
            added.add(supplier.name)
    return added, []


def _read_cells(current, sheets, meta):
    """(values by stable key, {stable key or field id: (sheet, row, column)}, errors) of the section's sheets."""
    mine, locations, errors = {}, {}, []
    language = meta.get("language")
    for title, rows, form in _tables(current):
        sheet_name = _sheet_name(meta, form, title)
        if sheet_name not in sheets:
            return {}, {}, [CellError(sheet_name, None, None, _("The sheet is missing."))]
        sheet = sheets[sheet_name]
        if rows is None:
            for row, bound in enumerate(form, 2):
                key = stable_key(form.prefix, None, bound.name)
                mine[key] = _from_cell(bound.field, sheet.value(row, 2), language)
                locations[bound.id_for_label] = locations[key] = (sheet_name, row, "B")
            continue
        by_key = {str(sheet.value(r, 1)).strip(): r for r in sheet.rows() if r >= 2 and sheet.value(r, 1) is not None}
        for key, _label, member in rows:
            row = by_key.get(key)
            if row is None:
                errors.append(CellError(sheet_name, None, None, _("The row for %(key)s is missing.") % {"key": key}))
                continue
            for column, bound in enumerate((b for b in member if not b.is_hidden), 3):
                name = stable_key(form.prefix, key, bound.name)
                mine[name] = _from_cell(bound.field, sheet.value(row, column), language)
                locations[bound.id_for_label] = locations[name] = (sheet_name, row, get_column_letter(column))
    return mine, locations, errors


def _conflict_errors(section, current, conflicts, locations):
    """Each field a colleague changed after the download, named where the workbook has it, with both values."""
    labels = current.labels()
    return [CellError(*locations.get(key, (str(section.label), None, None)), _(
        "A colleague changed “%(question)s: %(field)s” after the workbook was downloaded, to “%(theirs)s”; the "
        "workbook says “%(mine)s”. Download it again, or change it on the page; nothing was overwritten.")
        % {"question": labels.get(key, ("", key))[0], "field": labels.get(key, ("", key))[1],
           "theirs": current.shown(key, theirs), "mine": current.shown(key, mine_value)})
        for key, (_base, theirs, mine_value) in conflicts.items()]


def _listed_suppliers(sheets, meta):
    """{id: supplier} of the suppliers the sheet lists, or the rows naming unknown ones."""
    part = PARTS[Section.SUPPLIERS][0]
    title = (meta.get("sheets") or {}).get(part.prefix, str(part.title)[:31])
    if title not in sheets:
        return set(), [CellError(title, None, None, _("The sheet is missing."))]
    sheet, errors, wanted = sheets[title], [], {}
    known = {s.name.lower(): s for s in Supplier.objects.all()}
    for row in sheet.rows():
        if row < 2:
            continue
        name = sheet.value(row, 1)
        if name is None:
            continue
        supplier = known.get(str(name).strip().lower())
        if supplier is None:
            errors.append(CellError(title, row, "A", _("“%(name)s” is not a supplier the portal knows; ask an "
                                                         "admin to add it.") % {"name": name}))
        else:
            wanted[supplier.pk] = supplier
    return wanted, errors
