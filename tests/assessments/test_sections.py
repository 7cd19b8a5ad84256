import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import MeasureStatus, ScenarioRating, ScopeAnswer, Section, SupplierPresence, UnsavedInput
from assessments.questionnaire.sections import ROW_BOOKKEEPING, SectionForms, canonical, stable_key
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


def section_url(assessment, section):
    return reverse("assessments:section", args=[assessment.pk, section.value])


def test_a_reporter_starts_the_draft_of_its_member_state_once(client, cycle, reporter_at, lead_at):
    client.force_login(reporter_at)
    first = client.post(reverse("assessments:start", args=[cycle.pk]))
    client.force_login(lead_at)
    second = client.post(reverse("assessments:start", args=[cycle.pk]))
    assert first["Location"] == second["Location"]
    assert reporter_at.member_state.assessments.count() == 1


def test_the_draft_asks_every_scenario_and_measure_of_the_cycle(draft):
    assert ScenarioRating.objects.filter(assessment=draft, version=None).count() == 9
    # Every section but the legislation of the 2023 progress report, which only the cycles that ask it ask.
    assert draft.cycle.questionnaire.sections == ASKED


ASKED = [section for section in Section if section != Section.LEGISLATION]  # the 2023 section: test_legislation.py


@pytest.mark.parametrize("section", ASKED)
def test_every_section_page_opens_with_labelled_fields(client, draft, reporter_at, section):
    client.force_login(reporter_at)
    response = client.get(section_url(draft, section), follow=True)
    assert response.status_code == 200
    assert str(section.label) in response.content.decode()


def test_saving_the_scope_keeps_what_was_typed(client, draft, reporter_at):
    client.force_login(reporter_at)
    data = helpers.post_data(draft, Section.SCOPE, **{"scope-summary": "Core network first.",
                                                     "scope-method": "national",
                                                     "scope-method_detail": "BSI method"})
    response = client.post(section_url(draft, Section.SCOPE), data)
    assert response.status_code == 302
    scope = ScopeAnswer.objects.get(assessment=draft, version=None)
    assert (scope.summary, scope.method, scope.method_detail) == ("Core network first.", "national", "BSI method")


def test_a_high_risk_without_justification_is_refused_beside_the_field_and_nothing_typed_is_lost(
    client, draft, reporter_at
):
    client.force_login(reporter_at)
    data = helpers.post_data(draft, Section.SCENARIOS, **{
        "scenarios-3-likelihood": 5, "scenarios-3-impact": 4, "scenarios-3-trend": "increasing",
        "scenarios-0-likelihood": 2, "scenarios-0-impact": 3,
    })
    response = client.post(section_url(draft, Section.SCENARIOS), data, follow=True)
    page = response.content.decode()
    assert response.status_code == 200  # the page showing the refused input is a page; the post was refused
    assert "a justification is required for high and critical risks" in page
    # the message sits with R4's justification field, and the summary at the top links to it
    assert 'id="error_1_id_scenarios-3-justification"' in page
    summary = page[page.index('id="error-summary"'):]
    assert 'href="#id_scenarios-3-justification"' in summary[:summary.index("</div>")]
    # Nothing was applied, but the input is kept for this user and shown again on the next visit.
    assert ScenarioRating.objects.get(assessment=draft, version=None, scenario__code="R4").likelihood is None
    assert UnsavedInput.objects.filter(user=reporter_at).count() == 1
    again = client.get(section_url(draft, Section.SCENARIOS)).content.decode()
    assert "a justification is required" in again
    assert 'name="scenarios-3-likelihood"' in again and '<option value="5" selected>' in again


