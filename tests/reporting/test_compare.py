import datetime
import re

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import MeasureStatus, ScenarioRating, Section
from portal.models import BRUSSELS, MemberState
from reporting.compare import comparison, middles, outlier
from tests import factories
from tests.assessments import helpers
from tests.reporting.exporting import body, made_here, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def submit_with(submit):
    """Submit with R1's likelihood and SM03's status (and note) set; every other answer from helpers.fill."""

    def submit_with(cycle, code, likelihood=2, sm03="adopted", note=""):
        lead = factories.user("lead reporter", code)
        assessment = helpers.fill(services.assessment_start(cycle=cycle, member_state=lead.member_state, user=lead))
        ScenarioRating.objects.filter(assessment=assessment, version=None, scenario__code="R1").update(
            likelihood=likelihood, impact=1, level=assessment.cycle.questionnaire.risk_level(likelihood, 1))
        MeasureStatus.objects.filter(assessment=assessment, version=None, measure__code="SM03").update(
            status=sm03, note=note)
        return submit(cycle, code, datetime.datetime(cycle.year, 7, 10, tzinfo=BRUSSELS), fill=False, lead=lead)

    return submit_with


@pytest.fixture
def five(db, submit_with):
    cycle = helpers.cycle_with_questionnaire(title="Five", codes=["AT", "BE", "DE", "FR", "IT"])
    for code, likelihood, sm03 in [("AT", 5, "applied"), ("BE", 3, "planned"), ("DE", 3, "adopted"),
                                   ("FR", 2, "in_preparation"), ("IT", 3, "not_started")]:
        submit_with(cycle, code, likelihood, sm03, note='=HYPERLINK("http://x","y")' if code == "FR" else "")
    return cycle


def cells(result, question, field):
    row = next(r for r in result.rows if str(r.question).startswith(question) and r.field == field)
    return row, dict(zip([m.eu_code for m in result.member_states], row.cells))


def test_a_rating_two_steps_from_the_eu_median_is_marked_and_one_step_is_not(five):
    chosen = list(MemberState.objects.filter(eu_code__in=["AT", "FR"]).order_by("eu_code"))
    result = comparison(five, chosen, Section.SCENARIOS)
    row, by = cells(result, "R1", "Likelihood")
    # Likelihoods of all five: 5, 3, 3, 2, 3 -> EU median 3. AT (5) is two steps above; FR (2) one step below.
    assert row.summary == "EU median 3"
    assert (by["AT"].shown, by["AT"].outlier) == (5, 1)
    assert (by["FR"].shown, by["FR"].outlier) == (2, 0)


def test_statuses_are_counted_and_marked_on_their_scale(five):
    chosen = list(MemberState.objects.filter(eu_code__in=["AT", "BE", "IT"]).order_by("eu_code"))
    row, by = cells(comparison(five, chosen, Section.MEASURES), "SM03", "Status")
    # Steps: applied 4, planned 1, adopted 3, in preparation 2, not started 0 -> median 2.
    # Above the median is marked up (+1), below down (-1).
    assert {code: (str(c.shown), c.outlier) for code, c in by.items()} == {
        "AT": ("Applied", 1), "BE": ("Planned", 0), "IT": ("Not started", -1)}
    assert "Applied: 1" in row.summary and "Not started: 1" in row.summary


def test_compare_with_the_previous_cycle(five, submit_with):
    earlier = helpers.cycle_with_questionnaire(title="Earlier", codes=["AT"])
    type(earlier).objects.filter(pk=earlier.pk).update(year=2018)
    earlier.refresh_from_db()
    submit_with(earlier, "AT", likelihood=1)
    chosen = list(MemberState.objects.filter(eu_code__in=["AT", "BE"]).order_by("eu_code"))
    result = comparison(five, chosen, Section.SCENARIOS, with_previous=True)
    _, by = cells(result, "R1", "Likelihood")
    assert result.previous_cycle == earlier
    assert (by["AT"].previous, by["BE"].previous) == (1, None)


