"""An assessment as one document: the draft for its member state's sign-off, a version for all its readers.

Every catalogue item the questionnaire asks appears by its title and every answer by its label, on the page and in
the PDF's text; no code or field name does. A draft says on every page that it was not submitted.
"""

import datetime
import html
import io
import re

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from assessments import services
from assessments.models import (
    Attachment,
    MeasureStatus,
    RefusalReason,
    ScenarioRating,
    Section,
    SectionState,
    Supplier,
    SupplierPresence,
    UnsavedInput,
)
from portal.models import BRUSSELS
from tests.assessments import helpers

pytestmark = pytest.mark.django_db

DRAFT_MARK = "DRAFT: not submitted"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# Codes and field names a reader must never meet: catalogue codes, choice values, model fields.
# (The labels are taken out of the text first: "Local or global outage of 5G networks" holds the word "outage".)
RAW = ["organised-crime", "individual-hacker", "cyber-terrorist", "hacktivist", "outage", "espionage",
       "modification", "destruction", "interconnection", "virtualisation", "share_access", "share_core",
       "share_transport", "share_management", "risk_profile", "in_preparation", "not_started", "not_applicable",
       "target_date", "method_detail", "iso27005", "criterion_", "increasing", "decreasing", "partly"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def full(cycle, lead_at, reporter_at):
    """A complete draft whose answers use every kind of value: several suppliers, dated and noted measures."""
    draft = helpers.fill(helpers.start(cycle, lead_at))
    rows = {"assessment": draft, "version__isnull": True}
    ScenarioRating.objects.filter(**rows, scenario__code="R5").update(
        likelihood=4, impact=5, level="critical", trend="increasing", justification="State actors target 5G.")
    ScenarioRating.objects.filter(**rows, scenario__code="R9").update(trend="decreasing")
    MeasureStatus.objects.filter(**rows, measure__code="SM03").update(
        status="in_preparation", target_date=datetime.date(2020, 4, 30), note="Draft law in parliament.")
    MeasureStatus.objects.filter(**rows, measure__code="SM05").update(status="not_started")
    MeasureStatus.objects.filter(**rows, measure__code="TM10").update(status="not_applicable")
    criteria = {c.code: answer for c, answer in zip(cycle.questionnaire.asked_criteria,
                                                    ["yes", "partly", "no", "unknown", "yes"], strict=False)}
    SupplierPresence.objects.create(
        assessment=draft, supplier=Supplier.objects.get(name="Huawei"), share_core=20.5, share_access=35,
        share_transport=10, share_management=15, criteria=criteria, risk_profile="high",
        justification="Subject to third-country law.")
    services.attachment_add(assessment=draft, user=reporter_at, upload=_pdf("national-method.pdf"))
    return draft


def _pdf(name):
    upload = SimpleUploadedFile(name, PDF)
    upload.detected_type = "application/pdf"
    return upload


def catalogue_labels(questionnaire):
    """Every catalogue item the questionnaire asks, as the document must name it."""
    return ([a.title for a in questionnaire.threat_actors.all()] + [t.title for t in questionnaire.threats.all()]
            + [a.title for a in questionnaire.asset_classes.all()]
            + [f"{s.code} {s.title}" for s in questionnaire.scenarios.all()]
            + [f"{m.code} {m.title}" for m in questionnaire.measures.all()]
            + [f"{c.code}: {c.title}" for c in questionnaire.criteria.all()])


ANSWER_LABELS = ["Critical", "Low", "Increasing", "Decreasing", "Stable", "In preparation", "Not started",
                 "Not applicable", "Adopted", "30 April 2020", "Draft law in parliament.", "ISO/IEC 27005",
                 "4 – high", "3 – medium", "Medium", "Partly", "Unknown", "Yes", "No", "High", "20.5", "Huawei",
                 "Ericsson", "Other or unknown", "Core network share (%)", "Access/RAN share (%)",
                 "Transport share (%)", "Management and orchestration share (%)", "Federal Chancellery",
                 "national-method.pdf", "State actors target 5G."]


def words(text):
    """Text with its whitespace folded: a label wrapped over two lines of a PDF is still the label."""
    return " ".join(text.split())


def squeezed(text):
    """Text without whitespace: a PDF wraps "NFV/SDN" after its slash, which its text then spells "NFV/ SDN"."""
    return "".join(text.split())


def pdf_pages(response):
    assert response["Content-Type"] == "application/pdf"
    return [words(page.extract_text()) for page in PdfReader(io.BytesIO(response.content)).pages]


def html_text(response):
    assert response.status_code == 200
    body = response.content.decode()
    return words(html.unescape(re.sub(r"<[^>]+>", " ", body.split("<main", 1)[-1]))), body


def assert_reads_as_a_person_would(text, questionnaire):
    missing = [label for label in catalogue_labels(questionnaire) + ANSWER_LABELS
               if squeezed(label) not in squeezed(text)]
    assert missing == []
    text = words(text)
    for label in sorted(catalogue_labels(questionnaire), key=len, reverse=True):
        text = re.sub(r"\s*".join(re.escape(part) for part in squeezed(label)), " ", text)
    raw = [code for code in RAW if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)]
    assert raw == []


