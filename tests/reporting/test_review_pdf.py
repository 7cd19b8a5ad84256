"""The review PDF: every chart whole, on the page of its title; labels wrap or end in an ellipsis, never cut."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reporting.charts import bars, label_lines
from reporting.tables import segment_label
from tests.reporting.exporting import body, made_here

pytestmark = pytest.mark.django_db

R4 = "R4 Dependency on any single supplier within individual networks or lack of diversity on nation-wide basis"


def pages(client, review):
    """The text of each page of the review's PDF, made here."""
    pdf = body(made_here(client, reverse("reporting:review_export", args=[review.pk, "pdf"])))
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def expected_charts(results, member_states):
    """(title, first category, last category) of every chart a reviewer's PDF draws, from the review's figures."""
    scenarios, measures = results["scenarios"], results["toolbox"]["measures"]
    charts = [("Member states rating each scenario high or critical", scenarios[0]["code"], scenarios[-1]["code"]),
              ("Member states at each status, by Toolbox measure", measures[0]["code"], measures[-1]["code"])]
    for segment in results["suppliers"]["segments"]:
        if segment["suppliers"]:
            names = [s["name"] for s in segment["suppliers"]]
            charts.append((f"Mean national market share: {segment_label(segment['segment'])}", names[0], names[-1]))
    charts.append(("Risk levels by member state and scenario", member_states[0], member_states[-1]))
    return charts


@pytest.mark.parametrize("limit", [40, 2], ids=["with-listings", "beyond-the-limit-note-first"])
def test_every_chart_is_whole_and_on_the_page_of_its_title(client, reviewer, review, export_root, settings, limit):
    settings.EXPORT_PDF_MEMBER_STATE_LIMIT = limit
    client.force_login(reviewer)
    text = pages(client, review)
    charts = expected_charts(review.results, ["Austria", "France"])
    if limit == 2:  # beyond the limit the heat map (a row per member state) is left to the XLSX
        charts = charts[:-1]
    assert charts[1][2] == "SA10" and charts[0][2] == "R9"
    for title, first, last in charts:
        on = [n for n, page in enumerate(text) if title in page]
        assert len(on) == 1, (title, on)
        page = text[on[0]]
        start = page.index(title) + len(title)
        # The chart follows its title on that page, from its first category to its last: never cut, never orphaned.
        assert first in page[start:], (title, first, page)
        assert last in page[page.index(first, start):], (title, last, page)
    # A long label wraps whole (no "supplier wit" cut at 40 characters).
    severe = next(page for page in text if charts[0][0] in page)
    assert R4 in severe


def test_a_label_longer_than_its_room_ends_in_an_ellipsis_and_keeps_its_full_text():
    long = "Supplier " + "with a name that goes on " * 8 + "and ends here"
    assert label_lines(R4, 46, 3) == ["R4 Dependency on any single supplier within",
                                      "individual networks or lack of diversity on", "nation-wide basis"]
    shortened = label_lines(long, 46, 3)
    assert len(shortened) == 3 and shortened[-1].endswith("…") and all(len(line) <= 46 for line in shortened)
    svg = str(bars("chart-x", "Shares", [(long, 10, "10%"), ("Nokia", 5, "5%")], 100))
    # The full text is the shortened label's tooltip (<title>) and in the chart's description; a label that fits
    # carries none.
    assert f"<title>{long}</title>" in svg and f"{long}: 10%" in svg
    assert "<title>Nokia</title>" not in svg and ">Nokia</tspan>" in svg