def test_correcting_the_error_saves_and_derives_the_level_from_the_matrix(client, draft, reporter_at):
    client.force_login(reporter_at)
    data = helpers.post_data(draft, Section.SCENARIOS, **{
        "scenarios-3-likelihood": 5, "scenarios-3-impact": 4, "scenarios-3-trend": "increasing",
        "scenarios-3-justification": "One supplier holds 70% of the RAN.",
    })
    client.post(section_url(draft, Section.SCENARIOS), data)
    r4 = ScenarioRating.objects.get(assessment=draft, version=None, scenario__code="R4")
    assert (r4.likelihood, r4.impact, r4.level) == (5, 4, "critical")
    assert not UnsavedInput.objects.exists()


def test_a_likelihood_outside_the_cycles_scale_is_refused(client, draft, reporter_at):
    client.force_login(reporter_at)
    data = helpers.post_data(draft, Section.SCENARIOS, **{"scenarios-0-likelihood": 7})
    page = client.post(section_url(draft, Section.SCENARIOS), data, follow=True).content.decode()
    assert "Select a valid choice" in page


def test_market_shares_of_a_segment_may_not_exceed_100_percent(client, draft, reporter_at):
    from assessments.models import Supplier

    client.force_login(reporter_at)
    for name in ("Huawei", "Nokia"):
        client.post(reverse("assessments:supplier_add", args=[draft.pk]),
                    {"supplier": Supplier.objects.get(name=name).pk})
    data = helpers.post_data(draft, Section.SUPPLIERS, **{"suppliers-0-share_access": "70",
                                                          "suppliers-1-share_access": "45"})
    page = client.post(section_url(draft, Section.SUPPLIERS), data, follow=True).content.decode()
    assert "adds up to 115" in page
    assert not SupplierPresence.objects.filter(assessment=draft, share_access__isnull=False).exists()


def test_autosave_answers_with_the_new_revision_or_the_errors_by_field(client, draft, reporter_at):
    client.force_login(reporter_at)
    data = helpers.post_data(draft, Section.SCOPE, **{"scope-summary": "Typed so far"})
    saved = client.post(section_url(draft, Section.SCOPE), data, headers={"X-Autosave": "1"}).json()
    assert saved["status"] == "saved" and saved["revision"] == 1 and saved["message"].startswith("Saved at")
    data = helpers.post_data(draft, Section.SCENARIOS, **{"scenarios-8-likelihood": 5, "scenarios-8-impact": 5})
    invalid = client.post(section_url(draft, Section.SCENARIOS), data, headers={"X-Autosave": "1"}).json()
    assert invalid["status"] == "invalid"
    assert "id_scenarios-8-justification" in invalid["errors"]


def test_the_overview_lists_what_is_missing_with_links_to_the_fields(client, draft, reporter_at):
    client.force_login(reporter_at)
    page = client.get(reverse("assessments:overview", args=[draft.pk])).content.decode()
    assert f"{section_url(draft, Section.SCENARIOS)}#id_scenarios-3-likelihood" in page
    helpers.fill(draft)
    page = client.get(reverse("assessments:overview", args=[draft.pk])).content.decode()
    assert "answers missing" not in page and "Saved and complete" in page


def test_a_cycle_can_ask_only_for_the_measures(db, reporter_at):
    from django.core.management import call_command

    from portal.models import ReportingCycle

    call_command("seed_demo", verbosity=0)
    cycle = ReportingCycle.objects.get(year=2020)
    assert cycle.questionnaire.sections == [Section.MEASURES, Section.ATTACHMENTS]


@pytest.mark.parametrize("page", ["overview", Section.SUPPLIERS, Section.SCENARIOS, Section.MEASURES])
def test_overview_and_section_pages_run_the_same_queries_for_one_supplier_or_six(
    client, draft, reporter_at, same_queries, page
):
    from assessments.models import Supplier

    client.force_login(reporter_at)
    url = reverse("assessments:overview", args=[draft.pk]) if page == "overview" else section_url(draft, page)
    SupplierPresence.objects.create(assessment=draft, supplier=Supplier.objects.get(name="Nokia"))
    same_queries(lambda: client.get(url), lambda: [
        SupplierPresence.objects.create(assessment=draft, supplier=supplier)
        for supplier in Supplier.objects.exclude(name="Nokia")])