def test_the_page_and_its_xlsx_export_neutralise_formulas(client, reviewer, five, export_root):
    client.force_login(reviewer)
    ids = MemberState.objects.filter(eu_code__in=["FR", "DE"]).values_list("pk", flat=True)
    query = "&".join(f"member_states={pk}" for pk in ids) + "&section=measures"
    page = client.get(reverse("reporting:compare", args=[five.pk]) + "?" + query).content.decode()
    # FR's SM03 (in preparation) is one step from the median (2); DE's (adopted) one step above: no mark. Not so IT.
    assert "France" in page and "Germany" in page and "cmp-outlier" not in page
    # The export buttons post the same choices.
    assert f'action="{reverse("reporting:comparison_export", args=[five.pk])}"' in page
    url, choices = reverse("reporting:comparison_export", args=[five.pk]), {"member_states": list(ids),
                                                                             "section": "measures"}
    sheet = workbook(made_here(client, url, {**choices, "format": "xlsx"})).worksheets[0]
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://x","y")' in values
    assert not any(v.startswith("=") for v in values)
    assert body(made_here(client, url, {**choices, "format": "pdf"})).startswith(b"%PDF")


def test_choosing_one_member_state_is_answered_beside_the_field(client, reviewer, five):
    client.force_login(reviewer)
    at = MemberState.objects.get(eu_code="AT").pk
    page = client.get(reverse("reporting:compare", args=[five.pk]), {"member_states": at, "section": "scenarios"})
    assert "Choose at least two member states to compare." in page.content.decode()


def test_authority_staff_get_404(client, reporter_at, five):
    client.force_login(reporter_at)
    assert client.get(reverse("reporting:compare", args=[five.pk])).status_code == 404


def test_27_member_states_render_with_the_same_queries_as_2(client, reviewer, same_queries, submit):
    cycle = helpers.cycle_with_questionnaire(title="EU27", codes=None)
    codes = list(cycle.covered_member_states().exclude(eu_code="UK").values_list("eu_code", flat=True))[:27]
    for code in codes:
        submit(cycle, code)
    client.force_login(reviewer)
    url = reverse("reporting:compare", args=[cycle.pk])
    ids = list(MemberState.objects.filter(eu_code__in=codes).values_list("pk", flat=True))
    chosen = [ids[:2]]
    same_queries(lambda: client.get(url, {"member_states": chosen[0], "section": "measures", "previous": "on"}),
                 lambda: chosen.__setitem__(0, ids))
    page = client.get(url, {"member_states": ids, "section": "measures", "previous": "on"})
    assert page.content.decode().count("<th scope=\"col\" class=\"cmp-ms\">") == 27


def page_row(page, question, field):
    """The cells (HTML) of the page's row for `question`'s `field`, member states then the EU column."""
    for row in re.findall(r'<tr class="cmp-[a-z]+">(.*?)</tr>', page, re.S):
        header = re.search(r"<th scope=\"row\">(.*?)</th>", row, re.S).group(1)
        if question in header and f'<span class="cmp-field">{field}</span>' in header:
            return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    raise AssertionError(f"no row {question} {field}")


def test_marks_point_up_above_the_eu_median_and_down_below_it(client, reviewer, submit_with):
    # The case of the issue: Austria rates 1 where the EU median is 4: that is below, marked ▼, never ▲.
    cycle = helpers.cycle_with_questionnaire(title="Three", codes=["AT", "BE", "DE", "FR"])
    for code, likelihood in [("AT", 1), ("BE", 4), ("DE", 4), ("FR", 4)]:
        submit_with(cycle, code, likelihood, sm03="applied" if code == "BE" else "planned")
    client.force_login(reviewer)
    ids = MemberState.objects.filter(eu_code__in=["AT", "BE", "DE"]).values_list("pk", flat=True)
    page = client.get(reverse("reporting:compare", args=[cycle.pk]),
                      {"member_states": list(ids), "section": "scenarios"}).content.decode()
    assert "▲</span> two steps or more above the EU median" in page  # the legend says both
    assert "▼</span> two steps or more below the EU median" in page
    belgium, germany, austria, eu = page_row(page, "R1", "Likelihood")  # in the EU's protocol order
    assert "EU median 4" in eu
    assert "▼" in austria and "▲" not in austria and "Below the EU median by two steps or more:" in austria
    assert "▼" not in belgium + germany and "▲" not in belgium + germany
    page = client.get(reverse("reporting:compare", args=[cycle.pk]),
                      {"member_states": list(ids), "section": "measures"}).content.decode()
    # SM03: applied (4) against a median of planned (1): Belgium is three steps above.
    belgium, germany, austria, eu = page_row(page, "SM03", "Status")
    assert "▲" in belgium and "Above the EU median by two steps or more:" in belgium and "▼" not in belgium
    assert "▲" not in austria + germany and "▼" not in austria + germany


