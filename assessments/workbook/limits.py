"""The limits an uploaded workbook must keep, checked before openpyxl parses any of it.

Even in read-only mode openpyxl holds some things whole: the shared strings and the styles, the cells of a row until
the row ends, the text of one cell however long, whatever a worksheet holds outside its rows. One cell of 600 MB of
spaces packed into 627 KB took a gigabyte of a worker's memory. So the file is first read here without being parsed:
the zip's part count and declared sizes (assessments/files/archives.py), then each XML part a chunk at a time,
counting its tags, measuring the text between them, refusing DOCTYPEs (entity expansion), and in worksheets following
the row and column of every row and cell. What passes is small enough for openpyxl to stream within a few tens of
megabytes.
"""

import html
import itertools
import posixpath
import re
from collections.abc import Callable

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from assessments.files import archives

MAX_WORKBOOK_BYTES = 5 * 1024 * 1024
MAX_PARTS = 500
MAX_UNPACKED = 20 * 1024 * 1024  # all parts
MAX_SHEET_UNPACKED = 5 * 1024 * 1024  # a worksheet, or the shared strings
MAX_OTHER_UNPACKED = 2 * 1024 * 1024  # styles, workbook, relationships: a few kilobytes in the template
MAX_SHEETS = 20
MAX_ROWS = 2000
MAX_COLUMNS = 50
MAX_CELL_CHARS = 20_000
MAX_TEXT_BYTES = MAX_CELL_CHARS * 10  # "&#x10FFFF;" is ten bytes for one character
MAX_ELEMENTS = 300_000  # all parts: a full sheet of 2000 × 50 cells is about 200,000
MAX_ELEMENTS_PER_ROW = 5_000  # openpyxl holds a row's elements until the row ends
MAX_ELEMENTS_OUTSIDE_ROWS = 10_000  # and, in a worksheet, everything outside its rows to the end
MAX_ELEMENTS_PER_PART = 20_000  # any other part, parsed whole

