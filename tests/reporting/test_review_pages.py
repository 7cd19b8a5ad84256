import datetime

import pytest
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import Questionnaire, SupplierPresence
from reporting import listings, publishing, services
from reporting.exports.content import neutralise
from reporting.models import CoordinatedReview, ReviewStatus
from reporting.tables import aggregate_tables
from tests import factories
from tests.assessments import helpers
from tests.pages import publish, review_table
from tests.reporting.exporting import body, csv_parts, made_here, pdf_text, workbook

pytestmark = pytest.mark.django_db


def test_the_review_page_shows_the_eu_figures_and_leads_to_each_member_states_listings(client, reviewer, review):
    client.force_login(reviewer)
    page = client.get(reverse("reporting:review", args=[review.pk])).content.decode()
    assert page.count("<svg") >= 3 and 'role="img"' in page
    for text in ("Risk scenarios", "Toolbox measures", "Supplier shares", "Completeness"):
        assert text in page, text
    listings_url = reverse("reporting:review_member_states", args=[review.pk])
    assert listings_url in page
    page = client.get(listings_url).content.decode()
    for text in ("Risk levels by member state and scenario", "Risk levels by member state", "Supplier concentration",
                 "Measures by member state", "Notes on measures", "Consistency flags", "Provenance",
                 *[item.sha256 for item in review.provenance.all()]):
        assert text in page, text


def test_the_member_states_listings_come_a_page_at_a_time(client, reviewer, review, monkeypatch):
    monkeypatch.setattr(listings, "PER_PAGE", 3)
    client.force_login(reviewer)
    url = reverse("reporting:review_member_states", args=[review.pk])
    first, second = client.get(url).content.decode(), client.get(url + "?page=2").content.decode()
    sha = {item.member_state_code: item.sha256 for item in review.provenance.all()}
    assert "Page 1 of 2" in first and "member states 1 to 3 of 4" in first
    assert all(sha[code] in first for code in ("AT", "BE", "DE")) and sha["FR"] not in first
    assert sha["FR"] in second and "France" in second and "Austria" not in second
    assert "Consistency flags" in second and "SM03" in second  # FR's flag is on FR's page


def test_the_xlsx_export_holds_every_table_and_neutralises_formulas(client, reviewer, review, export_root):
    client.force_login(reviewer)
    book = workbook(made_here(client, reverse("reporting:review_export", args=[review.pk, "xlsx"])))
    listed = {"Risk levels by member state", "Supplier concentration", "Measures by member state", "Notes on measures",
              "Consistency flags"}
    assert set(book.sheetnames) == {t.sheet for t in aggregate_tables(review.results)} | listed | {
        "Provenance", "Method"}
    notes = book["Notes on measures"]
    cell = next(row[4] for row in notes.iter_rows(min_row=2) if row[0].value == "DE")
    assert cell.value == '\'=HYPERLINK("http://evil.example","click")' and cell.data_type == "s"
    assert [c.value for c in book["Provenance"][1]] == ["Member state", "Version", "SHA-256"]
    assert book["Provenance"].max_row == 5


def test_exports_read_the_member_states_listings_a_page_at_a_time_and_miss_none(client, reviewer, review,
                                                                               export_root, monkeypatch):
    """Three member states a page for four: the XLSX and the CSV hold every member state once, in code order."""
    monkeypatch.setattr(listings, "EXPORT_PER_PAGE", 3)
    client.force_login(reviewer)
    book = workbook(made_here(client, reverse("reporting:review_export", args=[review.pk, "xlsx"])))
    names = [row[0].value for row in book["Measures by member state"].iter_rows(min_row=2)]
    assert names == ["Austria", "Belgium", "Germany", "France"]
    assert [row[0].value for row in book["Risk levels by member state"].iter_rows(min_row=2)] == names
    _about, rows = csv_parts(client.get(reverse("reporting:review_csv", args=[review.pk, "toolbox_matrix"])))
    assert [row[0] for row in rows][1:] == names


def test_the_csv_export_quotes_every_cell_and_neutralises_formulas(client, reviewer, review):
    client.force_login(reviewer)
    response = client.get(reverse("reporting:review_csv", args=[review.pk, "measure_notes"]))
    assert response.streaming and response["Cache-Control"] == "no-store"
    content = body(response)
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM lets spreadsheets read the accents
    text = content.decode("utf-8-sig")
    about, rows = csv_parts(content)
    assert rows[0] == ["Member state", "Measure", "Status", "Target date", "Note"]
    assert rows[1][4].startswith("'=HYPERLINK(")
    assert text.splitlines()[0] == '"TLP:AMBER+STRICT"'  # the file's label first: the versions' default
    assert text.splitlines()[1 + len(about)] == '"Member state","Measure","Status","Target date","Note"'
    assert client.get(reverse("reporting:review_csv", args=[review.pk, "nonsense"])).status_code == 404