def test_only_where_member_states_differ(client, reviewer, five):
    client.force_login(reviewer)
    url = reverse("reporting:compare", args=[five.pk])
    at_de = list(MemberState.objects.filter(eu_code__in=["AT", "DE"]).values_list("pk", flat=True))
    everything = client.get(url, {"member_states": at_de, "section": "measures"}).content.decode()
    differing = client.get(url, {"member_states": at_de, "section": "measures", "differ": "on"}).content.decode()
    # Austria and Germany differ only on SM03's status (applied, adopted): every other measure is adopted by both.
    assert "SM01" in everything and "SM01" not in differing
    assert differing.count('<tr class="cmp-') == 1
    assert [text(c) for c in page_row(differing, "SM03", "Status")[:2]] == [  # Germany first: protocol order
        "Adopted", "▲Above the EU median by two steps or more: Applied"]
    total = everything.count('<tr class="cmp-')
    assert total > 29
    assert f"Showing 1 question where the chosen member states differ, of {total}." in differing
    # Belgium and Germany rate every scenario alike (R1: 3 and 3): the page says so instead of an empty table.
    be_de = list(MemberState.objects.filter(eu_code__in=["BE", "DE"]).values_list("pk", flat=True))
    alike = client.get(url, {"member_states": be_de, "section": "scenarios", "differ": "on"}).content.decode()
    assert "The chosen member states answer every question of this section alike." in alike
    assert "<table" not in alike


def text(html):
    return re.sub(r"<[^>]+>", "", html).strip()


def test_the_export_of_a_filtered_comparison_has_only_the_rows_that_differ(client, reviewer, five, export_root):
    client.force_login(reviewer)
    ids = list(MemberState.objects.filter(eu_code__in=["AT", "DE"]).values_list("pk", flat=True))
    page = client.get(reverse("reporting:compare", args=[five.pk]),
                      {"member_states": ids, "section": "measures", "differ": "on"}).content.decode()
    assert '<input type="hidden" name="differ" value="on">' in page  # the export buttons post the filter too
    url, choices = reverse("reporting:comparison_export", args=[five.pk]), {"member_states": ids, "section": "measures"}
    whole = workbook(made_here(client, url, {**choices, "format": "xlsx"})).worksheets[0]
    filtered = workbook(made_here(client, url, {**choices, "differ": "on", "format": "xlsx"})).worksheets[0]
    rows = [[c.value for c in row] for row in filtered.iter_rows()]
    assert [row[:4] for row in rows[1:]] == [  # Germany, then Austria: the EU's protocol order
        [rows[1][0], "Status", "Adopted", "Applied (2+ steps above the EU median)"]]
    assert rows[1][0].startswith("SM03")
    assert whole.max_row > 29


def test_with_an_even_count_a_mark_needs_two_steps_from_both_middle_answers(client, reviewer, submit_with):
    """Likelihoods 2, 2, 4, 4: the lower median is 2, so 4 stood "two steps above" it while 2 stood nowhere below
    the upper middle 4: marks leant up. Now neither is marked, and the EU column says which middle it shows."""
    cycle = helpers.cycle_with_questionnaire(title="Even", codes=["AT", "BE", "DE", "FR"])
    for code, likelihood in [("AT", 2), ("BE", 2), ("DE", 4), ("FR", 4)]:
        submit_with(cycle, code, likelihood)
    chosen = list(MemberState.objects.filter(eu_code__in=["AT", "BE", "DE", "FR"]).order_by("eu_code"))
    row, by = cells(comparison(cycle, chosen, Section.SCENARIOS), "R1", "Likelihood")
    assert {code: cell.outlier for code, cell in by.items()} == {"AT": 0, "BE": 0, "DE": 0, "FR": 0}
    assert row.summary == "EU median 2 (the lower of the two middle answers, 2 and 4)"
    # Symmetric: as far above the upper middle as below the lower one gives the mark either way.
    assert (outlier(6, (2, 4)), outlier(0, (2, 4)), outlier(5, (2, 4)), outlier(1, (2, 4))) == (1, -1, 0, 0)
    assert middles([4, 2, 4, 2]) == (2, 4) and middles([5, 3, 1]) == (3, 3) and middles([]) is None
    client.force_login(reviewer)
    ids = [m.pk for m in chosen]
    page = client.get(reverse("reporting:compare", args=[cycle.pk]),
                      {"member_states": ids, "section": "scenarios"}).content.decode()
    assert "a mark needs that distance from both middle answers" in page  # the legend says so
    assert "with an even number of answers, it must lie that far from both middle answers" in page  # the method
    assert "▲" not in "".join(page_row(page, "R1", "Likelihood"))