# A tag, its name without prefix and its attributes. Quoted values may hold ">" but never "<", which keeps this
# linear whatever the input.
_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)((?:[^<>\"']|\"[^<\"]*\"|'[^<']*')*)>")
_ATTRIBUTE = re.compile(rb"(?:[\w.\-]+:)?([\w.\-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_REFERENCE = re.compile(rb"([A-Z]{0,3})([0-9]{1,7})")
_CHUNK = 64 * 1024
WORKBOOK_TYPES = {
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    b"application/vnd.ms-excel.sheet.macroenabled.main+xml",
    b"application/vnd.ms-excel.template.macroenabled.main+xml",
}


class WorkbookRefused(Exception):
    """The workbook as a whole is refused; `message` says why, for the upload form."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _attributes(raw):
    return {m[1]: m[2] if m[2] is not None else m[3] for m in _ATTRIBUTE.finditer(raw)}


def _column(letters):
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


class _Budget:
    def __init__(self):
        self.left = MAX_ELEMENTS


def _tags(chunks, where, *, text=True):
    """(closing, name, attributes, self-closing) of each tag of an XML part, with its text between tags bounded.

    `text=False` for a part that is not XML by its name nor its type (a picture): its bytes between tags are not
    text, and may run long without a "<".
    """
    carry = b""
    for chunk in itertools.chain(chunks, [None]):
        buf = carry + (chunk or b"")
        cut = len(buf) if chunk is None else buf.rfind(b"<")
        if cut <= 0:
            carry = buf if text or cut == 0 else b""
            if len(carry) > 2 * MAX_TEXT_BYTES:  # one tag and the text after it, each bounded
                if text:
                    raise WorkbookRefused(where.too_long())
                carry = b""
            continue
        head, carry = buf[:cut], buf[cut:]
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise WorkbookRefused(_("The workbook contains a document type declaration, which no workbook needs and "
                                    "which can make a reader expand it without end; it was refused."))
        last = 0
        for tag in _TAG.finditer(head):
            if text and (tag.end() - tag.start() > MAX_TEXT_BYTES or tag.start() - last > MAX_TEXT_BYTES):
                raise WorkbookRefused(where.too_long())
            last = tag.end()
            raw = tag[3]
            yield bool(tag[1]), tag[2], raw, raw.endswith(b"/")
        if text and len(head) - last > MAX_TEXT_BYTES:
            raise WorkbookRefused(where.too_long())


class _Where:
    """Names the part in messages: a sheet by its title, another part by its path."""

    def __init__(self, name, title, template):
        self.name, self.title, self.template = name, title, template

    @property
    def sheet(self):
        return self.title or self.name

    def too_long(self):
        if self.title:
            return _("The workbook has a cell longer than %(max)s characters on sheet “%(sheet)s”.") % {
                "max": f"{MAX_CELL_CHARS:,}", "sheet": self.title}
        return _("The workbook has a cell or a text longer than %(max)s characters (in its part “%(part)s”).") % {
            "max": f"{MAX_CELL_CHARS:,}", "part": self.name}

    def too_complex(self):
        if self.title:
            return _("Sheet “%(sheet)s” of the workbook holds far more than the template ever does; download the "
                     "workbook again and copy your answers into it.") % {"sheet": self.title}
        return _("The part “%(part)s” of the workbook holds far more than the template ever does; download the "
                 "workbook again and copy your answers into it.") % {"part": self.name}

    def beyond(self, what):
        return beyond_message(what, self.sheet, self.template(self.title) if self.title else None)


def beyond_message(what, sheet, template):
    """Rows or columns beyond the limit on `sheet`, compared with the template's (rows, columns) when known."""
    if what == "rows":
        message = _("The workbook has more than %(max)s rows on sheet “%(sheet)s”") % {"max": MAX_ROWS, "sheet": sheet}
        extra = _("; the template has %(n)s.") % {"n": template[0]} if template else "."
    else:
        message = _("The workbook has more than %(max)s columns on sheet “%(sheet)s”") % {"max": MAX_COLUMNS,
                                                                                         "sheet": sheet}
        extra = _("; the template has %(n)s.") % {"n": template[1]} if template else "."
    return message + extra


def _count(chunks, where, budget, limit, *, text=True):
    elements = 0
    for closing, _name, _raw, _empty in _tags(chunks, where, text=text):
        if not closing:
            elements += 1
            budget.left -= 1
            if elements > limit or budget.left < 0:
                raise WorkbookRefused(where.too_complex())


def _worksheet(chunks, where, budget):
    """Follow rows and cells as openpyxl would number them: from their r attribute, else one after the last."""
    in_data, row, column, in_row, outside = False, 0, 0, 0, 0
    for closing, name, raw, empty in _tags(chunks, where):
        if closing:
            if name == b"sheetData":
                in_data = False
            continue
        budget.left -= 1
        if budget.left < 0:
            raise WorkbookRefused(where.too_complex())
        if in_data:
            in_row += 1
            if in_row > MAX_ELEMENTS_PER_ROW:
                raise WorkbookRefused(where.too_complex())
        else:
            outside += 1
            if outside > MAX_ELEMENTS_OUTSIDE_ROWS:
                raise WorkbookRefused(where.too_complex())
        if name == b"sheetData":
            in_data = not empty
        elif name == b"dimension":
            reference = (_attributes(raw).get(b"ref") or b"A1").rsplit(b":", 1)[-1]
            last = _reference(reference, where)
            _within(last[0] or 1, last[1] or 1, where)
        elif in_data and name == b"row":
            reference = _attributes(raw).get(b"r")
            row, column, in_row = (_reference(reference, where)[1] if reference else row + 1), 0, 0
            _within(1, row, where)
        elif in_data and name == b"c":
            reference = _attributes(raw).get(b"r")
            cell_column, cell_row = _reference(reference, where) if reference else (0, 0)
            column = cell_column or column + 1
            _within(column, cell_row or row, where)


def _reference(value, where):
    """(column, row) of a reference such as B12 (either may be 0 when absent)."""
    match = _REFERENCE.fullmatch(value.strip())
    if match is None:
        raise WorkbookRefused(_("Sheet “%(sheet)s” has a cell reference the portal cannot read (“%(ref)s”).")
                              % {"sheet": where.sheet, "ref": value[:20].decode("ascii", "replace")})
    return _column(match[1]), int(match[2])


def _within(column, row, where):
    if row > MAX_ROWS:
        raise WorkbookRefused(where.beyond("rows"))
    if column > MAX_COLUMNS:
        raise WorkbookRefused(where.beyond("columns"))


def _small(archive, name):
    """A small part whole (workbook, relationships, content types), once its size and tags are found sensible."""
    size = archive.getinfo(name).file_size
    if size > MAX_OTHER_UNPACKED:
        raise archives.ArchiveRefused("part too large", member=name, size=size, limit=MAX_OTHER_UNPACKED)
    where = _Where(name, None, None)
    chunks = list(archives.chunks(archive, name))
    _count(chunks, where, _Budget(), MAX_ELEMENTS_PER_PART)  # DOCTYPEs and long runs, before any regex reads it
    return b"".join(chunks)


def _content_types(archive):
    """{part name: content type}, as openpyxl and Excel decide it: an Override, else the Default of its extension."""
    names = {name.lower(): name for name in archive.namelist()}
    if "[content_types].xml" not in names:
        raise WorkbookRefused(_("This is not an XLSX workbook."))
    declared = _small(archive, names["[content_types].xml"])
    defaults, overrides = {}, {}
    for _closing, name, raw, _empty in _tags([declared], _Where("[Content_Types].xml", None, None)):
        values = _attributes(raw)
        if name == b"Default" and b"Extension" in values:
            defaults[values[b"Extension"].lower()] = values.get(b"ContentType", b"").lower()
        elif name == b"Override" and b"PartName" in values:
            overrides[html.unescape(values[b"PartName"].decode("utf-8", "replace")).lstrip("/").lower()] = (
                values.get(b"ContentType", b"").lower())
    return {name: overrides.get(name.lower(), defaults.get(name.rsplit(".", 1)[-1].lower().encode(), b""))
            for name in archive.namelist()}


def _sheet_titles(archive, types):
    """{part name: sheet title} of the workbook's sheets, found the way openpyxl finds them."""
    candidates = [name for name, kind in types.items() if kind in WORKBOOK_TYPES]
    if not candidates:
        raise WorkbookRefused(_("This is not an XLSX workbook."))
    workbook = "xl/workbook.xml" if "xl/workbook.xml" in candidates else candidates[0]
    folder, base = posixpath.split(workbook)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    targets = {}
    if rels_name in types:
        for _closing, name, raw, _empty in _tags([_small(archive, rels_name)], _Where(rels_name, None, None)):
            values = _attributes(raw)
            if name == b"Relationship" and b"Id" in values and b"Target" in values:
                target = html.unescape(values[b"Target"].decode("utf-8", "replace"))
                targets[values[b"Id"]] = (target.lstrip("/") if target.startswith("/")
                                          else posixpath.normpath(posixpath.join(folder, target)))
    titles = {}
    for _closing, name, raw, _empty in _tags([_small(archive, workbook)], _Where(workbook, None, None)):
        values = _attributes(raw)
        if name == b"sheet":
            titles[targets.get(values.get(b"id"), f"?{len(titles)}")] = html.unescape(
                values.get(b"name", b"").decode("utf-8", "replace"))
    return titles


def _archive_message(refused, titles):
    title = titles.get(refused.member)
    values = {"size": filesizeformat(refused.size or 0), "max": filesizeformat(refused.limit or 0),
              "count": refused.size, "limit": refused.limit, "sheet": title, "part": refused.member}
    if refused.reason == "too many parts":
        return _("The workbook is made of %(count)s parts; at most %(limit)s are accepted.") % values
    if refused.reason == "too large":
        return _("The workbook unpacks to %(size)s; at most %(max)s is accepted.") % values
    if refused.reason == "part too large" and title:
        return _("Sheet “%(sheet)s” of the workbook unpacks to %(size)s; a sheet may unpack to at most %(max)s.") % (
            values)
    if refused.reason == "part too large":
        return _("The part “%(part)s” of the workbook unpacks to %(size)s; at most %(max)s is accepted.") % values
    if refused.reason == "encrypted part":
        return _("The workbook is encrypted: save it without a password and upload it again.")
    return _("This is not an XLSX workbook.")


def check(file, *, template: Callable[[str], tuple[int, int] | None] = lambda title: None):
    """Refuse (WorkbookRefused) a workbook beyond the limits, reading it a chunk at a time without parsing it.

    `template(title)` gives (rows, columns) of the sheet in the workbook the portal exports, for the messages.
    """
    file.seek(0, 2)
    if file.tell() > MAX_WORKBOOK_BYTES:
        raise WorkbookRefused(_("The workbook is %(mb).1f MB; a workbook may be at most %(max)s MB.")
                              % {"mb": file.tell() / 1024 / 1024, "max": MAX_WORKBOOK_BYTES // 1024 // 1024})
    titles = {}
    try:
        with archives.open_counted(file, MAX_PARTS) as archive:
            types = _content_types(archive)
            titles = _sheet_titles(archive, types)
            if len(titles) > MAX_SHEETS:
                raise WorkbookRefused(_("The workbook has %(n)s sheets; at most %(max)s are accepted.")
                                      % {"n": len(titles), "max": MAX_SHEETS})
            sheets = {name for name in types if name in titles or types[name].endswith(b"worksheet+xml")}
            strings = {name for name in types if types[name].endswith(b"sharedstrings+xml")}
            xml = {name for name in types
                   if types[name].endswith(b"xml") or name.lower().endswith((".xml", ".rels")) or name in sheets}
            total = 0
            for info in archive.infolist():
                # Images and the like may be larger than an XML part, but not as large as a sheet.
                limit = (MAX_SHEET_UNPACKED if info.filename in sheets | strings or info.filename not in xml
                         else MAX_OTHER_UNPACKED)
                if info.file_size > limit:
                    raise archives.ArchiveRefused("part too large", member=info.filename, size=info.file_size,
                                                  limit=limit)
                total += info.file_size
            if total > MAX_UNPACKED:
                raise archives.ArchiveRefused("too large", size=total, limit=MAX_UNPACKED)
            budget = _Budget()
            for name in sorted(sheets, key=lambda n: n not in titles):
                _worksheet(archives.chunks(archive, name, _CHUNK), _Where(name, titles.get(name), template), budget)
            # Every other part too, whatever its name and declared type say: a relationship may point openpyxl to
            # any of them as XML.
            for name in types:
                if name not in sheets and not name.endswith("/"):
                    _count(archives.chunks(archive, name, _CHUNK), _Where(name, None, template), budget,
                           MAX_ELEMENTS if name in strings else MAX_ELEMENTS_PER_PART, text=name in xml)
    except archives.ArchiveRefused as refused:
        raise WorkbookRefused(_archive_message(refused, titles)) from None
    finally:
        file.seek(0)
