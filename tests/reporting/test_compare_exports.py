"""The comparison's PDF and XLSX at the size reviewers use them: every member state of the Union, every question.

A reviewer prints the PDF: every chosen member state on some page, the question column readable on every page. The
XLSX has every member state a column and every question a row, its header row and question columns frozen.
"""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments import services
from assessments.models import MeasureStatus, Section
from reporting.compare import comparison
from reporting.exports.content import column_blocks
from tests import factories
from tests.assessments import helpers
from tests.reporting.exporting import body, made_here, workbook

pytestmark = pytest.mark.django_db

# A note no column is as wide as: it wraps, broken where it must, and none of it is lost.
LONG_WORD = "Telekommunikationsnetzsicherheitsanforderungsverordnungsentwurf"
SM03 = ("SM03 Assessing the risk profile of suppliers and applying restrictions for suppliers considered to be high "
        "risk, including necessary exclusions to effectively mitigate risks, for key assets")


@pytest.fixture
def eu28(db, submit):
    """Every member of the Union on 26 March 2019 (EU28) submitted, every measure adopted but Austria's SM03, not
    started (three steps below the EU median: marked) and noted in a long word; Austria's earlier cycle adopted it."""
    earlier = helpers.cycle_with_questionnaire(title="Earlier", codes=["AT"], year=2018)
    submit(earlier, "AT")
    cycle = helpers.cycle_with_questionnaire(title="EU28")
    for member_state in cycle.covered_member_states():
        lead = factories.user("lead reporter", member_state.eu_code)
        assessment = helpers.fill(services.assessment_start(cycle=cycle, member_state=member_state, user=lead))
        if member_state.eu_code == "AT":
            MeasureStatus.objects.filter(assessment=assessment, version=None, measure__code="SM03").update(
                status="not_started", note=f"See the {LONG_WORD} of 2019.")
        submit(cycle, member_state.eu_code, fill=False, lead=lead)
    return cycle


def chosen(cycle, n):
    """The cycle's member states in the EU's protocol order: all 28, or the 27 without the United Kingdom."""
    states = list(cycle.covered_member_states())
    assert len(states) == 28
    return states if n == 28 else [ms for ms in states if ms.eu_code != "UK"]


def export(client, cycle, states, fmt):
    url = reverse("reporting:comparison_export", args=[cycle.pk])
    return made_here(client, url, {"member_states": [ms.pk for ms in states], "section": "measures",
                                   "previous": "on", "format": fmt})


def flat(text):
    return " ".join(text.split())


@pytest.mark.parametrize("n", [27, 28])
def test_the_pdf_has_every_member_state_and_every_question_readable_on_every_page(
        client, reviewer, eu28, export_root, n):
    states = chosen(eu28, n)
    questions = {str(row.question) for row in comparison(eu28, states, Section.MEASURES, with_previous=True).rows}
    assert SM03 in questions and len(questions) == 29
    client.force_login(reviewer)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(body(export(client, eu28, states, "pdf")))).pages]
    text = flat(" ".join(pages))
    assert text.startswith("EU28: Mitigating measures")
    for member_state in states:
        assert member_state.name in text, member_state.name
    # The member states come in blocks one after another, each a table of every question, whole in each block.
    heads = re.findall(r"Member states (\d+)–(\d+) of (\d+)", text)
    assert {total for _first, _last, total in heads} == {str(n)}
    blocks = sorted({(int(first), int(last)) for first, last, _total in heads})
    assert blocks[0][0] == 1 and blocks[-1][1] == n
    assert all(after[0] == before[1] + 1 for before, after in zip(blocks, blocks[1:]))
    for question in questions:
        assert text.count(question) == len(blocks), question
    for number, page in enumerate(pages, 1):
        # No column a character wide: no run of lines of a single letter.
        assert not re.search(r"(?m)(^\w\n){3}", page), (number, page[:300])
        if any(question in flat(page) for question in questions):
            # The block's header, repeated on every page its table spans: its place and its member states' names.
            head = re.search(r"Member states (\d+)–(\d+) of \d+", page)
            assert head, (number, page[:300])
            first, last = head.groups()
            assert "Question" in page and "Field" in page, number
            for member_state in states[int(first) - 1:int(last)]:
                assert member_state.name in flat(page), (number, member_state.name)
    # The notes the rows carry, the long word, and the method note at the end.
    assert "Not started (2+ steps below the EU median) [previous cycle: Adopted]" in text
    assert LONG_WORD not in text and LONG_WORD in "".join(text.split())  # broken to fit its cell, nothing lost
    assert text.count("How these figures are computed") == 1
    assert text.index("How these figures are computed") > text.rindex(SM03)


@pytest.mark.parametrize("n", [27, 28])
def test_the_xlsx_has_every_member_state_a_column_every_question_a_row_and_frozen_headers(
        client, reviewer, eu28, export_root, n):
    states = chosen(eu28, n)
    rows = comparison(eu28, states, Section.MEASURES, with_previous=True).rows
    client.force_login(reviewer)
    sheet = workbook(export(client, eu28, states, "xlsx")).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Question", "Field", *[ms.name for ms in states], "EU"]
    assert [(row[0], row[1]) for row in values[1:]] == [(str(row.question), row.field) for row in rows]
    # The label, the header row and the question and field columns stay in view while the sheet scrolls.
    assert sheet.freeze_panes == "C3"
    widths = {column: sheet.column_dimensions[column].width for column in ("A", "B", "C")}
    assert widths["A"] >= 40 and widths["B"] >= 12 and widths["C"] >= 12, widths


def test_member_states_are_shared_out_in_as_few_and_as_even_blocks_as_a_page_holds():
    assert column_blocks(27, 7) == [(0, 7), (7, 14), (14, 21), (21, 27)]  # not a last block of one or two
    assert column_blocks(28, 7) == [(0, 7), (7, 14), (14, 21), (21, 28)]
    assert column_blocks(9, 7) == [(0, 5), (5, 9)]
    assert column_blocks(2, 7) == [(0, 2)]
