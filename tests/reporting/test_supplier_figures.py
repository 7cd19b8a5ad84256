"""Supplier shares, their means and the HHI: exact sums rounded once, half up, alike on PostgreSQL and SQLite; and a
version whose shares of a segment add up to more than 100% is flagged, not counted.

The data and every expected value: tests/reporting/halves.py.
"""

import html
import json

import pytest
from django.urls import reverse

from tests.reporting import embedded, halves

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(db):
    return halves.review(halves.build())


def test_every_supplier_figure_on_a_half_is_rounded_once_half_up(review):
    assert halves.figures(review) == halves.EXPECTED


@pytest.mark.long
def test_the_embedded_sqlite_gives_the_same_supplier_figures(tmp_path):
    assert embedded.figures_on_sqlite("halves", tmp_path) == json.loads(json.dumps(halves.EXPECTED))


def test_the_reviewer_reads_why_a_member_states_segment_is_left_out(client, review, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("reporting:review_member_states", args=[review.pk])).content.decode()
    flags = html.unescape(page[page.index('id="table-flags"'):])
    flags = flags[:flags.index("</table>")]
    assert "Listed shares above 100%" in flags
    assert ("Core network: the listed shares add up to 150%; this segment of the answer is left out of the "
            "segment's figures.") in flags
    concentration = page[page.index('id="table-concentration"'):]
    row = concentration[concentration.index("<th scope=\"row\" class=\"fw-normal\">France</th>"):]
    assert row[:row.index("</tr>")].count("<td>—</td>") == 3  # no remainder, and no HHI range
    method = html.unescape(client.get(reverse("reporting:review", args=[review.pk])).content.decode())
    assert "add up to more than 100% is flagged and left out of that segment's figures" in method


def test_the_csv_of_concentration_leaves_the_overrun_blank(client, review, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("reporting:review_csv", args=[review.pk, "concentration"]))
    lines = b"".join(response.streaming_content).decode().splitlines()
    france = next(line for line in lines if line.startswith('"France"'))
    assert france == '"France","Core network","150.0","","","","60.0",""'
