"""Disclosure control of a published review: no member state's answer can be read, or worked out, by another's staff.

The case of the issue: eight member states report their core network, ZTE is present in one of them only (Finland,
12.35%). The published review said "Core network, ZTE, present in 1 of 8, mean 1.54": 1.54 x 8 = 12.32, Finland's
12.35. Here a member state's staff read the page, the CSV, the XLSX and the API, and try the arithmetic.

Risk matrix (default 5 x 5): low < 5 <= medium < 10 <= high < 17 <= critical.
  R4 likelihood x impact: AT 4x4 high, BE 3x4 high, DE 4x3 high, SE 4x4 high; FR 2x3, IT 3x3, NL 2x4 medium;
  FI 5x4 critical (the only one). Levels: low 0, medium 3, high 4, critical 1; high or critical 5 of 8.
  SM03: FI applied (the only one), AT BE DE adopted, FR IT planned, NL SE in preparation.
  Core shares: Ericsson 377.65 / 8 = 47.21, Nokia 320 / 8 = 40.0, Huawei (AT DE IT) 90 / 8 = 11.25, ZTE (FI)
  12.35 / 8 = 1.54; every member state describes 100%.
"""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from assessments import services as assessment_services
from portal.models import BRUSSELS, Role
from reporting import disclosure, publishing
from reporting import services as review_services
from reporting.models import CoordinatedReview
from reporting.tables import SUPPRESSED, aggregate_tables
from tests import factories
from tests.api.helpers import ApiClient, token_for
from tests.assessments import helpers
from tests.pages import review_table
from tests.reporting.exporting import csv_parts, made_here, workbook

pytestmark = pytest.mark.django_db

K = 3
CORE = {
    "AT": {"Ericsson": 50, "Nokia": 30, "Huawei": 20}, "BE": {"Ericsson": 40, "Nokia": 60},
    "DE": {"Ericsson": 35, "Nokia": 35, "Huawei": 30}, "FR": {"Ericsson": 45, "Nokia": 55},
    "IT": {"Ericsson": 30, "Nokia": 30, "Huawei": 40}, "NL": {"Ericsson": 60, "Nokia": 40},
    "FI": {"Ericsson": Decimal("47.65"), "Nokia": 40, "ZTE": Decimal("12.35")}, "SE": {"Ericsson": 70, "Nokia": 30},
}
R4 = {"AT": (4, 4), "BE": (3, 4), "DE": (4, 3), "SE": (4, 4), "FR": (2, 3), "IT": (3, 3), "NL": (2, 4), "FI": (5, 4)}
SM03 = {"FI": "applied", "AT": "adopted", "BE": "adopted", "DE": "adopted", "FR": "planned", "IT": "planned",
        "NL": "in_preparation", "SE": "in_preparation"}
HIGH_RISK = {"Huawei", "ZTE"}


@pytest.fixture
def published(submit, settings):
    """The review of the eight member states, built and published; returns it."""
    settings.REVIEW_MIN_GROUP_SIZE = K
    cycle = helpers.cycle_with_questionnaire(title="Eight", codes=list(CORE))
    for code, shares in CORE.items():
        lead = factories.user(Role.LEAD_REPORTER, code)
        draft = assessment_services.assessment_start(cycle=cycle, member_state=lead.member_state, user=lead)
        helpers.answer(draft, scenarios={"R4": R4[code]}, sm03=SM03[code], capability=1 if code == "FI" else 5,
                       sensitivity=4, suppliers=[(name, share, None, "high" if name in HIGH_RISK else "low")
                                                 for name, share in shares.items()])
        submit(cycle, code, datetime.datetime(2019, 7, 10, tzinfo=BRUSSELS), fill=False, lead=lead)
    review, _created = review_services.review_request(cycle=cycle)
    review_services.review_build(review_id=review.pk)
    review = CoordinatedReview.objects.get(pk=review.pk)
    publishing.review_publish(review=review, user=factories.user(Role.REVIEWER))
    return review


