"""A reviewer compares all 27 member states on a laptop's screen (1366x768) in Chromium."""

import datetime

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import MeasureStatus
from portal.models import BRUSSELS, MemberState
from tests import factories
from tests.assessments import helpers
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATUSES = ["not_started", "planned", "in_preparation", "adopted", "applied"]
LONG_NOTE = ("The draft law on the security of electronic communications networks was adopted by the government and "
             "sent to parliament; restrictions on high-risk suppliers in the core follow its entry into force.")

# Where a cell of the question column is at a point: itself, or a header cell drawn over it.
TOP_CELL_AT = "([x, y]) => { const th = document.elementFromPoint(x, y)?.closest('th'); return th ? th.id : null; }"


@pytest.fixture
def eu27(db, submit):
    cycle = helpers.cycle_with_questionnaire(title="EU27", codes=None)
    codes = list(cycle.covered_member_states().exclude(eu_code="UK").values_list("eu_code", flat=True))[:27]
    for i, code in enumerate(codes):
        lead = factories.user("lead reporter", code)
        assessment = helpers.fill(services.assessment_start(cycle=cycle, member_state=lead.member_state, user=lead))
        MeasureStatus.objects.filter(assessment=assessment, version=None, measure__code="SM03").update(
            status=STATUSES[i % 5], note=LONG_NOTE if i % 3 == 0 else "")
        submit(cycle, code, datetime.datetime(2019, 7, 10, tzinfo=BRUSSELS), fill=False, lead=lead)
    assert len(codes) == 27
    return cycle


def boxes(page, selector):
    return [page.locator(selector).nth(i).bounding_box() for i in range(page.locator(selector).count())]


def overlap(a, b):
    """The rectangle two boxes share, or None."""
    left, top = max(a["x"], b["x"]), max(a["y"], b["y"])
    right, bottom = min(a["x"] + a["width"], b["x"] + b["width"]), min(a["y"] + a["height"], b["y"] + b["height"])
    return (left, top, right, bottom) if right - left > 1 and bottom - top > 1 else None


def test_27_member_states_side_by_side_on_a_laptop(browser, live_server, axe_check, eu27):
    factories.user("reviewer", username="rita-reviewer")
    ids = list(MemberState.objects.filter(eu_code__in=eu27.covered_member_states().values("eu_code"))
               .exclude(eu_code="UK").values_list("pk", flat=True))
    page = log_in(browser, live_server, "rita-reviewer")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"/reporting/cycles/{eu27.pk}/compare/?section=measures&"
              + "&".join(f"member_states={pk}" for pk in ids))
    region = page.get_by_role("region", name="Comparison")
    region.scroll_into_view_if_needed()
    expect(page.locator("thead th.cmp-ms")).to_have_count(27)

    # Six member states' headers (at least) are whole on the screen, not only the first three.
    whole = [b for b in boxes(page, "thead th.cmp-ms")
             if b["x"] >= 0 and b["x"] + b["width"] <= 1366 and b["y"] >= 0 and b["y"] + b["height"] <= 768]
    assert len(whole) >= 6, whole

    # The legend says what the marks mean; a long note shows its start and opens from the keyboard.
    expect(page.get_by_text("two steps or more above the EU median")).to_be_visible()
    expect(page.get_by_text("two steps or more below the EU median")).to_be_visible()
    summary = page.locator("summary").filter(has_text="The draft law").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("details[open] .cmp-full").first).to_contain_text("restrictions on high-risk suppliers")

    # Scrolled sideways (and down), no column header covers the question column: where a header's box meets the
    # corner cell it runs beneath it, and the row headers stay where they are, on top.
    region.evaluate("e => { e.scrollLeft = 900; e.scrollTop = 300; }")
    page.evaluate("() => { document.querySelectorAll('.compare th').forEach((th, i) => th.id ||= 'th' + i); }")
    corner = page.locator("thead th.cmp-corner")
    corner_id, corner_box = corner.get_attribute("id"), corner.bounding_box()
    assert corner_box["x"] >= 0
    headers = boxes(page, "thead th:not(.cmp-corner)")
    met = [o for o in (overlap(corner_box, b) for b in headers) if o]
    assert met, "the test scrolled too little for any header to reach the question column"
    for left, top, right, bottom in met:
        for x in (left + 1, (left + right) / 2, right - 1):
            assert page.evaluate(TOP_CELL_AT, [x, (top + bottom) / 2]) == corner_id
    row_headers, seen = page.locator("tbody th"), 0
    for i in range(row_headers.count()):
        box = row_headers.nth(i).bounding_box()
        if box["y"] < corner_box["y"] + corner_box["height"] or box["y"] + box["height"] > 768:
            continue  # scrolled under the header row, or below the screen
        assert box["x"] == pytest.approx(corner_box["x"], abs=1)
        row_id = row_headers.nth(i).get_attribute("id")
        for x in (box["x"] + 2, box["x"] + box["width"] / 2, box["x"] + box["width"] - 3):
            assert page.evaluate(TOP_CELL_AT, [x, box["y"] + box["height"] / 2]) == row_id
        seen += 1
    assert seen >= 3
    axe_check(page)

    # Only where they differ: SM03's status and note, not the measures every member state adopted.
    page.get_by_label("Show only where the member states differ").check()
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_text("where the chosen member states differ, of")).to_be_visible()
    expect(page.locator("tbody th", has_text="SM01")).to_have_count(0)
    expect(page.locator("tbody th", has_text="SM03").first).to_be_visible()
    axe_check(page)
    page.context.close()