def test_the_overview_shows_the_effective_deadline(client, draft, reporter_at, admin_user):
    from tests import factories

    client.force_login(reporter_at)
    page = client.get(reverse("assessments:overview", args=[draft.pk])).content.decode()
    assert "Due by Monday 15 July 2019 (until midnight, Brussels time)" in page
    factories.ExtensionFactory(milestone=draft.cycle.milestones.get(), member_state=reporter_at.member_state,
                               granted_by=admin_user)
    page = client.get(reverse("assessments:overview", args=[draft.pk])).content.decode()
    assert "Due by Wednesday 31 July 2019 (until midnight, Brussels time)" in page and "extended: Elections" in page


def test_the_suppliers_page_shows_the_share_of_each_segment_left_other_or_unknown(client, draft, reporter_at):
    from assessments.models import Supplier

    for name in ("Huawei", "Ericsson"):
        SupplierPresence.objects.create(assessment=draft, supplier=Supplier.objects.get(name=name))
    client.force_login(reporter_at)
    data = helpers.post_data(draft, Section.SUPPLIERS, **{"suppliers-0-share_core": "12",
                                                          "suppliers-1-share_core": "20.5"})
    client.post(section_url(draft, Section.SUPPLIERS), data)
    page = client.get(section_url(draft, Section.SUPPLIERS)).content.decode()
    table = page[page.index('id="segment-shares"'):]
    core = table[table.index('data-segment="share_core"'):]
    assert '<td class="listed">32.5</td>' in core and '<td class="remainder">67.5</td>' in core
    transport = table[table.index('data-segment="share_transport"'):]
    assert "not reported" in transport[:transport.index("</tr>")]


@pytest.mark.parametrize("section", [s for s in ASKED if s != Section.ATTACHMENTS])
def test_a_saves_reading_of_the_section_is_what_its_page_shows(draft, section):
    """A save merges into the section's saved values read straight from the rows (without a form per row): they are
    exactly the values the page's forms show, in every kind of field (choices, numbers, dates, text, criteria)."""
    helpers.fill(draft)
    rows = {"assessment": draft, "version__isnull": True}
    MeasureStatus.objects.filter(**rows, measure__code="SM02").update(
        status="planned", target_date=datetime.date(2020, 4, 30), note="Line one  \r\nline two ")
    SupplierPresence.objects.filter(**rows).update(share_core=Decimal("20.50"), share_access=Decimal("7"))
    supplier = SupplierPresence.objects.get(**rows)
    supplier.criteria = {**supplier.criteria, next(iter(supplier.criteria)): "yes"}
    supplier.save()
    questionnaire = draft.cycle.questionnaire
    forms = SectionForms(section, draft, questionnaire)
    shown = {stable_key(prefix, item, name): canonical(field, form[name].value())
             for prefix, item, form in SectionForms(section, draft, questionnaire).answer_forms()
             for name, field in form.fields.items() if name not in ROW_BOOKKEEPING}
    assert forms.values() == shown
    assert len(shown) > 4
    if section == Section.SUPPLIERS:
        assert "yes" in shown.values() and "20.5" in shown.values()


def test_a_post_naming_its_rows_by_id_alone_saves_into_those_rows(client, draft, reporter_at):
    """A page that sends no item keys (an older page left open) is read by its rows' ids."""
    client.force_login(reporter_at)
    data = {name: value for name, value in helpers.post_data(draft, Section.SCENARIOS, **{
        "scenarios-3-likelihood": 2, "scenarios-3-impact": 1}).items() if not name.endswith("-item")}
    assert any(name.endswith("-id") for name in data)
    assert client.post(section_url(draft, Section.SCENARIOS), data).status_code == 302
    saved = ScenarioRating.objects.get(assessment=draft, version=None, scenario__code="R4")
    assert (saved.likelihood, saved.impact) == (2, 1)