def _plain(value):
    """A cell as text, the same whichever way it was read: an empty cell (None, "", "—") as "", a number as 40.0
    and 40 alike (a spreadsheet gives a whole number back as an int)."""
    if value in (None, "", "—"):
        return ""
    try:
        return format(float(value), "g")
    except ValueError:
        return str(value)


def what_staff_read(client, api, review, staff, key):
    """The table `key` of the published review as a member state's staff read it on the page, in its CSV, in the
    XLSX and through the API: each as [headers, *rows] of text, and the note beside it."""
    client.force_login(staff)
    page = client.get(reverse("reporting:review", args=[review.pk])).content.decode()
    headers, rows = review_table(page, key)
    _about, csv_rows = csv_parts(client.get(reverse("reporting:review_csv", args=[review.pk, key])))
    table = next(t for t in api.get(f"/api/v1/reviews/{review.pk}/").json()["tables"] if t["key"] == key)
    book = workbook(made_here(client, reverse("reporting:review_export", args=[review.pk, "xlsx"])))
    sheet = book[next(t.sheet for t in aggregate_tables(review.results) if t.key == key)]
    sheet_rows = [[c.value for c in row] for row in sheet.iter_rows()][:len(rows) + 1]
    read = {"page": [headers, *rows], "csv": csv_rows, "api": [table["headers"], *table["rows"]], "xlsx": sheet_rows}
    return {way: [[_plain(v) for v in row] for row in found] for way, found in read.items()}, table["note"], page


def number(text):
    return None if text in ("", SUPPRESSED) else float(text)


def test_no_member_states_answer_can_be_worked_out_from_what_staff_read(client, published, export_root):
    staff = factories.user(Role.REPORTER, "SE")
    api, tables = ApiClient(token_for(staff)), {}
    for key in ("suppliers", "segments", "scenarios", "toolbox", "actors"):
        read, note, page = what_staff_read(client, api, published, staff, key)
        assert read["page"] == read["csv"] == read["api"] == read["xlsx"], key  # the same figures every way
        headers, *rows = read["page"]
        tables[key] = [dict(zip(headers, row)) for row in rows]
        if any(SUPPRESSED in row for row in rows):
            assert "not shown to member states' staff, because fewer than 3 member states" in note, key
            assert "because fewer than 3 member states are behind the figure" in page, key
    assert "12.35" not in page and "1.54" not in page

    # The issue's sum: a mean times the member states reporting the segment is never one member state's share.
    core = [row for row in tables["suppliers"] if row["Segment"] == "Core network"]
    zte = next(row for row in core if row["Supplier"] == "ZTE")
    assert zte["Member states present in"] == zte["Mean national share (%)"] == SUPPRESSED
    for row in core:
        share, present = number(row["Mean national share (%)"]), number(row["Member states present in"])
        if share is not None:
            assert present is not None and present >= K
            assert abs(share * 8 - 12.35) > 0.1
    # The total minus the rest: what the shown suppliers leave of the mean described share is two suppliers' at least.
    described = number(next(row for row in tables["segments"] if row["Segment"] == "Core network")[
        "Mean share described (%)"])
    shown = [number(row["Mean national share (%)"]) for row in core if row["Mean national share (%)"] != SUPPRESSED]
    assert len(core) - len(shown) >= 2
    assert abs((described - sum(shown)) * 8 - 12.35) > 1  # Huawei's three member states are in it too

    # A distribution's n minus its other cells: Finland's critical R4 hides among at least two cells.
    r4 = next(row for row in tables["scenarios"] if row["Code"] == "R4")
    levels = [r4[f"Level: {level}"] for level in ("Low", "Medium", "High", "Critical")]
    assert r4["Member states"] == "8" and r4["Level: Critical"] == SUPPRESSED
    assert levels.count(SUPPRESSED) >= 2 and 8 - sum(number(v) for v in levels if v != SUPPRESSED) >= K
    # ... nor from the count of high or critical beside the high ones, nor from the mean of the coded levels.
    assert r4["Level: High"] == r4["High or critical"] == SUPPRESSED
    assert r4["Level mean (low = 1, medium = 2, high = 3, critical = 4)"] == SUPPRESSED
    assert r4["Level median (lower middle)"] == SUPPRESSED
    # Every other distribution and count of statuses is protected the same way.
    for row in tables["scenarios"] + tables["toolbox"]:
        assert row["Member states"] == "8"
        for prefix in ("Level: ", "Likelihood: ", "Impact: "):
            cells = [v for h, v in row.items() if h.startswith(prefix)]
            assert cells.count(SUPPRESSED) != 1, (row["Code"], prefix)
    sm03 = next(row for row in tables["toolbox"] if row["Code"] == "SM03")
    assert sm03["Applied"] == SUPPRESSED and list(sm03.values()).count(SUPPRESSED) >= 2
    state = next(row for row in tables["actors"] if row["Code"] == "state")  # Finland alone rates capability 1
    assert state["Capability: 1"] == SUPPRESSED and state["Capability mean (very low = 1 … very high = 5)"] == (
        SUPPRESSED)


