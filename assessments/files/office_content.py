"""Active content in Office Open XML (DOCX, XLSX) and OpenDocument files: macros, controls, scripts.

Only the archive's directory and a few small parts are read, within the limits assessments/files/archives.py already
checked. A macro-enabled document renamed .docx still carries its vbaProject.bin and says "macroEnabled" in its
content types, so both are looked for; an OpenDocument file keeps its macros under Basic/ and Scripts/, and calls
them from event listeners and links (vnd.sun.star.script:, macro://, macro-name), which can also reach macros
installed on the reader's machine, so those are looked for in its XML too.
"""

import re
from dataclasses import dataclass

from assessments.files import archives

SMALL_PART = 2 * 1024 * 1024  # content types, relationships: far smaller in any real document

_REMOTE = re.compile(rb"<(?:\w+:)?relationship\b[^>]*>")
# A template, object or frame fetched from elsewhere when the document opens (the "remote template" attack).
_REMOTE_TYPE = re.compile(rb"type\s*=\s*[\"'][^\"']*/(attachedtemplate|oleobject|subdocument|frame)[\"']")
_EXTERNAL = re.compile(rb"targetmode\s*=\s*[\"']external[\"']")
ODF_SCRIPT_NEEDLES = (b"vnd.sun.star.script:", b"macro://", b"macro-name")


@dataclass(frozen=True)
class Finding:
    what: str  # "macros", "ActiveX controls", "scripts", "a remote template", "a DDE link", "damaged"
    where: str


def _small(archive, name):
    info = archive.getinfo(name)
    if info.file_size > SMALL_PART:
        raise archives.ArchiveRefused("part too large", member=name, size=info.file_size, limit=SMALL_PART)
    return b"".join(archives.chunks(archive, name))


def _contains(archive, name, needles):
    """The first of `needles` (lower case) found in the part, read a chunk at a time, or None."""
    overlap = max(map(len, needles)) - 1
    tail = b""
    for chunk in archives.chunks(archive, name):
        window = tail + chunk.lower()
        for needle in needles:
            if needle in window:
                return needle
        tail = window[-overlap:]
    return None


def ooxml_finding(archive):
    names = {name.lower(): name for name in archive.namelist()}
    for lowered, name in names.items():
        base = lowered.rsplit("/", 1)[-1]
        if "vbaproject" in base or "vbadata" in base:
            return Finding("macros", name)
        if "/activex/" in f"/{lowered}":
            return Finding("ActiveX controls", name)
    if "[content_types].xml" not in names:
        return Finding("damaged", "[Content_Types].xml")
    types = _small(archive, names["[content_types].xml"]).lower()
    if b"macroenabled" in types or b"vbaproject" in types:
        return Finding("macros", "[Content_Types].xml")
    if b"activex" in types:
        return Finding("ActiveX controls", "[Content_Types].xml")
    for lowered, name in names.items():
        if lowered.endswith(".rels"):
            for relationship in _REMOTE.finditer(_small(archive, name).lower()):
                if _REMOTE_TYPE.search(relationship[0]) and _EXTERNAL.search(relationship[0]):
                    return Finding("a remote template", name)
        elif lowered.startswith("xl/externallinks/") and _contains(archive, name, [b"ddelink"]):
            return Finding("a DDE link", name)  # a "link" that runs a program through DDE when the workbook opens
    return None


def odf_finding(archive):
    for name in archive.namelist():
        lowered = f"/{name.lower()}"
        if "/basic/" in lowered or "/scripts/" in lowered:
            return Finding("macros", name)
    for name in archive.namelist():
        if name.lower().rsplit("/", 1)[-1] in ("content.xml", "styles.xml") and _contains(
                archive, name, ODF_SCRIPT_NEEDLES):
            return Finding("scripts", name)
    return None
