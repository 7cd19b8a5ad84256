"""EU classification markings in an uploaded file's text: classified information never gets into the portal.

The portal holds sensitive non-classified information; EU classified information (RESTREINT UE/EU RESTRICTED and
above) and its national equivalents need a system accredited for their level (DOMAIN.md, "Handling"). A classified
document carries its marking as a marking: alone on its line in capitals (often the bilingual pair "RESTREINT UE/EU
RESTRICTED", sometimes followed by a caveat after "/" or "//"), in the header and footer of every page, on the first
and last line of a PDF page. The same words inside a sentence ("Documents marked EU RESTRICTED must never be uploaded
here.") are not a marking, and a policy document that says so must still be attachable. So:

- anywhere, a line (or a stretch of a line set apart by a tab or a wide gap, or a spreadsheet cell) that is a
  marking, optionally followed by other markings or a caveat in capitals after "/" or "//", is one;
- in a header, a footer, or a PDF page's first or last line, a distinctive marking in capitals is one even among
  other words, unless a word in lower case stands right before or after it (then it is part of a sentence);
- a generic word that is also a marking (SECRET, GEHEIM, RISERVATO, TAJNE...) counts only alone on a whole line,
  in capitals.

Accents do not matter (TRES SECRET UE is TRÈS SECRET UE), capitals do: each form is matched in the case written
below. The text read is bounded (PDF pages, XML bytes, characters: document_text.py reads it), so a large file
cannot stall a request; a marking is on every page and in every header, so the first pages and the last suffice.
A file this module cannot read is not refused for that: documents.py has already refused broken, encrypted or
active files, and what is left unreadable here (a PDF whose text pypdf cannot extract, a scanned image) passes.

The portal accepts PDF, DOCX, XLSX and ODT attachments (documents.KINDS) and XLSX workbooks; no plain text or CSV
upload exists, so none is read here.
"""

import re
import unicodedata
import xml.etree.ElementTree as ElementTree
from contextlib import closing
from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessments.files import archives, document_text


@dataclass(frozen=True)
class Marking:
    form: str  # as it is written, in its case
    level: str  # the EU level it stands for
    generic: bool = False  # a plain word too: a marking only alone on a whole line


def _forms(level, *forms, generic=False):
    return [Marking(form, level, generic) for form in forms]


TOP_SECRET, SECRET, CONFIDENTIAL, RESTRICTED = "TRÈS SECRET UE/EU TOP SECRET", "SECRET UE/EU SECRET", \
    "CONFIDENTIEL UE/EU CONFIDENTIAL", "RESTREINT UE/EU RESTRICTED"

# The EU's own markings: Council Decision 2013/488/EU on the security rules for protecting EU classified information,
# Article 2. Certain.
EU = [
    *_forms(TOP_SECRET, "TRÈS SECRET UE", "EU TOP SECRET"),
    *_forms(SECRET, "SECRET UE", "EU SECRET"),
    *_forms(CONFIDENTIAL, "CONFIDENTIEL UE", "EU CONFIDENTIAL"),
    *_forms(RESTRICTED, "RESTREINT UE", "EU RESTRICTED"),
]