def test_reviewers_read_every_figure_of_the_same_review(client, published):
    client.force_login(factories.user(Role.REVIEWER))
    page = client.get(reverse("reporting:review", args=[published.pk])).content.decode()
    headers, rows = review_table(page, "suppliers")
    zte = dict(zip(headers, next(row for row in rows if row[1] == "ZTE")))
    assert (zte["Member states present in"], zte["Mean national share (%)"]) == ("1", "1.54")
    assert "are behind the figure" not in page  # no note of hidden figures


def test_the_charts_of_the_published_review_hide_what_its_tables_hide(client, published):
    client.force_login(factories.user(Role.REPORTER, "SE"))
    page = client.get(reverse("reporting:review", args=[published.pk])).content.decode()
    core = page[page.index('id="chart-share_core-desc"'):]
    assert "ZTE: –" in core[:core.index("</desc>")] and "1.54" not in core[:core.index("</svg>")]
    assert "R4 Dependency on any single supplier" in page and "R4 Dependency on any single supplier within " \
           "individual networks or lack of diversity on nation-wide basis: – of 8" in page
    # The statuses of SM03 not shown stand together as one part of its bar, of the size n minus the shown ones.
    toolbox = page[page.index('id="chart-toolbox-desc"'):]
    assert "SM03: Adopted 3, Not shown 5" in toolbox[:toolbox.index("</desc>")]


# The rule itself, on random tables -----------------------------------------------------------------------------

@st.composite
def tables(draw):
    """Random rows of distributions (with an upper-levels count, as risk levels and ratings have) and of suppliers'
    mean shares (overlapping member states), with the groups, summaries and members tables.py would give them."""
    members, values, groups, summaries, partitions = {}, {}, [], {}, []
    for row in range(draw(st.integers(1, 4))):
        cells = [(row, "d", i) for i in range(draw(st.integers(2, 5)))]
        counts = draw(st.lists(st.integers(0, 6), min_size=len(cells), max_size=len(cells)))
        total, top = (row, "n"), (row, "top")
        members |= dict(zip(cells, counts)) | {total: sum(counts), top: sum(counts[-2:])}
        partitions += [disclosure.Group(total, tuple(cells)), disclosure.Group(top, tuple(cells[-2:])),
                       disclosure.Group(total, (*cells[:-2], top))]
        summaries[(row, "mean")] = (*cells, top)
        members[(row, "mean")] = sum(counts)
    groups += partitions
    for segment in range(draw(st.integers(0, 2))):
        reporting = draw(st.integers(1, 12))
        shares = [("share", segment, i) for i in range(draw(st.integers(1, 5)))]
        for share in shares:
            members[share] = draw(st.integers(1, reporting))
            values[share] = draw(st.floats(0.01, 100))
        members[("described", segment)] = reporting
        groups.append(disclosure.Group(("described", segment), tuple(shares), overlapping=True))
    return members, values, groups, summaries, partitions


