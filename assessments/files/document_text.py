"""The text of an uploaded document as lines, each saying where it is and whether it is a header or a footer: what
classification.py looks for markings in.

PDF through pypdf, page by page (the first pages and the last, classification.FIRST_PAGES and LAST_PAGES); DOCX,
XLSX and ODT by reading their XML with the standard library, a chunk at a time and at most MAX_PART_BYTES of any
part, never a DOCTYPE (entity expansion). Lines come lazily, so that the search stops reading at the first marking
and after classification.MAX_CHARS characters. A file that cannot be read raises Unreadable.

What is read: a DOCX's body, headers and footers (paragraphs, table cells); an XLSX's cells (shared, inline and
formula strings) and each sheet's print headers and footers; an ODT's body and its page styles' headers and footers.
Text shown in capitals only by its formatting (Word's "All caps") is read as it is stored.
"""

import itertools
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

from django.utils.translation import gettext as _
from pypdf import PdfReader

from assessments.files import archives

FIRST_PAGES, LAST_PAGES = 20, 5
MAX_PART_BYTES = 8 * 1024 * 1024
MAX_ELEMENTS = 50_000  # of any one part: a marking is at its start (and headers are read before the body)
# And of all parts together: a DOCX may name two thousand header parts, each within the limits above.
MAX_FILE_BYTES, MAX_FILE_ELEMENTS = 24 * 1024 * 1024, 200_000
# Within documents.ZIP_LIMITS (which attachments have passed already); the workbook import comes here first.
LIMITS = archives.Limits(members=2000, total=200 * 1024 * 1024, member=200 * 1024 * 1024)

_HEADER_OR_FOOTER = re.compile(r"word/(header|footer)\d*\.xml", re.I)
# Excel's header and footer codes: &L &C &R start a section; fonts, sizes, colours, fields are dropped.
_XL_SECTION = re.compile(r"&[LCR]")
_XL_HEADERS = {"oddHeader", "evenHeader", "firstHeader", "oddFooter", "evenFooter", "firstFooter"}
_XL_CODE = re.compile(r'&"[^"]*"|&K[0-9A-Fa-f]{6}|&K\d\d[+-]\d{3}|&\d+|&[PNDTZFAGBIUESXYO]')


class Unreadable(Exception):
    """The file's text cannot be read here; classification.py lets it pass (see its docstring)."""


class _Budget:
    def __init__(self):
        self.bytes, self.elements = MAX_FILE_BYTES, MAX_FILE_ELEMENTS


@dataclass(frozen=True)
class Line:
    text: str
    where: str  # in the reader's language: "page 3", "a header", "cell B2 of sheet “Risks”"
    prominent: bool = False  # a header, a footer, a PDF page's first or last line


def lines(file, extension):
    """The Lines of a seekable file of a kind documents.py recognised ("pdf", "docx", "xlsx", "odt"), lazily."""
    if extension == "pdf":
        yield from _pdf(file)
        return
    with archives.open_within(file, LIMITS) as archive:
        yield from {"docx": _docx, "xlsx": _xlsx, "odt": _odt}[extension](archive, _Budget())


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _pdf(file):
    try:
        reader = PdfReader(file)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("encrypted")
        count = len(reader.pages)
        numbers = sorted(set(range(min(FIRST_PAGES, count))) | set(range(max(0, count - LAST_PAGES), count)))
        for number in numbers:
            text = [line for line in reader.pages[number].extract_text().splitlines() if line.strip()]
            where = _("page %(n)s") % {"n": number + 1}
            for at, line in enumerate(text):
                yield Line(line, where, prominent=at in (0, len(text) - 1))
    except Unreadable:
        raise
    except Exception as exc:  # pypdf raises errors of many kinds on a malformed file
        raise Unreadable(str(exc)) from exc


def _events(archive, name, keep, budget):
    """(event, element) of one XML part, reading at most MAX_PART_BYTES and MAX_ELEMENTS of it, and nothing once the
    file's `budget` is spent.

    An element is dropped from the tree once it has ended, unless it is inside one of the tags in `keep` (a
    paragraph, a cell: what the reader needs whole when it ends), so that memory holds one of those at a time
    whatever the part holds (a row of a million empty cells, say).
    """
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    stack, inside, read, count, tail = [], 0, 0, 0, b""
    if budget.bytes <= 0 or budget.elements <= 0:
        return
    for chunk in itertools.chain(archives.chunks(archive, name), [None]):
        if chunk is None:
            parser.close()
        else:
            if b"<!DOCTYPE" in tail + chunk or b"<!ENTITY" in tail + chunk:
                raise Unreadable("a document type declaration")
            tail, read = chunk[-16:], read + len(chunk)
            budget.bytes -= len(chunk)
            parser.feed(chunk)
        for event, element in parser.read_events():
            kept = _local(element.tag) in keep
            if event == "start":
                stack.append(element)
                inside += kept
                count, budget.elements = count + 1, budget.elements - 1
                if count > MAX_ELEMENTS or budget.elements < 0:
                    return
                yield event, element
                continue
            stack.pop()
            inside -= kept
            yield event, element
            if stack and not inside:
                del stack[-1][-1]  # the element that just ended is its parent's last child
        if read >= MAX_PART_BYTES or budget.bytes <= 0:
            return


