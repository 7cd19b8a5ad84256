"""What may be attached: a few document kinds, recognised by their content, under a name that says the same.

Reviewers open attachments on their own machines, where the name decides what runs the file: a PDF named
evidence.html opens in a browser, report.pdf.exe runs. So the kind comes from the content, the last extension must
be that kind's, no other part of the name may be an extension that runs or renders (evidence.exe.pdf could still
fool a reader), the file must hold no active content (macros, scripts, launch actions, embedded files), and no
classification marking (classification.py): EU classified information never gets into the portal. Every refusal
says what to do instead; nothing here writes anything.
"""

import logging
from dataclasses import dataclass

import filetype
from django.core.exceptions import SuspiciousFileOperation
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from assessments.files import archives, classification, office_content, pdf_content

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str
    label: str


# What the attachment form has always accepted (the help text promises these four), detected from the content.
KINDS = {kind.extension: kind for kind in [
    Kind("pdf", "application/pdf", "PDF"),
    Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"),
    Kind("odt", "application/vnd.oasis.opendocument.text", "ODT"),
]}
BY_CONTENT_TYPE = {kind.content_type: kind for kind in KINDS.values()}

# Extensions that make a file run, render as a page or carry macros: refused anywhere in a name.
ACTIVE_EXTENSIONS = frozenset("""
    app apk appx application bat bash cmd com command cpl csh dll docm dotm exe gadget hta htm html inf ins isp iso
    jar js jse ksh lnk mht mhtml msc msi msix msp mst pif potm ppam ppsm pptm ps1 ps2 psc1 psc2 psd1 psm1 py pyw reg
    scf scr sct sh shb shs shtml sldm svg svgz swf sys url vb vbe vbs vhd vhdx ws wsc wsf wsh xht xhtml xlam xll xlsm
    xltm xsl xslt
""".split())

# An office file of at most 20 MB that unpacks to more, or holds more parts, is built to hurt whoever opens it.
ZIP_LIMITS = archives.Limits(members=2000, total=200 * 1024 * 1024, member=200 * 1024 * 1024)


class Refused(Exception):
    def __init__(self, message, code="invalid"):
        super().__init__(message)
        self.message, self.code = message, code


def _extensions(name):
    return [part.strip().lower() for part in name.split(".")[1:]]


def check(upload):
    """The Kind of an acceptable upload, or Refused with the message to show next to the file field."""
    head = upload.read(8192)  # filetype reads at most the first 8 KiB
    upload.seek(0)
    guessed = filetype.guess(head)
    kind = KINDS.get(guessed.extension) if guessed else None
    if kind is None:
        raise Refused(_("“%(name)s” is not a PDF, XLSX, DOCX or ODT document: its content says otherwise, whatever "
                        "its name.") % {"name": upload.name}, code="kind")
    _check_name(upload.name, kind)
    try:
        if kind.extension == "pdf":
            _check_pdf(upload, kind)
        else:
            _check_archive(upload, kind)
        check_unclassified(upload, kind)
    finally:
        upload.seek(0)
    return kind


def check_unclassified(upload, kind):
    """Refused when the upload carries an EU classification marking or a national equivalent.

    Every upload comes here: attachments through check() (the page and the API share its form), the workbook import
    through its form. The refusal is logged with the file's name and the marking (the audit trail keeps no upload
    refusals; the request's log line says who).
    """
    try:
        found = classification.find(upload.file, kind.extension)
    finally:
        upload.seek(0)
    if found is not None:
        log.warning("upload “%s” refused: it carries the classification marking %s (%s)", upload.name, found.marking,
                    found.where)
        raise Refused(classification.message(upload.name, found), code="classified")


def _check_name(name, kind):
    extensions = _extensions(name)
    if not extensions or extensions[-1] != kind.extension:
        raise Refused(_("“%(name)s” is a %(label)s document by its content, but its name does not end in "
                        ".%(extension)s: rename it so that it does, and attach it again.")
                      % {"name": name, "label": kind.label, "extension": kind.extension}, code="name")
    active = [extension for extension in extensions[:-1] if extension in ACTIVE_EXTENSIONS]
    if active:
        raise Refused(_("“%(name)s” has “.%(extension)s” inside its name, which could make it pass for a program or "
                        "a web page: rename it without it (for example “%(suggestion)s”) and attach it again.")
                      % {"name": name, "extension": active[0], "suggestion": stored_name(name, kind.content_type)},
                      code="name")


def _check_pdf(upload, kind):
    try:
        what = pdf_content.active_content(upload.chunks())
    except pdf_content.Uncheckable:
        raise Refused(_("“%(name)s” is encrypted or compressed in a way the portal cannot check for scripts. Print "
                        "it to a new PDF (or export it again without a password) and attach that.")
                      % {"name": upload.name}, code="active") from None
    if what:
        raise Refused(_("“%(name)s” contains %(what)s, which the portal does not accept in attachments: reviewers "
                        "would open it on their own machines. Print it to a new PDF, or export it again without "
                        "scripts, actions or embedded files, and attach that.")
                      % {"name": upload.name, "what": what}, code="active")


def _check_archive(upload, kind):
    try:
        with archives.open_within(upload.file, ZIP_LIMITS) as archive:
            finding = (office_content.odf_finding(archive) if kind.extension == "odt"
                       else office_content.ooxml_finding(archive))
    except archives.ArchiveRefused as refused:
        raise Refused(_archive_message(upload.name, kind, refused), code="archive") from None
    if finding is None:
        return
    if finding.what == "damaged":
        raise Refused(_("“%(name)s” is damaged: it cannot be read as a %(label)s document.")
                      % {"name": upload.name, "label": kind.label}, code="archive")
    raise Refused(_("“%(name)s” contains %(what)s (%(where)s), which the portal does not accept in attachments: "
                    "reviewers would open it on their own machines. Save it as a %(label)s document without them and "
                    "attach it again.") % {"name": upload.name, "what": finding.what, "where": finding.where,
                                           "label": kind.label}, code="active")


def _archive_message(name, kind, refused):
    values = {"name": name, "label": kind.label, "member": refused.member,
              "size": filesizeformat(refused.size or 0), "limit": filesizeformat(refused.limit or 0),
              "count": refused.size, "max": refused.limit}
    if refused.reason == "too many parts":
        return _("“%(name)s” is made of %(count)s parts; a %(label)s attachment may hold at most %(max)s.") % values
    if refused.reason in ("too large", "part too large"):
        return _("“%(name)s” unpacks to more than %(limit)s; a %(label)s attachment may not (it would fill the disk "
                 "of whoever opens it).") % values
    if refused.reason == "encrypted part":
        return _("“%(name)s” holds an encrypted part (%(member)s) that the portal cannot check: save it without a "
                 "password and attach it again.") % values
    return _("“%(name)s” is damaged: it cannot be read as a %(label)s document.") % values


def stored_name(name, content_type):
    """The name a file is stored and served under: its own name made safe, ending in its kind's extension.

    Applied to names stored before these rules too, so that a download never carries a name that runs.
    """
    kind = BY_CONTENT_TYPE.get(content_type)
    extension = kind.extension if kind else "bin"
    parts = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].split(".")
    if len(parts) > 1 and parts[-1].strip().lower() == extension:
        parts = parts[:-1]
    stem = parts[0] + "".join(("_" if part.strip().lower() in ACTIVE_EXTENSIONS else ".") + part
                              for part in parts[1:])
    try:
        stem = get_valid_filename(stem).strip("._")
    except SuspiciousFileOperation:
        stem = ""
    return f"{(stem or 'attachment')[:200 - len(extension) - 1]}.{extension}"
