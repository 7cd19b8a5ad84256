"""Two reporters on one draft: changes to different fields merge; the same field, changed differently, is
settled field by field; nothing acknowledged is ever lost, and nobody conflicts with themself."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import (
    RefusalReason,
    ScopeAnswer,
    Section,
    SectionRevision,
    SectionState,
    Supplier,
    SupplierPresence,
    ThreatActorRating,
    UnsavedInput,
)
from tests import factories
from tests.assessments import helpers
from tests.signing_in import PortalClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    return factories.user("reporter", "AT", username="bernd-at")


def scope_url(draft):
    return reverse("assessments:section", args=[draft.pk, Section.SCOPE.value])


def save(draft, user, base, section=Section.SCOPE, **values):
    return services.section_save(assessment=draft, section=section, mine=values, base_revision=base, user=user)


def scope(draft):
    return ScopeAnswer.objects.get(assessment=draft, version=None)


def test_changes_to_different_fields_merge_without_a_conflict(draft, reporter_at, colleague):
    first = save(draft, reporter_at, 0, **{"scope.summary": "Anna's summary"})
    second = save(draft, colleague, 0, **{"scope.operators_consulted": "Bernd's operators"})
    assert (first.outcome, second.outcome) == (services.Outcome.SAVED, services.Outcome.SAVED)
    assert (scope(draft).summary, scope(draft).operators_consulted) == ("Anna's summary", "Bernd's operators")
    assert SectionRevision.objects.filter(section_state__assessment=draft, section_state__section="scope",
                                          kind="merge").count() == 1


def test_keep_my_version_never_reverts_a_colleagues_other_field(client, draft, reporter_at, colleague):
    """Anna autosaves the summary; Bernd, on a page opened before, edits another field and the summary differently,
    gets the conflict on the summary only, and keeps his: Anna's other work stays, and hers is in the history."""
    save(draft, reporter_at, 0, **{"scope.summary": "Anna's summary", "scope.method": "national"})
    stale = {"scope.summary": "Bernd's summary", "scope.operators_consulted": "Bernd's operators",
             "scope.method": ""}  # Bernd's page still shows the method empty: he did not change it
    result = save(draft, colleague, 0, **stale)
    assert result.outcome is services.Outcome.CONFLICT
    assert list(result.conflicts) == ["scope.summary"]
    bernd = PortalClient()
    bernd.force_login(colleague)
    page = bernd.get(scope_url(draft))
    assert page.status_code == 200  # a page that shows a conflict is still a page
    text = page.content.decode()
    assert "Anna&#x27;s summary" in text and "Bernd&#x27;s summary" in text
    assert "None |" not in text and "object (" not in text
    bernd.post(reverse("assessments:resolve_conflict", args=[draft.pk, "scope"]), {"choice:scope.summary": "mine"})
    after = scope(draft)
    assert (after.summary, after.method, after.operators_consulted) == (
        "Bernd's summary", "national", "Bernd's operators")
    history = [rev.values.get("scope.summary") for rev in SectionRevision.objects.filter(
        section_state__assessment=draft, section_state__section="scope")]
    assert "Anna's summary" in history
    assert not UnsavedInput.objects.exists()


def test_choosing_the_colleagues_version_keeps_ones_other_changes(draft, reporter_at, colleague):
    save(draft, reporter_at, 0, **{"scope.summary": "Anna's"})
    save(draft, colleague, 0, **{"scope.summary": "Bernd's", "scope.method_detail": "Bernd's method"})
    services.conflict_resolve(assessment=draft, section=Section.SCOPE, user=colleague,
                              choices={"scope.summary": "theirs"})
    assert (scope(draft).summary, scope(draft).method_detail) == ("Anna's", "Bernd's method")