def _split(text, where, prominent=False):
    return [Line(line, where, prominent) for line in text.split("\n") if line.strip()]


def _docx(archive, budget):
    names = archive.namelist()
    parts = [(name, _("a header") if _HEADER_OR_FOOTER.fullmatch(name)[1].lower() == "header" else _("a footer"), True)
             for name in names if _HEADER_OR_FOOTER.fullmatch(name)]
    parts += [(name, _("the body"), False) for name in names if name == "word/document.xml"]
    for name, where, prominent in parts:
        for event, element in _events(archive, name, {"p"}, budget):
            if event == "end" and _local(element.tag) == "p":
                yield from _split(_word_text(element), where, prominent)
                element.clear()  # a paragraph in a text box is read once, not again with the one around it


def _word_text(paragraph):
    out = []
    for element in paragraph.iter():
        tag = _local(element.tag)
        if tag == "t":
            out.append(element.text or "")
        elif tag == "tab":
            out.append("\t")
        elif tag in ("br", "cr"):
            out.append("\n")
    return "".join(out)


def _xlsx(archive, budget):
    names = set(archive.namelist())
    sheets = _sheets(archive, names, budget)
    strings = _shared_strings(archive, budget) if "xl/sharedStrings.xml" in names else []
    for title, name in sheets:
        for event, element in _events(archive, name, {"c", *_XL_HEADERS}, budget):
            if event != "end":
                continue
            tag = _local(element.tag)
            if tag == "c":
                if text := _cell_text(element, strings):
                    yield from _split(text, _("cell %(cell)s of sheet “%(sheet)s”")
                                      % {"cell": element.get("r", "?"), "sheet": title})
            elif tag in _XL_HEADERS:
                where = (_("the header of sheet “%(sheet)s”") if "Header" in tag
                         else _("the footer of sheet “%(sheet)s”")) % {"sheet": title}
                for section in _XL_SECTION.split(element.text or ""):
                    yield from _split(_XL_CODE.sub("", section).replace("&&", "&"), where, True)


def _shared_strings(archive, budget):
    strings, left = [], MAX_PART_BYTES
    for event, element in _events(archive, "xl/sharedStrings.xml", {"si"}, budget):
        if event == "end" and _local(element.tag) == "si":
            # Its own text or its runs' (a run is <r><t>); phonetic guides (<rPh>) are not the text.
            text = "".join(t.text or "" for child in element for t in ([child] if _local(child.tag) == "t" else
                           [g for g in child if _local(g.tag) == "t"] if _local(child.tag) == "r" else []))
            left -= len(text)
            strings.append(text if left > 0 else "")
    return strings


def _cell_text(cell, strings):
    kind, value = cell.get("t"), None
    for child in cell:
        tag = _local(child.tag)
        if tag == "v":
            value = child.text
        elif tag == "is":
            value = "".join(t.text or "" for t in child.iter() if _local(t.tag) == "t")
    if kind == "s":
        try:
            return strings[int(value)]
        except (TypeError, ValueError, IndexError):
            return ""
    return value or "" if kind in ("inlineStr", "str") else ""


def _sheets(archive, names, budget):
    """(title, part name) of each worksheet, in the workbook's order."""
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        raise Unreadable("not a workbook")
    targets = {}
    for event, element in _events(archive, "xl/_rels/workbook.xml.rels", set(), budget):
        if event == "end" and _local(element.tag) == "Relationship":
            target = element.get("Target", "")
            targets[element.get("Id")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    sheets = []
    for event, element in _events(archive, "xl/workbook.xml", set(), budget):
        if event == "end" and _local(element.tag) == "sheet":
            rid = next((value for key, value in element.attrib.items() if _local(key) == "id"), None)
            if targets.get(rid) in names:
                sheets.append((element.get("name", "?"), targets[rid]))
    return sheets


_ODF_PROMINENT = {"header", "header-left", "header-first", "footer", "footer-left", "footer-first"}


def _odt(archive, budget):
    names = set(archive.namelist())
    for name in ("styles.xml", "content.xml"):
        if name not in names:
            continue
        inside = []
        for event, element in _events(archive, name, {"p", "h"}, budget):
            tag = _local(element.tag)
            if tag in _ODF_PROMINENT:
                inside.append(tag) if event == "start" else inside.pop()
            elif event == "end" and tag in ("p", "h"):
                if inside:
                    where = _("a header") if inside[-1].startswith("header") else _("a footer")
                    yield from _split(_odf_text(element), where, True)
                elif name == "content.xml":
                    yield from _split(_odf_text(element), _("the body"))


def _odf_text(element):
    out = [element.text or ""]
    for child in element:
        tag = _local(child.tag)
        if tag == "tab":
            out.append("\t")
        elif tag == "line-break":
            out.append("\n")
        elif tag == "s":
            count = next((value for key, value in child.attrib.items() if _local(key) == "c"), "1")
            out.append(" " * min(int(count) if count.isdigit() else 1, 100))
        else:
            out.append(_odf_text(child))
        out.append(child.tail or "")
    return "".join(out)