@given(tables(), st.integers(2, 5))
def test_no_hidden_cell_is_alone_in_a_sum_and_every_hidden_group_stands_for_at_least_k(table, k):
    members, values, groups, summaries, partitions = table
    hidden = disclosure.suppress(members, groups, k, summaries, values)
    assert all(cell in hidden for cell, n in members.items() if 0 < n < k)  # every small figure
    for group in groups:
        concealed = [cell for cell in group.cells if cell in hidden]
        if not concealed:
            continue
        assert len(concealed) >= 2, (group, concealed)
        behind = disclosure.combined(group, concealed, members)
        whole = all(cell in hidden for cell in group.cells)
        assert behind >= k or (whole and members[group.total] < k), (group, concealed, behind)
        parts = [cell for cell in concealed if cell != group.total]
        if group in partitions and group.total not in concealed and all(members[cell] for cell in parts):
            assert behind > len(parts)  # hidden counts, none of them 0, are not all 1
    for summary, cells in summaries.items():
        assert (summary in hidden) == any(cell in hidden for cell in cells)


@given(st.lists(st.integers(0, 4), min_size=4, max_size=4), st.integers(2, 4))
def test_a_levels_hidden_cells_cannot_be_worked_out_from_any_of_its_sums(levels, k):
    """Low, medium, high, critical and "high or critical", as the scenarios table binds them: every assignment a
    reader could make agreeing with the shown cells, n and the sums, leaves each hidden cell two values at least."""
    cells = [("level", i) for i in range(4)]
    n, top = "n", "top"
    members = dict(zip(cells, levels)) | {n: sum(levels), top: levels[2] + levels[3]}
    groups = [disclosure.Group(n, tuple(cells)), disclosure.Group(top, tuple(cells[2:])),
              disclosure.Group(n, (*cells[:2], top))]
    hidden = disclosure.suppress(members, groups, k)
    if not hidden or n in hidden:
        return
    # What the reader knows: the shown cells; a hidden count is at least 1 unless a zero was hidden too.
    low = 0 if any(members[c] == 0 for c in hidden) else 1
    known = {c: members[c] for c in (*cells, top) if c not in hidden}
    readings = []
    for guess in _assignments(members[n], 4):
        found = dict(zip(cells, guess)) | {top: guess[2] + guess[3]}
        if all(found[c] == v for c, v in known.items()) and all(found[c] >= low for c in hidden if c != top):
            readings.append(found)
    for cell in hidden:
        assert len({reading[cell] for reading in readings}) >= 2, (levels, k, hidden, cell)


def _assignments(total, cells):
    if cells == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _assignments(total - first, cells - 1):
            yield (first, *rest)


def test_a_review_stored_before_distributions_were_kept_still_reads(published, client):
    """Stored results of older reviews lack the distributions, the sections and the scales: read with defaults."""
    results = json.loads(json.dumps(published.results))
    for key in ("sections", "scales"):
        results.pop(key)
    for scenario in results["scenarios"]:
        for field in ("likelihood", "impact", "level"):
            scenario[field].pop("distribution")
    CoordinatedReview.objects.filter(pk=published.pk).update(results=results)
    client.force_login(factories.user(Role.REPORTER, "SE"))
    page = client.get(reverse("reporting:review", args=[published.pk])).content.decode()
    headers, rows = review_table(page, "scenarios")
    r4 = dict(zip(headers, next(row for row in rows if row[0] == "R4")))
    assert r4["Level: Critical"] == "—" and r4["Member states"] == "8" and r4["High or critical"] == "5"
    assert "Toolbox measures" in page  # every section: the cycle's questionnaire asks them all