def test_the_same_users_quick_saves_never_conflict_with_each_other(draft, reporter_at):
    """An autosave and a Save sent before the autosave's answer arrived: both from revision 0."""
    save(draft, reporter_at, 0, **{"scope.summary": "Typed"})
    second = save(draft, reporter_at, 0, **{"scope.summary": "Typed", "scope.method_detail": "More typed"})
    assert second.outcome is services.Outcome.SAVED
    assert (scope(draft).summary, scope(draft).method_detail) == ("Typed", "More typed")


def test_rows_a_colleague_added_or_removed_merge_as_rows(draft, reporter_at, colleague):
    state = SectionState.objects.get(assessment=draft, section=Section.SUPPLIERS)
    services.supplier_add(assessment=draft, supplier=Supplier.objects.get(name="Nokia"), user=reporter_at)
    services.supplier_add(assessment=draft, supplier=Supplier.objects.get(name="Samsung"), user=reporter_at)
    opened = SectionState.objects.get(pk=state.pk).revision
    # Bernd adds Ericsson and removes Samsung while Anna, on her open page, types Nokia's core share.
    services.supplier_add(assessment=draft, supplier=Supplier.objects.get(name="Ericsson"), user=colleague)
    services.supplier_remove(assessment=draft, row=SupplierPresence.objects.get(supplier__name="Samsung"),
                             user=colleague)
    result = save(draft, reporter_at, opened, Section.SUPPLIERS, **{"suppliers.Nokia.share_core": "40",
                                                                    "suppliers.Samsung.share_core": ""})
    assert result.outcome is services.Outcome.SAVED
    rows = dict(SupplierPresence.objects.filter(assessment=draft, version=None).values_list("supplier__name",
                                                                                            "share_core"))
    assert set(rows) == {"Nokia", "Ericsson"} and rows["Nokia"] == 40
    # Had she typed into Samsung, the row removed under her: a conflict, not a silent resurrection or loss.
    result = save(draft, reporter_at, opened, Section.SUPPLIERS, **{"suppliers.Samsung.share_core": "10"})
    assert result.outcome is services.Outcome.CONFLICT and "suppliers.Samsung.share_core" in result.conflicts


def test_the_conflict_table_names_rows_by_their_question_and_field(client, draft, reporter_at, colleague):
    save(draft, reporter_at, 0, Section.THREATS, **{"actors.state.capability": "5"})
    save(draft, colleague, 0, Section.THREATS, **{"actors.state.capability": "3"})
    client.force_login(colleague)
    page = client.get(reverse("assessments:section", args=[draft.pk, "threats"])).content.decode()
    table = page[page.index('id="conflict"'):]
    assert "Non-EU states or state-backed actors" in table and "Capability" in table
    assert "5 – very high" in table and "3 – medium" in table
    assert "object (" not in table and "None" not in table


def test_every_accepted_save_is_in_the_history_and_an_earlier_value_can_be_restored(client, draft, reporter_at):
    client.force_login(reporter_at)
    for text in ("First words.", "Second words."):
        save(draft, reporter_at, SectionState.objects.get(assessment=draft, section="scope").revision,
             **{"scope.summary": text})
    page = client.get(reverse("assessments:history", args=[draft.pk, "scope"])).content.decode()
    assert "First words." in page and "Second words." in page
    revision = SectionRevision.objects.get(section_state__assessment=draft, section_state__section="scope",
                                           number=2)
    client.post(reverse("assessments:restore", args=[draft.pk, "scope"]),
                {"revision": revision.number, "key": "scope.summary"})
    assert scope(draft).summary == "First words."
    assert SectionRevision.objects.filter(section_state__assessment=draft, kind="restore").exists()