def test_the_draft_document_names_everything_by_its_label_and_says_it_is_not_submitted(client, full, reporter_at):
    client.force_login(reporter_at)
    text, _html = html_text(client.get(reverse("assessments:draft_document", args=[full.pk])))
    assert_reads_as_a_person_would(text, full.cycle.questionnaire)
    assert DRAFT_MARK in text
    for section in full.cycle.questionnaire.sections:
        assert words(f"{section.label}") in text
    attachment = Attachment.objects.get(assessment=full)
    assert attachment.sha256 in text and "69 bytes" in text


def test_the_draft_pdf_has_the_mark_on_every_page_and_a_table_of_contents(client, full, reporter_at):
    client.force_login(reporter_at)
    response = client.get(reverse("assessments:draft_document_pdf", args=[full.pk]))
    assert 'filename="assessment-AT-2019-draft.pdf"' in response["Content-Disposition"]
    pages = pdf_pages(response)
    assert len(pages) > len(full.cycle.questionnaire.sections)  # a title page, then a page at least per section
    for number, page in enumerate(pages, start=1):
        assert DRAFT_MARK in page, number
        assert "Austria" in page and f"{number} / {len(pages)}" in page, number
    text = " ".join(pages)
    assert_reads_as_a_person_would(text, full.cycle.questionnaire)
    # The table of contents gives each section's page: "3. Key assets ....... 5".
    for section in full.cycle.questionnaire.sections:
        assert re.search(rf"{re.escape(str(section.label))} ?\.+ ?\d+", pages[0] + " " + pages[1]), section


def test_a_colleagues_unsaved_input_is_flagged_as_not_part_of_the_draft(client, full, reporter_at, lead_at):
    state = SectionState.objects.get(assessment=full, section=Section.SCENARIOS)
    UnsavedInput.objects.create(section_state=state, user=reporter_at, data={"scenarios.R4.likelihood": "9"},
                                base_revision=state.revision, reason=RefusalReason.INVALID)
    client.force_login(lead_at)
    text, _html = html_text(client.get(reverse("assessments:draft_document", args=[full.pk])))
    expected = (f"{reporter_at.display_name} has input in “Risk scenarios” that is not saved, kept because it needs "
                "corrections: it is not part of this draft.")
    assert expected in text
    pdf = " ".join(pdf_pages(client.get(reverse("assessments:draft_document_pdf", args=[full.pk]))))
    assert expected in pdf
    assert "scenarios.R4" not in text and "scenarios.R4" not in pdf


def test_the_version_document_names_everything_by_its_label_without_the_draft_mark(client, full, lead_at, reviewer):
    version = services.assessment_submit(certify=True, assessment=full, user=lead_at)
    client.force_login(reviewer)
    text, _html = html_text(client.get(reverse("assessments:version_document", args=[full.pk, 1])))
    assert_reads_as_a_person_would(text, full.cycle.questionnaire)
    assert DRAFT_MARK not in text and version.sha256 in text
    pages = pdf_pages(client.get(reverse("assessments:version_document_pdf", args=[full.pk, 1])))
    for number, page in enumerate(pages, start=1):
        assert DRAFT_MARK not in page
        # The header and footer: member state, version, hash, submission time in Brussels, page number.
        assert "Austria" in page and "Version 1" in page and version.sha256 in page, number
        assert f"{number} / {len(pages)}" in page
    assert_reads_as_a_person_would(" ".join(pages), full.cycle.questionnaire)


def test_the_version_document_shows_the_submission_time_in_brussels(client, cycle, submit, lead_at):
    at = datetime.datetime(2019, 7, 15, 23, 30, tzinfo=BRUSSELS)  # 21:30 UTC: the day differs nowhere, the hour does
    version = submit(cycle, "AT", at, lead=lead_at)
    client.force_login(lead_at)
    text, _html = html_text(client.get(reverse("assessments:version_document", args=[version.assessment_id, 1])))
    assert "15 July 2019, 23:30:00" in text
    pdf = " ".join(pdf_pages(client.get(reverse("assessments:version_document_pdf",
                                                args=[version.assessment_id, 1]))))
    assert "Submitted 15 July 2019, 23:30:00 (Brussels time)" in pdf


def test_the_version_page_shows_labels_not_codes(client, full, lead_at, reviewer):
    services.assessment_submit(certify=True, assessment=full, user=lead_at)
    client.force_login(reviewer)
    text, page = html_text(client.get(reverse("assessments:version", args=[full.pk, 1])))
    # The answers, up to the history (the clarification points below name their questions their own way).
    answers = text[text.index("Answers"):text.index("History")]
    assert_reads_as_a_person_would(answers, full.cycle.questionnaire)
    # A reviewer still asks about a question by its key (the links carry it, the reader does not see it).
    assert "?question=threats|organised-crime#ask" in page