# National equivalents. The table of equivalence is Appendix B of Decision 2013/488/EU (the "Annex I" of the issue),
# as replaced by Council Decision (EU) 2021/1075 (OJ L 233, 1.7.2021), the same table as the annex to the Member
# States' agreement on classified information (2011/C 202/05, as amended by 2021/C 247 I/01). "Checked" entries were
# read in that table for this module (its first half: Belgium to Italy); "not checked" ones are written from
# knowledge of the national rules and want a look at the table by whoever next touches this list. Documents write
# markings in capitals whatever the table's case, and that is what is matched. Left out on purpose:
# - French DIFFUSION RESTREINTE and Belgian "Diffusion restreinte/Beperkte verspreiding": protection mentions for
#   sensitive non-classified information (the table's footnotes send RESTREINT UE for France and Belgium to their own
#   handling rules; they are not classification levels), which is what this portal holds;
# - the states of the table's second half not listed below (Latvia, Lithuania, Hungary, Romania, Slovenia, Sweden):
#   not checked, and left out rather than guessed.
NATIONAL = [
    # Belgium: checked (Loi/Wet 11.12.1998: TRÈS SECRET/ZEER GEHEIM, SECRET/GEHEIM, CONFIDENTIEL/VERTROUWELIJK).
    *_forms(TOP_SECRET, "ZEER GEHEIM"), *_forms(CONFIDENTIAL, "CONFIDENTIEL", "VERTROUWELIJK", generic=True),
    # Bulgaria: checked.
    *_forms(TOP_SECRET, "СТРОГО СЕКРЕТНО"), *_forms(SECRET, "СЕКРЕТНО", generic=True),
    *_forms(CONFIDENTIAL, "ПОВЕРИТЕЛНО", generic=True), *_forms(RESTRICTED, "ЗА СЛУЖЕБНО ПОЛЗВАНЕ"),
    # Czechia: checked. Slovakia (not checked): PRÍSNE TAJNÉ is Czechia's form without accents, found as it.
    *_forms(TOP_SECRET, "PŘÍSNĚ TAJNÉ"), *_forms(CONFIDENTIAL, "DŮVĚRNÉ", "DÔVERNÉ", generic=True),
    *_forms(RESTRICTED, "VYHRAZENÉ", "VYHRADENÉ", generic=True),
    # Denmark: checked.
    *_forms(TOP_SECRET, "YDERST HEMMELIGT"), *_forms(SECRET, "HEMMELIGT", generic=True),
    *_forms(CONFIDENTIAL, "FORTROLIGT", generic=True), *_forms(RESTRICTED, "TIL TJENESTEBRUG"),
    # Germany: checked ("VS - VERTRAULICH" in the table; "VS-NfD" as documents abbreviate it). GEHEIM is Belgium's
    # and the Netherlands' word too. Austria (not checked): VERTRAULICH, EINGESCHRÄNKT.
    *_forms(TOP_SECRET, "STRENG GEHEIM"), *_forms(SECRET, "GEHEIM", generic=True),
    *_forms(CONFIDENTIAL, "VS-VERTRAULICH"), *_forms(CONFIDENTIAL, "VERTRAULICH", generic=True),
    *_forms(RESTRICTED, "VS-NUR FÜR DEN DIENSTGEBRAUCH", "VS-NUR FUER DEN DIENSTGEBRAUCH", "VS-NfD", "VS-NFD"),
    *_forms(RESTRICTED, "EINGESCHRÄNKT", generic=True),
    # Estonia: checked.
    *_forms(TOP_SECRET, "TÄIESTI SALAJANE"), *_forms(SECRET, "SALAJANE", generic=True),
    *_forms(CONFIDENTIAL, "KONFIDENTSIAALNE", generic=True), *_forms(RESTRICTED, "PIIRATUD", generic=True),
    # Ireland: checked; Malta's English names (not checked) are the same.
    *_forms(TOP_SECRET, "TOP SECRET"), *_forms(SECRET, "SECRET", generic=True),
    *_forms(CONFIDENTIAL, "CONFIDENTIAL", generic=True), *_forms(RESTRICTED, "RESTRICTED", generic=True),
    # Greece: checked (Cyprus, not checked, uses the same), in capitals, accents aside.
    *_forms(TOP_SECRET, "ΑΚΡΩΣ ΑΠΟΡΡΗΤΟ"), *_forms(SECRET, "ΑΠΟΡΡΗΤΟ", generic=True),
    *_forms(CONFIDENTIAL, "ΕΜΠΙΣΤΕΥΤΙΚΟ", generic=True), *_forms(RESTRICTED, "ΠΕΡΙΟΡΙΣΜΕΝΗΣ ΧΡΗΣΗΣ"),
    # Spain: checked (SECRETO, RESERVADO, CONFIDENCIAL, DIFUSIÓN LIMITADA). Portugal, not checked: Muito Secreto,
    # Secreto, Confidencial, Reservado: the same word one level apart in the two, so both levels are named.
    *_forms(f"{TOP_SECRET} (ES), {SECRET} (PT)", "SECRETO", generic=True),
    *_forms(f"{SECRET} (ES), {RESTRICTED} (PT)", "RESERVADO", generic=True),
    *_forms(CONFIDENTIAL, "CONFIDENCIAL", generic=True), *_forms(RESTRICTED, "DIFUSIÓN LIMITADA"),
    *_forms(TOP_SECRET, "MUITO SECRETO"),
    # France: checked. TRÈS SECRET and SECRET since 1 July 2021 (Decision 2021/1075, recital 3); the three "DÉFENSE"
    # levels on what was classified before, still protected at the equivalent EU level.
    *_forms(TOP_SECRET, "TRÈS SECRET", "TRÈS SECRET DÉFENSE"), *_forms(SECRET, "SECRET DÉFENSE"),
    *_forms(CONFIDENTIAL, "CONFIDENTIEL DÉFENSE"),
    # Croatia: checked.
    *_forms(TOP_SECRET, "VRLO TAJNO"), *_forms(SECRET, "TAJNO", generic=True),
    *_forms(CONFIDENTIAL, "POVJERLJIVO", generic=True), *_forms(RESTRICTED, "OGRANIČENO", generic=True),
    # Italy: checked.
    *_forms(TOP_SECRET, "SEGRETISSIMO", generic=True), *_forms(SECRET, "SEGRETO", generic=True),
    *_forms(CONFIDENTIAL, "RISERVATISSIMO", generic=True), *_forms(RESTRICTED, "RISERVATO", generic=True),
    # Luxembourg: not checked.
    *_forms(TOP_SECRET, "TRÈS SECRET LUX"), *_forms(SECRET, "SECRET LUX"),
    *_forms(CONFIDENTIAL, "CONFIDENTIEL LUX"), *_forms(RESTRICTED, "RESTREINT LUX"),
    # The Netherlands: not checked here, but the Dutch VIR-BI 2013 writes them so ("Stg." for Staatsgeheim).
    *_forms(TOP_SECRET, "Stg. ZEER GEHEIM", "STG. ZEER GEHEIM"), *_forms(SECRET, "Stg. GEHEIM", "STG. GEHEIM"),
    *_forms(CONFIDENTIAL, "Stg. CONFIDENTIEEL", "STG. CONFIDENTIEEL"),
    *_forms(RESTRICTED, "DEPARTEMENTAAL VERTROUWELIJK", "Dep. VERTROUWELIJK", "DEP. VERTROUWELIJK"),
    # Poland: not checked here, but the levels of its 2010 act on classified information (art. 5).
    *_forms(TOP_SECRET, "ŚCIŚLE TAJNE"), *_forms(SECRET, "TAJNE", generic=True),
    *_forms(CONFIDENTIAL, "POUFNE", generic=True), *_forms(RESTRICTED, "ZASTRZEŻONE", generic=True),
    # Finland: not checked (Finnish and Swedish forms in use).
    *_forms(TOP_SECRET, "ERITTÄIN SALAINEN"), *_forms(CONFIDENTIAL, "LUOTTAMUKSELLINEN", generic=True),
    *_forms(RESTRICTED, "KÄYTTÖ RAJOITETTU"),
]
MARKINGS = EU + NATIONAL