def test_the_pdf_export_is_produced(client, reviewer, review, export_root):
    client.force_login(reviewer)
    response = made_here(client, reverse("reporting:review_export", args=[review.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf" and body(response).startswith(b"%PDF")


def test_authority_staff_see_a_published_review_aggregates_only_and_404_before(client, reviewer, reporter_at, review,
                                                                              settings, export_root):
    settings.REVIEW_MIN_GROUP_SIZE = 3  # the four member states of the review are enough
    url = reverse("reporting:review", args=[review.pk])
    client.force_login(reporter_at)
    assert client.get(url).status_code == 404
    client.force_login(reviewer)
    publish(client, review)
    client.force_login(reporter_at)
    page = client.get(url).content.decode()
    assert "Risk scenarios" in page and "Toolbox measures" in page
    # No member state's own answers: no heat map, no matrix, no notes, no flags, no provenance.
    for hidden in ("Risk levels by member state", "Measures by member state", "Notes on measures",
                   "Consistency flags", "Supplier concentration", "Provenance", "evil.example", "Belgium"):
        assert hidden not in page, hidden
    # Its exports hold the same aggregates, and nothing more.
    book = workbook(made_here(client, reverse("reporting:review_export", args=[review.pk, "xlsx"])))
    assert "Risk scenarios" in book.sheetnames
    assert not {"Provenance", "Notes on measures", "Measures by member state"} & set(book.sheetnames)
    values = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)
    assert "evil.example" not in values and "Belgium" not in values
    assert client.get(reverse("reporting:review_csv", args=[review.pk, "scenarios"])).status_code == 200
    for key in ("provenance", "measure_notes", "heatmap"):
        assert client.get(reverse("reporting:review_csv", args=[review.pk, key])).status_code == 404, key
    assert body(made_here(client, reverse("reporting:review_export", args=[review.pk, "pdf"]))).startswith(b"%PDF")


def test_staff_of_a_member_state_outside_the_cycle_never_see_its_review(client, reviewer, review):
    outsider = factories.user("reporter", "PL")
    client.force_login(reviewer)
    publish(client, review)
    client.force_login(outsider)
    assert client.get(reverse("reporting:review", args=[review.pk])).status_code == 404


def test_requesting_a_review_twice_gives_one(client, reviewer, four):
    client.force_login(reviewer)
    first = client.post(reverse("reporting:reviews", args=[four.pk]))
    second = client.post(reverse("reporting:reviews", args=[four.pk]))
    assert first["Location"] == second["Location"]
    assert CoordinatedReview.objects.filter(cycle=four).count() == 4  # one per submission, the last one reused


def test_reviewer_pages_answer_404_to_authority_staff(client, reporter_at, review):
    client.force_login(reporter_at)
    for url in (reverse("reporting:reviews", args=[review.cycle.pk]),
                reverse("reporting:review_retry", args=[review.pk]),
                reverse("reporting:review_publish", args=[review.pk])):
        assert client.post(url).status_code == 404
    assert client.get(reverse("reporting:reviews", args=[review.cycle.pk])).status_code == 404


@pytest.mark.parametrize("page, language", [("reporting:review", "en"), ("reporting:review_member_states", "de")])
def test_the_review_pages_run_the_same_queries_whatever_the_number_of_member_states(
    client, reviewer, review, submit, same_queries, page, language
):
    """In any language: a German page reads the catalogue's and the member states' texts a table at a time."""
    from tests.assessments import helpers

    reviewer.language = language
    reviewer.save(update_fields=["language"])
    client.force_login(reviewer)
    shown = [review]

    def grow():
        bigger = helpers.cycle_with_questionnaire(title="Twelve")
        for code in ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "EL"]:
            submit(bigger, code, datetime.datetime(2019, 7, 1, tzinfo=datetime.UTC))
        big = CoordinatedReview.objects.filter(cycle=bigger).latest("pk")
        services.review_build(review_id=big.pk)
        assert CoordinatedReview.objects.get(pk=big.pk).status == ReviewStatus.DONE
        shown[0] = big

    same_queries(lambda: client.get(reverse(page, args=[shown[0].pk])), grow)


@pytest.mark.parametrize("note, safe", [
    ("x;=1+1", "x;'=1+1"), ("a, =SUM(A1)", "a, '=SUM(A1)"), ("tab\t@cmd", "tab\t'@cmd"), ("=1", "'=1"),
    ("fine; no formula", "fine; no formula"), ("-5 % decline", "'-5 % decline")])
def test_a_formula_is_neutralised_wherever_a_separator_could_start_a_cell(note, safe):
    """`x;=1+1` in a spreadsheet whose separator is `;` would be a formula in the second cell."""
    assert neutralise(note) == safe


def test_the_published_review_offers_authority_staff_exports_of_exactly_the_aggregates_it_shows(
        client, reviewer, reporter_at, review, settings, export_root):
    settings.REVIEW_MIN_GROUP_SIZE = 3
    publishing.review_publish(review=review, user=reviewer)
    client.force_login(reporter_at)
    page = client.get(reverse("reporting:review", args=[review.pk])).content.decode()
    assert "Download these aggregates, exactly as on this page:" in page
    for fmt in ("pdf", "xlsx"):
        assert f'action="{reverse("reporting:review_export", args=[review.pk, fmt])}"' in page
    # A CSV beside each table the page shows, and the workbook holds those tables, no other.
    shown = aggregate_tables(review.results, public=True)
    for table in shown:
        link = reverse("reporting:review_csv", args=[review.pk, table.key])
        assert link in page
        assert client.get(link).status_code == 200, table.key
    book = workbook(made_here(client, reverse("reporting:review_export", args=[review.pk, "xlsx"])))
    assert book.sheetnames == [table.sheet for table in shown] + ["Method"]
    # The reviewer's page of the same review says its exports hold more.
    client.force_login(reviewer)
    page = client.get(reverse("reporting:review", args=[review.pk])).content.decode()
    assert "with each member state's answers behind it" in page


def test_every_row_of_the_review_tables_is_named_by_its_row_header(client, reviewer, review):
    """A screen reader moving across "Measures by member state" (30 columns) hears which member state it is in."""
    import re

    client.force_login(reviewer)
    for url in (reverse("reporting:review", args=[review.pk]),
                reverse("reporting:review_member_states", args=[review.pk])):
        page = client.get(url).content.decode()
        rows = re.findall(r"<tbody>(.*?)</tbody>", page, flags=re.S)
        body_rows = [row for tbody in rows for row in re.findall(r"<tr>(.*?)</tr>", tbody, flags=re.S)
                     if "Nothing to show" not in row]
        assert len(body_rows) > 20
        assert all(row.lstrip().startswith('<th scope="row"') for row in body_rows), \
            [row[:80] for row in body_rows if not row.lstrip().startswith('<th scope="row"')][:3]


def test_every_csv_and_the_member_states_page_carry_the_method(client, reviewer, reporter_at, review, settings):
    """A table taken away on its own still says how its figures are computed and, for staff, why a cell is "–"."""
    settings.REVIEW_MIN_GROUP_SIZE = 3
    client.force_login(reviewer)
    for key in ("scenarios", "suppliers", "toolbox_matrix", "measure_notes", "provenance"):
        about, rows = csv_parts(client.get(reverse("reporting:review_csv", args=[review.pk, key])))
        text = " ".join(row[0] for row in about if row)
        assert all(row[0].startswith("# ") for row in about[:-1]) and about[-1] == [], key  # an empty row ends them
        assert "Rounding: means and percentages are rounded half up, once" in text, key
        assert "risk levels low = 1, medium = 2, high = 3, critical = 4" in text, key
        assert f"EU coordinated review {review.pk} of Four" in about[0][0], key
        assert rows[0][0] in ("Code", "Segment", "Member state"), key
    page = client.get(reverse("reporting:review_member_states", args=[review.pk])).content.decode()
    assert "How these figures are computed" in page and "Rounding: means and percentages" in page
    # Staff: each hidden cell of the table is named in its CSV, with the reason (the page's note, the same).
    publishing.review_publish(review=review, user=reviewer)
    client.force_login(reporter_at)
    about, rows = csv_parts(client.get(reverse("reporting:review_csv", args=[review.pk, "toolbox"])))
    sm03 = next(row for row in rows if row[0] == "SM03")
    assert sm03.count("–") >= 2
    note = about[-2][0]
    assert note.startswith("# “–”: not shown to member states' staff, because fewer than 3 member states")
    assert "SM03 (Not started, Planned, In preparation, Adopted, Applied)" in note


def test_the_scenarios_are_summed_up_by_their_distribution_and_each_mean_says_its_coding(client, reviewer, review):
    """R4 (see tests/reporting/test_aggregate.py): levels critical, low, high, low; likelihoods 5, 2, 4, 1."""
    client.force_login(reviewer)
    page = client.get(reverse("reporting:review", args=[review.pk])).content.decode()
    headers, rows = review_table(page, "scenarios")
    r4 = dict(zip(headers, next(row for row in rows if row[0] == "R4")))
    assert [r4[f"Level: {level}"] for level in ("Low", "Medium", "High", "Critical")] == ["2", "0", "1", "1"]
    assert (r4["Member states"], r4["High or critical"]) == ("4", "2")
    assert r4["Level median (lower middle)"] == "Low"  # 1 1 3 4: the lower of low and high
    assert r4["Level mean (low = 1, medium = 2, high = 3, critical = 4)"] == "2.25"
    assert [r4[f"Likelihood: {n}"] for n in "12345"] == ["1", "1", "0", "1", "1"]
    assert r4["Likelihood mean (scale 1 to 5)"] == "3.0"
    headers, _rows = review_table(page, "actors")
    assert "Capability mean (very low = 1 … very high = 5)" in headers and "Capability: 4 or 5" in headers
    assert "Their means are means of coded levels" in page  # and the method note says how
    assert "the lower of the two middle answers" in page
    # The chart's headline: how many of how many rated it high or critical.
    assert "R4 Dependency on any single supplier within individual networks or lack of diversity on nation-wide " \
           "basis: 2 of 4" in page


def test_a_cycle_that_asked_only_the_measures_shows_no_empty_tables_of_the_other_sections(
        client, reviewer, reporter_at, submit, export_root, settings):
    """As the 2020 cycle (portal/demo.py): the Toolbox's measures only; no scenarios, suppliers, actors or assets."""
    settings.REVIEW_MIN_GROUP_SIZE = 3
    cycle = helpers.cycle_with_questionnaire(title="2020", codes=["AT", "BE", "DE"])
    questionnaire = cycle.questionnaire
    Questionnaire.objects.filter(pk=questionnaire.pk).update(asks_scope=False, asks_suppliers=False)
    for catalogue in ("threat_actors", "threats", "asset_classes", "criteria", "scenarios"):
        getattr(questionnaire, catalogue).set([])
    for code in ("AT", "BE", "DE"):
        lead = factories.user("lead reporter", code)
        draft = helpers.fill(assessment_services.assessment_start(cycle=cycle, member_state=lead.member_state,
                                                                  user=lead))
        SupplierPresence.objects.filter(assessment=draft).delete()  # helpers.fill lists one whatever is asked
        submit(cycle, code, fill=False, lead=lead)
    review = CoordinatedReview.objects.filter(cycle=cycle).latest("pk")
    services.review_build(review_id=review.pk)
    review.refresh_from_db()
    assert review.results["sections"] == ["measures", "attachments"]
    publishing.review_publish(review=review, user=reviewer)
    unasked = ("Risk scenarios", "Threat actors", "Key assets", "Mean national share (%)", "Supplier segments",
               "Member states rating each scenario high or critical", "Risk levels by member state",
               "Supplier concentration", "Consistency flags", "Nothing to show")
    sheets = {reviewer: ["Toolbox measures", "Completeness", "Who is included", "Measures by member state",
                         "Notes on measures", "Provenance", "Method"],
              reporter_at: ["Toolbox measures", "Completeness", "Method"]}
    for user in (reviewer, reporter_at):
        client.force_login(user)
        page = client.get(reverse("reporting:review", args=[review.pk])).content.decode()
        assert "Toolbox measures" in page and "Completeness" in page
        assert not [text for text in unasked if text in page], user
        for key in ("scenarios", "actors", "assets", "suppliers", "segments", "heatmap", "concentration"):
            assert reverse("reporting:review_csv", args=[review.pk, key]) not in page
            assert client.get(reverse("reporting:review_csv", args=[review.pk, key])).status_code == 404, key
        book = workbook(made_here(client, reverse("reporting:review_export", args=[review.pk, "xlsx"])))
        assert book.sheetnames == sheets[user]
        pdf = pdf_text(made_here(client, reverse("reporting:review_export", args=[review.pk, "pdf"])))
        assert "Toolbox measures" in pdf and not [text for text in unasked if text in pdf], user
    client.force_login(reviewer)
    page = client.get(reverse("reporting:review_member_states", args=[review.pk])).content.decode()
    # (Notes on measures may be empty: nobody wrote one. That table is of a section the cycle asked.)
    assert "Measures by member state" in page and not [text for text in unasked[:-1] if text in page]