def test_the_receipt_lists_each_attachments_checksum(client, full, lead_at):
    services.assessment_submit(certify=True, assessment=full, user=lead_at)
    attachment = Attachment.objects.get(assessment=full)
    client.force_login(lead_at)
    text, _html = html_text(client.get(reverse("assessments:receipt", args=[full.pk, 1])))
    assert f"national-method.pdf 69 bytes {attachment.sha256}" in text
    pdf = " ".join(pdf_pages(client.get(reverse("assessments:receipt_pdf", args=[full.pk, 1]))))
    assert "national-method.pdf" in pdf and attachment.sha256 in pdf.replace(" ", "")


def test_a_file_is_handed_out_for_a_get_only_a_post_makes_nothing(client, full, lead_at):
    """A POST to a download (a form pointed at it, a crawler) answers 405 before rendering anything: no PDF or
    workbook is made and the audit trail records no download."""
    services.assessment_submit(certify=True, assessment=full, user=lead_at)
    client.force_login(lead_at)
    downloads = LogEntry.objects.filter(additional_data__event="downloaded")
    urls = [reverse("assessments:draft_document_pdf", args=[full.pk]), reverse("assessments:workbook", args=[full.pk]),
            reverse("assessments:version_document_pdf", args=[full.pk, 1]),
            reverse("assessments:receipt_pdf", args=[full.pk, 1])]
    for url in urls:
        response = client.post(url)
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD", url
    assert downloads.count() == 0
    assert client.get(urls[-1])["Content-Type"] == "application/pdf" and downloads.count() == 1


def test_the_overview_and_the_version_page_link_to_the_document(client, full, lead_at):
    client.force_login(lead_at)
    overview = client.get(reverse("assessments:overview", args=[full.pk])).content.decode()
    assert reverse("assessments:draft_document", args=[full.pk]) in overview
    assert reverse("assessments:draft_document_pdf", args=[full.pk]) in overview
    services.assessment_submit(certify=True, assessment=full, user=lead_at)
    page = client.get(reverse("assessments:version", args=[full.pk, 1])).content.decode()
    assert reverse("assessments:version_document", args=[full.pk, 1]) in page
    assert reverse("assessments:version_document_pdf", args=[full.pk, 1]) in page


@pytest.mark.parametrize("name", ["draft_document", "draft_document_pdf"])
def test_only_its_member_states_staff_and_admins_see_a_draft_document(client, full, name, reporter_at, reporter_fr,
                                                                     reviewer, admin_user):
    url = reverse(f"assessments:{name}", args=[full.pk])
    for persona, status in [(reporter_at, 200), (reporter_fr, 404), (reviewer, 404), (admin_user, 200)]:
        client.force_login(persona)
        assert client.get(url).status_code == status, persona


@pytest.mark.parametrize("name", ["version_document", "version_document_pdf"])
def test_a_version_document_is_for_the_versions_readers(client, full, lead_at, name, reporter_at, reporter_fr,
                                                        reviewer, admin_user):
    services.assessment_submit(certify=True, assessment=full, user=lead_at)
    url = reverse(f"assessments:{name}", args=[full.pk, 1])
    for persona, status in [(reporter_at, 200), (reporter_fr, 404), (reviewer, 200), (admin_user, 200)]:
        client.force_login(persona)
        assert client.get(url).status_code == status, persona
    assert client.get(reverse(f"assessments:{name}", args=[full.pk, 2])).status_code == 404


def test_the_version_document_reads_as_many_queries_for_one_supplier_as_for_many(client, full, lead_at, reviewer,
                                                                                  same_queries):
    version = services.assessment_submit(certify=True, assessment=full, user=lead_at)
    client.force_login(reviewer)
    url = reverse("assessments:version_document", args=[full.pk, 1])

    def more_suppliers():
        # Rows of the version itself, as submitting would have copied them (the query count is what is measured).
        for supplier in Supplier.objects.exclude(name__in=["Huawei", "Ericsson"]):
            SupplierPresence.objects.create(assessment=full, version=version, supplier=supplier, share_access=1,
                                            criteria={"RP1": "yes"}, risk_profile="low")

    same_queries(lambda: client.get(url), more_suppliers)
    assert "Samsung" in client.get(url).content.decode()


def test_a_version_whose_rows_were_altered_after_submission_says_so_wherever_it_is_shown(client, full, lead_at):
    services.assessment_submit(certify=True, assessment=full, user=lead_at)
    ScenarioRating.objects.filter(assessment=full, version__number=1, scenario__code="R1").update(likelihood=5)
    client.force_login(lead_at)
    warning = "This version's stored answers differ from those submitted"
    for name in ("version_document", "version"):
        text, _page = html_text(client.get(reverse(f"assessments:{name}", args=[full.pk, 1])))
        assert warning in text, name
    pdf = " ".join(pdf_pages(client.get(reverse("assessments:version_document_pdf", args=[full.pk, 1]))))
    assert warning in pdf
