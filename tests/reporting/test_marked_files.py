"""Handling markings in what leaves the portal (docs/markings.md): every PDF page's header and footer, the first row
of a CSV and of every sheet, the subject and first line of an e-mail about marked content; and the capped export,
which leaves out what is marked above its cap and says so."""

import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import AssessmentVersion, NationalAssessment, Section
from portal.markings import Marking
from portal.models import MemberState, Role, User
from portal.services import team
from reporting import services
from reporting.exports import jobs
from reporting.models import CoordinatedReview, Export
from tests import factories
from tests.api.helpers import ApiClient, token_for
from tests.reporting.exporting import (
    ask,
    body,
    csv_rows,
    labelled_workbook,
    made_here,
    pdf_label,
    pdf_labels,
    pdf_text,
    sheet_labels,
    workbook,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(db):
    return factories.user(Role.REVIEWER, username="nina-named")


@pytest.fixture
def marked(four, named):
    """The four member states' versions marked: AT green, BE clear, DE amber, FR red for `named` alone."""
    for code, marking in [("AT", Marking.GREEN), ("BE", Marking.CLEAR), ("DE", Marking.AMBER), ("FR", Marking.RED)]:
        AssessmentVersion.objects.filter(assessment__cycle=four, assessment__member_state__eu_code=code).update(
            marking=marking)
    AssessmentVersion.objects.get(assessment__cycle=four, assessment__member_state__eu_code="FR").shared_with.add(
        named)
    return four


@pytest.fixture
def review(marked):
    review, _created = services.review_request(cycle=marked)
    services.review_build(review_id=review.pk)
    return CoordinatedReview.objects.get(pk=review.pk)


def version_of(cycle, code):
    return AssessmentVersion.objects.get(assessment__cycle=cycle, assessment__member_state__eu_code=code)


def compare_choices(cycle, *codes, section="scope"):
    return {"member_states": [MemberState.objects.get(eu_code=code).pk for code in codes], "section": section}


# Every PDF: the label in the header and the footer of every page, right-aligned, 12 pt.

def test_every_page_of_every_pdf_carries_its_marking_in_header_and_footer(client, review, reviewer, named,
                                                                       export_root):
    client.force_login(reviewer)
    review_pdf = made_here(client, reverse("reporting:review_export", args=[review.pk, "pdf"]))
    assert pdf_label(review_pdf) == "TLP:AMBER"  # DE's, the strictest the review counts
    comparison = made_here(client, reverse("reporting:comparison_export", args=[review.cycle.pk]),
                           {**compare_choices(review.cycle, "AT", "BE"), "format": "pdf"})
    assert pdf_label(comparison) == "TLP:AMBER"  # its EU column reads every version counted, DE's too
    austria = version_of(review.cycle, "AT")
    for name in ("version_document_pdf", "receipt_pdf"):
        pdf = client.get(reverse(f"assessments:{name}", args=[austria.assessment_id, austria.number]))
        assert pdf_label(pdf) == "TLP:GREEN", name
    client.force_login(named)
    france = version_of(review.cycle, "FR")
    assert pdf_label(client.get(reverse("assessments:version_document_pdf",
                                        args=[france.assessment_id, france.number]))) == "TLP:RED"
    lead = factories.user(Role.LEAD_REPORTER, "IT")
    draft = assessment_services.assessment_start(cycle=review.cycle, member_state=lead.member_state, user=lead)
    NationalAssessment.objects.filter(pk=draft.pk).update(marking=Marking.AMBER)
    client.force_login(lead)
    assert pdf_label(client.get(reverse("assessments:draft_document_pdf", args=[draft.pk]))) == "TLP:AMBER"


def test_a_long_pdf_carries_it_on_every_page(client, review, reviewer, export_root):
    client.force_login(reviewer)
    austria = version_of(review.cycle, "AT")
    pdf = body(client.get(reverse("assessments:version_document_pdf", args=[austria.assessment_id, austria.number])))
    assert len(pdf_labels(pdf)) > 3 and pdf_label(pdf) == "TLP:GREEN"


# Every CSV and every sheet: the label first.

def test_every_csv_starts_with_its_label(client, review, reviewer, named):
    client.force_login(reviewer)
    for key in ("measure_notes", "provenance", "completeness"):
        rows = csv_rows(client.get(reverse("reporting:review_csv", args=[review.pk, key])))
        assert rows[0] == ["TLP:AMBER"], key
    rows = csv_rows(client.get(reverse("reporting:phase_out_csv", args=[review.cycle.pk])))
    assert rows[0] == ["TLP:AMBER"]  # the versions it counts: FR's TLP:RED is withheld


def test_every_sheet_of_every_workbook_starts_with_its_label_in_its_colour_on_black(client, review, reviewer,
                                                                                   export_root):
    client.force_login(reviewer)
    books = [labelled_workbook(made_here(client, reverse("reporting:review_export", args=[review.pk, "xlsx"]))),
             labelled_workbook(made_here(client, reverse("reporting:comparison_export", args=[review.cycle.pk]),
                                         {**compare_choices(review.cycle, "AT", "DE"), "format": "xlsx"}))]
    for book in books:
        assert len(book.worksheets) > 1
        assert set(map(tuple, sheet_labels(book).values())) == {("TLP:AMBER",)}, sheet_labels(book)
        for sheet in book.worksheets:
            cell = sheet["A1"]
            assert cell.font.color.rgb.endswith("FFC000") and cell.fill.fgColor.rgb.endswith("000000"), sheet.title
            assert cell.font.b and cell.font.sz >= 12
    # The table below the label is as before: its header on the second row.
    assert [cell.value for cell in workbook(books[1]).worksheets[0][1]][2:4] == ["Germany", "Austria"]


def test_the_workbook_to_fill_in_carries_the_drafts_marking_and_is_read_back_as_before(client, marked):
    lead = factories.user(Role.LEAD_REPORTER, "IT")
    draft = assessment_services.assessment_start(cycle=marked, member_state=lead.member_state, user=lead)
    NationalAssessment.objects.filter(pk=draft.pk).update(marking=Marking.RED)
    client.force_login(lead)
    book = labelled_workbook(client.get(reverse("assessments:workbook", args=[draft.pk])))
    visible = [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"]
    assert visible
    for sheet in visible:
        first = [cell for cell in sheet[1] if cell.value is not None]
        assert first[-1].value == "TLP:RED" and first[-1].font.color.rgb.endswith("FF2B2B"), sheet.title
        assert [cell.value for cell in first[:-1]] and "TLP:RED" not in [cell.value for cell in first[:-1]]


def test_the_api_says_the_marking_of_an_export_once_made(review, reviewer, export_root):
    api = ApiClient(token_for(reviewer))
    asked = api.post(f"/api/v1/reviews/{review.pk}/exports/", {"format": "xlsx", "cap": "TLP:GREEN"})
    assert asked.status_code == 201 and asked.json()["cap"] == "TLP:GREEN" and asked.json()["marking"] is None
    jobs.export_build(export_id=asked.json()["id"])
    made = api.get(f"/api/v1/exports/{asked.json()['id']}/").json()
    assert made["status"] == "done" and made["marking"] == "TLP:GREEN"


# E-mail about marked content: the label in the subject and as the first line.

def test_a_clarification_mail_carries_its_versions_marking_and_a_mail_about_none_does_not(review, reviewer):
    germany = version_of(review.cycle, "DE")
    lead = User.objects.get(authority__member_state__eu_code="DE", groups__name=Role.LEAD_REPORTER)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assessment_services.assessment_return(assessment=germany.assessment, user=reviewer,
                                              points=[(Section.SCOPE, "", "Which operators did you consult?")])
    sent = mail.outbox[-1]
    assert sent.to == [lead.email]
    assert sent.subject.startswith("[TLP:AMBER] Germany: 1 question")
    assert sent.body.splitlines()[0] == "TLP:AMBER"
    html = sent.alternatives[0][0]
    assert re.search(r'<body[^>]*><p style="background: #000; color: #FFC000;[^"]*">TLP:AMBER</p>', html)
    point = germany.assessment.clarifications.get()
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assessment_services.clarification_answer(point=point, user=lead, text="Three of them.")
    answered = mail.outbox[-1]
    assert answered.to == [reviewer.email] and answered.subject.startswith("[TLP:AMBER] Germany answered")
    assert answered.body.splitlines()[0] == "TLP:AMBER" and "Three of them." in answered.body
    # A welcome to a new colleague concerns nothing marked: as it was.
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        team.reporter_add(authority=lead.authority, by=lead, email="new.colleague@example.eu")
    assert len(mail.outbox) == 1 and "TLP:" not in mail.outbox[0].subject + mail.outbox[0].body


# The capped export: what is marked above the cap is left out, and the file says so.

def test_a_capped_comparison_leaves_out_the_member_states_above_the_cap_and_names_them(client, review, reviewer,
                                                                                     export_root):
    client.force_login(reviewer)
    url = reverse("reporting:comparison_export", args=[review.cycle.pk])
    choices = compare_choices(review.cycle, "AT", "BE", "DE")
    capped = labelled_workbook(made_here(client, url, {**choices, "format": "xlsx", "cap": "TLP:GREEN"}))
    assert set(map(tuple, sheet_labels(capped).values())) == {("TLP:GREEN",)}
    book = workbook(capped)
    header = [cell.value for cell in book.worksheets[0][1]]
    assert header == ["Question", "Field", "Belgium", "Austria", "EU"]  # Germany's TLP:AMBER answers left out
    said = [row[0].value for row in book["Left out"].iter_rows()]
    assert said == ["Left out above TLP:GREEN: Germany (TLP:AMBER). The EU column counts only the versions marked "
                    "at most TLP:GREEN."]
    export = Export.objects.get(cap="TLP:GREEN")
    assert export.marking == "TLP:GREEN"
    pdf = body(made_here(client, url, {**choices, "format": "pdf", "cap": "TLP:CLEAR"}))
    assert pdf_label(pdf) == "TLP:CLEAR"
    text = " ".join(pdf_text(pdf).split())
    assert "Left out above TLP:CLEAR: Germany (TLP:AMBER); Austria (TLP:GREEN)." in text
    assert "Austria" not in text.replace("(TLP:AMBER); Austria (TLP:GREEN)", "") and "Belgium" in text
    # A cap at or above what the file holds leaves out nothing.
    uncapped = workbook(made_here(client, url, {**choices, "format": "xlsx", "cap": "TLP:RED"}))
    assert [c.value for c in uncapped.worksheets[0][1]][2:5] == ["Belgium", "Germany", "Austria"]
    assert "Left out" not in uncapped.sheetnames


def test_a_capped_review_leaves_out_what_makes_it_stricter_and_says_so(client, review, reviewer, export_root):
    client.force_login(reviewer)
    url = reverse("reporting:review_export", args=[review.pk, "xlsx"])
    full = workbook(made_here(client, url))
    capped_raw = labelled_workbook(made_here(client, url, {"cap": "TLP:GREEN"}))
    assert set(map(tuple, sheet_labels(capped_raw).values())) == {("TLP:GREEN",)}
    capped = workbook(capped_raw)
    assert capped.sheetnames[0] == "Left out"
    assert capped["Left out"]["A1"].value.startswith("Left out above TLP:GREEN: Germany (TLP:AMBER).")

    def codes(book, title):
        return sorted({row[0] for row in book[title].iter_rows(min_row=2, values_only=True) if row[0]})

    assert codes(full, "Provenance") == ["AT", "BE", "DE"] and codes(capped, "Provenance") == ["AT", "BE"]

    def germany(book):
        return [sheet.title for sheet in book.worksheets if sheet.title != "Left out"
                for row in sheet.iter_rows(values_only=True) if {"DE", "Germany"} & set(row)]

    # Germany's rows are in the full file (its listings, its note), nowhere in the capped one but where it is named.
    assert "Notes on measures" in germany(full) and germany(capped) == []
    # The EU figures are kept as a publication shows them: the aggregates, no per-member-state table.
    assert set(capped.sheetnames) < set(full.sheetnames) | {"Left out"}
    pdf = made_here(client, reverse("reporting:review_export", args=[review.pk, "pdf"]), {"cap": "TLP:GREEN"})
    assert pdf_label(pdf) == "TLP:GREEN"


def test_the_cap_is_offered_to_reviewers_and_a_bad_one_is_refused_with_a_message(client, review, reviewer,
                                                                               export_root):
    client.force_login(reviewer)
    page = client.get(reverse("reporting:review", args=[review.pk])).content.decode()
    assert 'name="cap"' in page and '<option value="TLP:GREEN">Up to TLP:GREEN</option>' in page
    refused = client.post(reverse("reporting:review_export", args=[review.pk, "xlsx"]), {"cap": "TLP:BLUE"},
                          follow=True)
    assert refused.status_code == 200 and "Choose a marking to export up to" in refused.content.decode()
    assert not Export.objects.exists()
    refused = client.post(reverse("reporting:comparison_export", args=[review.cycle.pk]),
                          {**compare_choices(review.cycle, "AT", "BE"), "format": "xlsx", "cap": "TLP:BLUE"})
    assert refused.status_code == 302 and not Export.objects.exists()
    export, _answer = ask(client, reverse("reporting:review_export", args=[review.pk, "xlsx"]), {"cap": "TLP:AMBER"})
    assert export.cap == "TLP:AMBER"
    # The database holds the rule too: a cap is one of the labels, and only on a reviewers' export.
    with transaction.atomic(), pytest.raises(IntegrityError):
        Export.objects.filter(pk=export.pk).update(cap="TLP:BLUE")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Export.objects.filter(pk=export.pk).update(audience="public")