def test_a_save_refused_by_a_lock_is_kept_and_said(client, draft, reporter_at, admin_user):
    from portal import services as portal_services

    client.force_login(reporter_at)
    data = helpers.post_data(draft, Section.SCOPE, **{"scope-summary": "Typed just before the lock"})
    portal_services.cycle_close(cycle=draft.cycle)
    response = client.post(scope_url(draft), data, headers={"X-Autosave": "1"})
    assert response.status_code == 423 and response.json()["status"] == "locked"
    assert "What you typed is kept as your unsaved input" in response.json()["message"]
    kept = UnsavedInput.objects.get(user=reporter_at)
    assert kept.reason == RefusalReason.LOCKED and kept.data["scope.summary"] == "Typed just before the lock"
    page = client.get(scope_url(draft)).content.decode()
    assert "kept because the draft was locked: it is not part of the draft" in page
    assert "Typed just before the lock" not in page  # a read-only page shows only saved values
    # Reopened, the input comes back on the page, still unsaved.
    portal_services.reopening_grant(cycle=draft.cycle, member_state=draft.member_state, until=None, reason="x",
                                    user=admin_user)
    page = client.get(scope_url(draft)).content.decode()
    assert "Typed just before the lock" in page and 'data-unsaved="1"' in page


def test_refused_input_never_looks_saved_and_the_submit_page_asks_about_it(client, draft, reporter_at, lead_at):
    helpers.fill(draft)
    client.force_login(reporter_at)
    supplier = SupplierPresence.objects.get(assessment=draft, version=None)
    data = helpers.post_data(draft, Section.SUPPLIERS, **{"suppliers-0-share_core": "100.5"})
    client.post(reverse("assessments:section", args=[draft.pk, "suppliers"]), data)
    overview = client.get(reverse("assessments:overview", args=[draft.pk])).content.decode()
    suppliers = overview[overview.index(">4. Suppliers<"):]
    assert "Has unsaved or refused input" in suppliers[:suppliers.index("</li>")]
    assert "Unsaved input by anna-at" in suppliers[:suppliers.index("</li>")]
    client.force_login(lead_at)
    page = client.get(reverse("assessments:submit", args=[draft.pk])).content.decode()
    assert "Input not part of the draft" in page and "Suppliers: by anna-at" in page
    refused = client.post(reverse("assessments:submit", args=[draft.pk]), {"certify": "1"})
    assert refused.status_code == 400 and not draft.versions.exists()
    client.post(reverse("assessments:submit", args=[draft.pk]), {"certify": "1", "confirm_unsaved": "1"})
    version = draft.versions.get()
    assert version.snapshot["answers"]["suppliers"][0]["share_core"] == "60"  # the saved value, not 100.5
    supplier.refresh_from_db()
    assert supplier.share_core == 60


def test_an_unknown_base_revision_merges_only_identical_values(draft, reporter_at, colleague):
    """A post without its revision (an old page, a tampered form): nothing of a colleague's is overwritten."""
    save(draft, colleague, 0, **{"scope.summary": "Colleague's"})
    result = save(draft, reporter_at, -1, **{"scope.summary": "Mine"})
    assert result.outcome is services.Outcome.CONFLICT and scope(draft).summary == "Colleague's"
    assert save(draft, reporter_at, -1, **{"scope.summary": "Colleague's"}).outcome is services.Outcome.SAVED


def test_autosave_reports_the_conflict(client, draft, reporter_at, colleague):
    save(draft, colleague, 0, **{"scope.summary": "Bernd's"})
    client.force_login(reporter_at)
    data = helpers.post_data(draft, Section.SCOPE, **{"scope-summary": "Anna's", "_revision": 0})
    response = client.post(scope_url(draft), data, headers={"X-Autosave": "1"})
    assert response.status_code == 409 and response.json()["status"] == "conflict"
    assert scope(draft).summary == "Bernd's"


def test_two_saves_of_different_rows_by_different_users_both_land(draft, reporter_at, colleague):
    save(draft, reporter_at, 0, Section.THREATS, **{"actors.state.capability": "5"})
    save(draft, colleague, 0, Section.THREATS, **{"actors.insider.intent": "2"})
    values = dict(ThreatActorRating.objects.filter(assessment=draft, version=None).values_list(
        "actor__code", "capability"))
    assert values["state"] == 5
    assert ThreatActorRating.objects.get(assessment=draft, version=None, actor__code="insider").intent == 2
