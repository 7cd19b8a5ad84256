"""Classified information never gets in: a file whose text carries an EU classification marking, or a national
equivalent, written as a marking, is refused beside its field with where the marking is and where such material
must go; the same words in a sentence about classification are not a marking."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.files import classification
from assessments.models import Attachment, ScopeAnswer
from portal.models import Role
from tests import factories
from tests.api.helpers import ApiClient, token_for
from tests.assessments import helpers, marked_files
from tests.assessments.test_workbook import download

pytestmark = pytest.mark.django_db
SENTENCE = "Documents marked EU RESTRICTED must never be uploaded here."
WHY = "EU classified information (RESTREINT UE/EU RESTRICTED and above, or a national equivalent) may not be " \
      "uploaded here: the portal is not accredited to hold it."
WHERE_INSTEAD = "Send such material only through a system accredited for its level; your authority's security " \
                "officer or your national security authority can tell you which."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def attach(client, draft, name, content):
    return client.post(reverse("assessments:attachments", args=[draft.pk]),
                       {"file": SimpleUploadedFile(name, content)})


def found_in(content, extension):
    return classification.find(io.BytesIO(content), extension)


@pytest.mark.parametrize("name, content, marking, where", [
    ("method.pdf", lambda: marked_files.pdf("Risks are highest in the core.", header="RESTREINT UE/EU RESTRICTED"),
     "RESTREINT UE", "page 1"),
    ("method.pdf", lambda: marked_files.pdf("TRES SECRET UE", "Risks are highest in the core."),
     "TRÈS SECRET UE", "page 1"),
    ("method.docx", lambda: marked_files.docx("Risks are highest in the core.", header="EU CONFIDENTIAL"),
     "EU CONFIDENTIAL", "a header"),
    ("method.docx", lambda: marked_files.docx("Risks.", footer="Ministry of the Interior – SECRET UE/EU SECRET – 2"),
     "SECRET UE", "a footer"),
    ("method.docx", lambda: marked_files.docx("SECRET UE/EU SECRET", "Risks are highest in the core."),
     "SECRET UE", "the body"),
    ("risks.xlsx", lambda: marked_files.xlsx({"B3": "EU RESTRICTED"}), "EU RESTRICTED", "cell B3 of sheet “Risks”"),
    ("risks.xlsx", lambda: marked_files.xlsx(header="RESTREINT UE/EU RESTRICTED"),
     "RESTREINT UE", "the header of sheet “Risks”"),
    ("risks.xlsx", lambda: marked_files.xlsx(footer="VS - NUR FÜR DEN DIENSTGEBRAUCH"),
     "VS-NUR FÜR DEN DIENSTGEBRAUCH", "the footer of sheet “Risks”"),
    ("method.odt", lambda: marked_files.odt("Risks.", header="CONFIDENTIEL UE"), "CONFIDENTIEL UE", "a header"),
])
def test_a_marked_attachment_is_refused_beside_the_field_and_nothing_saved_is_lost(
        client, draft, reporter_at, name, content, marking, where):
    client.force_login(reporter_at)
    assert attach(client, draft, "earlier.docx", marked_files.docx("Consulted operators.")).status_code == 302
    response = attach(client, draft, name, content())
    assert response.status_code == 400
    [error] = response.context["form"].errors["file"]
    assert f"“{name}” carries the classification marking “{marking}” ({where})." in error
    assert WHY in error and WHERE_INSTEAD in error
    assert error in response.content.decode().replace("&#x27;", "'")
    assert list(Attachment.objects.values_list("name", flat=True)) == ["earlier.docx"]


@pytest.mark.parametrize("name, content", [
    ("policy.pdf", lambda: marked_files.pdf(SENTENCE, "Appendix B of Council Decision 2013/488/EU lists SECRET UE.")),
    ("policy.pdf", lambda: marked_files.pdf("Risks.", header="Handling: " + SENTENCE)),
    ("policy.docx", lambda: marked_files.docx(SENTENCE, "GEHEIM is the German equivalent of SECRET UE.",
                                              header="Why documents marked EU CONFIDENTIAL stay out")),
    ("policy.xlsx", lambda: marked_files.xlsx({"B3": SENTENCE, "C3": "Geheim", "D3": "Level: SECRET"},
                                              footer="Marked RESTREINT UE? not here")),
    ("policy.odt", lambda: marked_files.odt(SENTENCE, "DIFFUSION RESTREINTE")),
])
def test_a_sentence_about_classification_is_not_a_marking(client, draft, reporter_at, name, content):
    client.force_login(reporter_at)
    assert attach(client, draft, name, content()).status_code == 302
    assert Attachment.objects.get().name == name


@pytest.mark.parametrize("marking", classification.MARKINGS, ids=lambda marking: marking.form)
def test_each_listed_marking_is_found_alone_on_its_line_and_not_in_a_sentence(marking):
    found = found_in(marked_files.docx(marking.form, "Risks are highest in the core."), "docx")
    assert (found.marking, found.level, found.where) == (marking.form, marking.level, "the body")
    assert found_in(marked_files.docx(f"Papers marked {marking.form} go through an accredited system."), "docx") \
        is None
    caveat = found_in(marked_files.docx(f"{marking.form} // REL TO EU"), "docx")
    # A caveat after a generic word makes it a line like any other (GEHEIM // X could be a table's heading).
    assert (caveat is None) if marking.generic else (caveat.marking == marking.form)


@pytest.mark.parametrize("text", ["GEHEIM", "SEGRETO", "TAJNE", "RESTRICTED"])
def test_a_generic_word_counts_only_as_a_whole_line_in_capitals(text):
    assert found_in(marked_files.docx(text), "docx").marking == text
    assert found_in(marked_files.docx(text.capitalize()), "docx") is None
    assert found_in(marked_files.docx(f"Annex\t{text}"), "docx") is None
    assert found_in(marked_files.docx(header=f"Ministry of the Interior {text} page 2"), "docx") is None


def numbered_pages(count, *, marked):
    """A PDF of `count` pages, each saying its number, "EU SECRET" alone on a line of page `marked`."""
    from weasyprint import HTML

    pages = [f"<p style='break-before: page'>Page {n}.</p>" + ("<p>EU SECRET</p>" if n == marked else "")
             for n in range(1, count + 1)]
    return HTML(string="".join(pages)).write_pdf()


def test_the_first_and_last_pages_of_a_long_pdf_are_read_and_not_its_middle():
    assert found_in(numbered_pages(60, marked=60), "pdf").where == "page 60"
    assert found_in(numbered_pages(60, marked=20), "pdf").where == "page 20"
    assert found_in(numbered_pages(60, marked=30), "pdf") is None  # bounded: the first 20 pages and the last 5


def test_a_docx_of_many_large_header_parts_is_read_within_a_bound_for_the_whole_file():
    empty_runs = "<w:r/>" * 40_000
    headers = {f"word/header{n}.xml": f'<w:hdr xmlns:w="{marked_files.W}"><w:p>{empty_runs}</w:p></w:hdr>'
               for n in range(2, 12)}
    content = marked_files.docx("EU SECRET", extra_parts=headers)
    started = time.monotonic()
    assert found_in(content, "docx") is None  # ten parts of 40,000 elements spend the file's 200,000 first
    assert time.monotonic() - started < 10
    assert found_in(marked_files.docx("EU SECRET", extra_parts=dict(list(headers.items())[:2])), "docx").marking \
        == "EU SECRET"


def test_a_marked_workbook_is_refused_beside_the_field_and_applies_nothing(client, draft, reporter_at):
    helpers.fill(draft)
    client.force_login(reporter_at)
    workbook = download(client, draft)
    workbook["Scope and method"]["B6"] = "A valid change that must not be applied."
    workbook["Scope and method"].oddHeader.center.text = "RESTREINT UE/EU RESTRICTED"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(reverse("assessments:workbook_upload", args=[draft.pk]),
                           {"workbook": SimpleUploadedFile("filled.xlsx", buffer.getvalue())})
    assert response.status_code == 400
    [error] = response.context["form"].errors["workbook"]
    assert "“filled.xlsx” carries the classification marking “RESTREINT UE” (the header of sheet “Scope and " \
           "method”)." in error and WHY in error
    assert ScopeAnswer.objects.get(assessment=draft, version=None).summary == "Risks are highest in the core network."


def test_the_api_refuses_a_marked_attachment_with_a_problem_naming_the_field(draft):
    lead = factories.user(Role.LEAD_REPORTER, "AT")
    response = ApiClient(token_for(lead)).upload(f"/api/v1/assessments/{draft.pk}/attachments/", "method.docx",
                                                  marked_files.docx("EU RESTRICTED"))
    assert response.status_code == 400
    body = response.json()
    assert body["type"].endswith(":invalid") and list(body["errors"]) == ["file"]
    assert "carries the classification marking “EU RESTRICTED” (the body)" in body["errors"]["file"][0]
    assert WHERE_INSTEAD in body["errors"]["file"][0]
    assert not Attachment.objects.exists()


def test_the_upload_pages_say_so_before_anyone_uploads(client, draft, reporter_at):
    client.force_login(reporter_at)
    for url in (reverse("assessments:attachments", args=[draft.pk]),
                reverse("assessments:workbook_upload", args=[draft.pk])):
        page = client.get(url).content.decode()
        assert "Never EU classified information (RESTREINT UE/EU RESTRICTED or above, or a national equivalent): " \
               "the portal is not accredited for it" in page