# Bounds on the work (with the pages and bytes document_text.py reads): a marking is on every page and in every
# header, so the first pages and the last, and the first half million characters, say whether a file carries one.
MAX_CHARS = 500_000


@dataclass(frozen=True)
class Found:
    marking: str  # as written in the file
    level: str
    where: str  # "page 3", "a header", "cell B2 of sheet “Risks”", in the reader's language


def _fold(text):
    """Accents off, spaces and hyphens as markings are compared."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"\bVS\s*-\s*", "VS-", text)  # "VS - VERTRAULICH", as the VSA writes it, is "VS-VERTRAULICH"
    text = re.sub(r"\.(?=\S)", ". ", text)  # "STG.GEHEIM" is "STG. GEHEIM"
    return re.sub(r"\s+", " ", text).strip()


_BY_FORM = {_fold(m.form): m for m in MARKINGS}
_DISTINCTIVE = sorted((form for form, m in _BY_FORM.items() if not m.generic), key=len, reverse=True)
_IN_LINE = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, _DISTINCTIVE)) + r")(?![\w-])")
_SEGMENTS = re.compile(r"\t|\s{3,}|\s+\|\s+")  # a tab or a wide gap sets a marking apart on a line
_PARTS = re.compile(r"\s*//?\s*")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def _whole(segment, *, line):
    """The marking a segment is, as a marking: alone, or followed by markings or caveats after "/" or "//"."""
    first, *rest = _PARTS.split(segment)
    marking = _BY_FORM.get(first)
    if marking is None or any(part != part.upper() for part in rest):
        return None
    if marking.generic and (rest or not line):
        return None
    return marking


def _in_line(text):
    """A distinctive marking among other words of a header or footer, unless a lower-case word touches it."""
    for found in _IN_LINE.finditer(text):
        before = _WORD.findall(text[:found.start()])
        after = _WORD.findall(text[found.end():])
        if (before and before[-1][0].islower()) or (after and after[0][0].islower()):
            continue
        return _BY_FORM[found[1]]
    return None


def marking_in(line):
    """The Marking a document_text.Line carries as a marking, or None."""
    text = _fold(line.text)
    if not text:
        return None
    if marking := _whole(text, line=True):
        return marking
    segments = [_fold(s) for s in _SEGMENTS.split(line.text) if s.strip()]
    for segment in segments if len(segments) > 1 else []:
        if marking := _whole(segment, line=False):
            return marking
    return _in_line(text) if line.prominent else None


def first_in(lines):
    """The first marking among `lines`, as Found, or None; at most MAX_CHARS of their text is looked at."""
    left = MAX_CHARS
    for line in lines:
        left -= len(line.text)
        if left < 0:
            return None
        if marking := marking_in(line):
            return Found(marking.form, marking.level, line.where)
    return None


def find(file, extension):
    """The first classification marking in an uploaded file of a kind documents.py recognised, or None.

    `file` is seekable; it is read from the start and left wherever reading stopped (the caller seeks back).
    """
    file.seek(0)
    try:
        with closing(document_text.lines(file, extension)) as lines:
            return first_in(lines)
    except (document_text.Unreadable, archives.ArchiveRefused, ElementTree.ParseError):
        return None  # see the module's docstring: not refused for that alone


def message(name, found):
    """What the upload form says beside the file field when `found` is in the file called `name`."""
    return _("“%(name)s” carries the classification marking “%(marking)s” (%(where)s). EU classified information "
             "(RESTREINT UE/EU RESTRICTED and above, or a national equivalent) may not be uploaded here: the portal "
             "is not accredited to hold it. Nothing was uploaded. Send such material only through a system "
             "accredited for its level; your authority's security officer or your national security authority "
             "can tell you which.") % {"name": name, "marking": found.marking, "where": found.where}
