"""Real documents built in the test, as a word processor, a spreadsheet or a PDF printer would write them, with text
where a classification marking goes: a page header, a body line, a cell, a sheet's print header."""

import io
import zipfile
from xml.sax.saxutils import escape

from openpyxl import Workbook
from weasyprint import HTML

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def pdf(*paragraphs, header=None):
    """A two-page PDF; `header` printed at the top of every page, as a marking is."""
    style = f'@page {{ @top-center {{ content: "{header}" }} }}' if header else ""
    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    return HTML(string=f"<style>{style}</style><h1>National method</h1>{body}"
                       f"<p style='break-before: page'>Annex: the operators consulted.</p>").write_pdf()


def _paragraphs(lines):
    return "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>' for line in lines)


def docx(*lines, header=None, footer=None, extra_parts=None):
    """A DOCX whose body holds `lines`, one paragraph each; a header and a footer part when given; `extra_parts`
    ({name: XML}) added as they are."""
    parts = {"word/document.xml": f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>'
                                  f'{_paragraphs(["National method", *lines])}</w:body></w:document>'}
    if header:
        parts["word/header1.xml"] = f'<w:hdr xmlns:w="{W}">{_paragraphs([header])}</w:hdr>'
    if footer:
        parts["word/footer1.xml"] = f'<w:ftr xmlns:w="{W}">{_paragraphs([footer])}</w:ftr>'
    overrides = "".join(f'<Override PartName="/{name}" ContentType="application/vnd.openxmlformats-officedocument.'
                        f'wordprocessingml.{kind}+xml"/>'
                        for name, kind in [("word/document.xml", "document.main"), ("word/header1.xml", "header"),
                                           ("word/footer1.xml", "footer")] if name in parts)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                                'package/2006/content-types"><Default Extension="xml" ContentType="'
                                                f'application/xml"/>{overrides}</Types>')
        archive.writestr("_rels/.rels", f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                        f'relationships"><Relationship Id="rId1" Type="{R}/officeDocument" '
                                        'Target="word/document.xml"/></Relationships>')
        for name, xml in {**parts, **(extra_parts or {})}.items():
            archive.writestr(name, xml)
    return buffer.getvalue()


def workbook(cells=(), header=None, footer=None, sheet="Risks"):
    """An openpyxl Workbook with `cells` ({"B3": text}) on sheet `sheet` and its print header and footer."""
    book = Workbook()
    page = book.active
    page.title = sheet
    page["A1"], page["B1"] = "Code", "Risk scenario"
    for reference, text in dict(cells).items():
        page[reference] = text
    if header:
        page.oddHeader.center.text = header
    if footer:
        page.oddFooter.right.text = footer
    return book


def xlsx(cells=(), header=None, footer=None):
    buffer = io.BytesIO()
    workbook(cells, header, footer).save(buffer)
    return buffer.getvalue()


def odt(*lines, header=None):
    """An ODT (the mimetype first and stored, as OpenDocument requires) with `lines` and a page header."""
    office = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
              'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
              'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"')
    body = "".join(f"<text:p>{escape(line)}</text:p>" for line in ["National method", *lines])
    styles = (f'<style:master-page style:name="Standard"><style:header><text:p>{escape(header)}</text:p>'
              "</style:header></style:master-page>" if header else "")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", f'<office:document-content {office}><office:body><office:text>{body}'
                                        "</office:text></office:body></office:document-content>")
        archive.writestr("styles.xml", f"<office:document-styles {office}><office:master-styles>{styles}"
                                       "</office:master-styles></office:document-styles>")
        archive.writestr("META-INF/manifest.xml", '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                                                  'opendocument:xmlns:manifest:1.0"/>')
    return buffer.getvalue()
