"""Starting from last cycle's answers: prefill by catalogue code, carried over until confirmed, last answer beside
each question. Only the member state's own submitted versions are ever used."""

import datetime
import html

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import (
    AssessmentVersion,
    CarriedAnswer,
    LeftBehind,
    NationalAssessment,
    Prefill,
    RevisionKind,
    ScenarioRating,
    ScopeAnswer,
    Section,
    SectionRevision,
    Settled,
    SupplierPresence,
)
from assessments.questionnaire.sections import SectionForms
from portal.models import Role
from tests import factories
from tests.assessments import helpers
from tests.assessments.test_workbook import download, upload

pytestmark = pytest.mark.django_db

V1_SUMMARY = "Risks are highest in the core network."
V2_SUMMARY = "Since version 2: the core and the RAN carry the highest risks."
DRAFT_ONLY = "Typed in the returned 2019 draft and never submitted."
FRENCH = "Synthèse française: le cœur de réseau concentre les risques."


@pytest.fixture
def earlier(lead_at, reviewer):
    """Austria's 2019 assessment: version 1, returned, version 2 with a new summary (R1 rated 5 x 1), returned
    again and changed in the draft since; France's 2019 version with answers of its own."""
    cycle = helpers.cycle_with_questionnaire()
    austria = helpers.fill(services.assessment_start(cycle=cycle, member_state=lead_at.member_state, user=lead_at))
    services.assessment_submit(certify=True, assessment=austria, user=lead_at)
    services.assessment_return(assessment=austria, user=reviewer, points=[(Section.SCOPE, "", "Say more.")])
    draft = {"assessment": austria, "version__isnull": True}
    ScopeAnswer.objects.filter(**draft).update(summary=V2_SUMMARY)
    ScenarioRating.objects.filter(**draft, scenario__code="R1").update(likelihood=5, impact=1, level="medium")
    ScenarioRating.objects.filter(**draft, scenario__code="R9").update(justification="R9 stays behind.")
    v2 = services.assessment_submit(certify=True, assessment=austria, user=lead_at)
    services.assessment_return(assessment=austria, user=reviewer, points=[(Section.SCOPE, "", "Once more.")])
    ScopeAnswer.objects.filter(**draft).update(summary=DRAFT_ONLY)
    lead_fr = factories.user(Role.LEAD_REPORTER, "FR")
    france = helpers.fill(services.assessment_start(cycle=cycle, member_state=lead_fr.member_state, user=lead_fr))
    ScopeAnswer.objects.filter(assessment=france, version=None).update(summary=FRENCH)
    ScopeAnswer.objects.filter(assessment=france, version=None).update(operators_consulted="Orange, SFR")
    services.assessment_submit(certify=True, assessment=france, user=lead_fr)
    return v2


@pytest.fixture
def update_cycle(earlier):
    """This year's update: no longer asks R9 nor criterion RP5, and rates likelihood on 1-4."""
    cycle = helpers.cycle_with_questionnaire(title="2026 update", year=2026, starts_on=datetime.date(2026, 1, 1),
                                             due=datetime.date(2027, 7, 15))
    questionnaire = cycle.questionnaire
    questionnaire.scenarios.remove(*questionnaire.scenarios.filter(code="R9"))
    questionnaire.criteria.remove(*questionnaire.criteria.filter(code="RP5"))
    questionnaire.likelihood_levels = 4
    questionnaire.save()
    return cycle


def text(response):
    return html.unescape(response.content.decode())


def start_url(cycle):
    return reverse("assessments:start", args=[cycle.pk])


def values(assessment, section):
    return SectionForms(section, assessment, assessment.cycle.questionnaire).values()


def prefilled(client, cycle, user, version):
    client.force_login(user)
    response = client.post(start_url(cycle), {"start_from": str(version.pk)})
    assert response.status_code == 302
    return NationalAssessment.objects.get(cycle=cycle, member_state=user.member_state)


def test_a_member_state_that_submitted_before_chooses_how_to_start(client, update_cycle, earlier, lead_at):
    client.force_login(lead_at)
    # The home page's button posts without a choice: the page asks, and nothing is started yet.
    page = client.post(start_url(update_cycle))
    assert page.status_code == 200
    body = text(page)
    assert "From our last submitted answers in 2019 national risk assessments (version 2" in body
    assert "Start empty" in body
    assert not NationalAssessment.objects.filter(cycle=update_cycle).exists()
    assert client.get(start_url(update_cycle)).status_code == 200


def test_prefill_copies_every_answer_still_asked_and_lists_what_stays_behind(client, update_cycle, earlier, lead_at):
    draft = prefilled(client, update_cycle, lead_at, earlier)
    assert draft.prefill.source == earlier
    old_questionnaire = earlier.assessment.cycle.questionnaire
    expected, stayed = {}, {}
    for section in Section:
        if section == Section.ATTACHMENTS:
            continue
        old = SectionForms(section, None, old_questionnaire, version=earlier).values()
        new = values(draft, section)
        for key, value in old.items():
            if value != "":
                (expected if key in new else stayed)[key] = value
    refused = {"scenarios.R1.likelihood"}  # 5 on a scale that now ends at 4
    for section in Section:
        if section != Section.ATTACHMENTS:
            for key, value in values(draft, section).items():
                assert value == ("" if key in refused else expected.get(key, "")), key
    left = {entry["key"]: entry["reason"] for entry in draft.prefill.left_behind}
    assert left == {**dict.fromkeys(stayed, LeftBehind.NOT_ASKED), "scenarios.R1.likelihood": LeftBehind.REFUSED}
    assert {"scenarios.R9.justification", "suppliers.Ericsson.criterion_RP5"} <= set(stayed)
    # The version's own answers, never its draft's, nor another member state's.
    assert ScopeAnswer.objects.get(assessment=draft, version=None).summary == V2_SUMMARY
    assert ScopeAnswer.objects.get(assessment=draft, version=None).operators_consulted == "A1 Telekom, Magenta, Drei"
    # Each value copied is carried over, unconfirmed, once; the overview says so, and what stayed behind.
    assert draft.prefill.carried == len(expected) - len(refused) == CarriedAnswer.objects.unconfirmed().filter(
        section_state__assessment=draft).count()
    overview = text(client.get(reverse("assessments:overview", args=[draft.pk])))
    assert f"{draft.prefill.carried} answers were carried over" in overview
    assert "answers could not be carried over" in overview and "no longer asked in this cycle" in overview
    assert "R9 stays behind." in overview and "Select a valid choice. 5 is not one of the available" in overview


def test_the_draft_history_starts_with_the_prefill_and_its_source(client, update_cycle, earlier, lead_at):
    draft = prefilled(client, update_cycle, lead_at, earlier)
    first = SectionRevision.objects.get(section_state__assessment=draft, section_state__section="scope", number=0)
    assert first.kind == RevisionKind.PREFILL and first.user == lead_at
    assert first.changes["scope.summary"] == ["", V2_SUMMARY]
    page = text(client.get(reverse("assessments:history", args=[draft.pk, "scope"])))
    assert "from your answers in 2019 national risk assessments (version 2)" in page


def test_another_member_states_version_is_never_a_source(client, update_cycle, earlier, lead_at):
    french = AssessmentVersion.objects.get(assessment__member_state__eu_code="FR")
    client.force_login(lead_at)
    response = client.post(start_url(update_cycle), {"start_from": str(french.pk)})
    assert response.status_code == 400
    assert "Choose one of your member state's earlier versions" in text(response)
    assert not NationalAssessment.objects.filter(cycle=update_cycle).exists()
    with pytest.raises(ValueError):
        services.assessment_start(cycle=update_cycle, member_state=lead_at.member_state, user=lead_at, source=french)
    assert not NationalAssessment.objects.filter(cycle=update_cycle).exists()


def test_starting_empty_copies_nothing_and_a_first_filer_is_never_asked(client, update_cycle, earlier, lead_at):
    client.force_login(lead_at)
    assert client.post(start_url(update_cycle), {"start_from": "empty"}).status_code == 302
    draft = NationalAssessment.objects.get(cycle=update_cycle, member_state=lead_at.member_state)
    assert not Prefill.objects.filter(assessment=draft).exists()
    assert ScopeAnswer.objects.get(assessment=draft, version=None).summary == ""
    # Poland never submitted: its button starts at once, as before.
    polish = factories.user(Role.REPORTER, "PL")
    client.force_login(polish)
    assert client.post(start_url(update_cycle)).status_code == 302
    assert NationalAssessment.objects.filter(cycle=update_cycle, member_state=polish.member_state).exists()


def unconfirmed(draft):
    return set(CarriedAnswer.objects.unconfirmed().filter(section_state__assessment=draft).values_list("key",
                                                                                                        flat=True))


def test_editing_or_confirming_clears_the_mark(client, update_cycle, earlier, lead_at):
    draft = prefilled(client, update_cycle, lead_at, earlier)
    colleague = factories.user(Role.REPORTER, "AT")
    client.force_login(colleague)
    url = reverse("assessments:section", args=[draft.pk, "scope"])
    data = helpers.post_data(draft, Section.SCOPE, **{"scope-summary": "Rewritten for 2026."})
    assert client.post(url, data, headers={"X-Autosave": "1"}).json()["status"] == "saved"
    edited = CarriedAnswer.objects.get(section_state__assessment=draft, key="scope.summary")
    assert (edited.settled, edited.settled_by) == (Settled.EDITED, colleague)
    assert "scope.operators_consulted" in unconfirmed(draft)

    confirm = reverse("assessments:carried_confirm", args=[draft.pk, "scenarios"])
    assert client.post(confirm, {"question": "item:R4"}).status_code == 302
    assert not {key for key in unconfirmed(draft) if key.startswith("scenarios.R4.")}
    assert {key for key in unconfirmed(draft) if key.startswith("scenarios.R5.")}
    response = client.post(reverse("assessments:carried_confirm", args=[draft.pk, "threats"]), {"question": "all"},
                           follow=True)
    assert "carried-over answers confirmed as still holding" in text(response)
    assert not {key for key in unconfirmed(draft) if key.startswith(("actors.", "threats."))}
    confirmed = CarriedAnswer.objects.filter(section_state__assessment=draft, key__startswith="actors.").first()
    assert (confirmed.settled, confirmed.settled_by) == (Settled.CONFIRMED, colleague)

    overview = text(client.get(reverse("assessments:overview", args=[draft.pk])))
    scenario_count = len({k for k in unconfirmed(draft) if k.startswith("scenarios.")})
    assert f"{scenario_count} carried-over answers to confirm" in overview


def test_another_member_state_cannot_confirm(client, update_cycle, earlier, lead_at):
    draft = prefilled(client, update_cycle, lead_at, earlier)
    before = unconfirmed(draft)
    client.force_login(factories.user(Role.LEAD_REPORTER, "FR"))
    confirm = reverse("assessments:carried_confirm", args=[draft.pk, "scope"])
    assert client.post(confirm, {"question": "all"}).status_code == 404
    client.force_login(factories.user(Role.REVIEWER))
    assert client.post(confirm, {"question": "all"}).status_code == 404
    assert unconfirmed(draft) == before


def test_the_submit_page_lists_unconfirmed_answers_and_asks_before_submitting(client, update_cycle, earlier,
                                                                              lead_at):
    draft = prefilled(client, update_cycle, lead_at, earlier)
    # What the prefill could not carry (R1's likelihood) is answered now: the draft is complete.
    ScenarioRating.objects.filter(assessment=draft, version=None, scenario__code="R1").update(likelihood=1,
                                                                                              level="low")
    client.post(reverse("assessments:carried_confirm", args=[draft.pk, "measures"]), {"question": "all"})
    url = reverse("assessments:submit", args=[draft.pk])
    page = text(client.get(url))
    assert "Answers carried over from 2019 national risk assessments that nobody has confirmed" in page
    assert "Scope and method" in page and "Summary" in page
    assert "Toolbox measures" not in page.split('id="carried"')[1].split("</section>")[0]
    refused = client.post(url, {"certify": "1"})
    assert refused.status_code == 400
    assert "Confirm that you have read the carried-over answers" in text(refused)
    assert not draft.versions.exists()
    assert client.post(url, {"certify": "1", "confirm_carried": "1"}).status_code == 302
    assert draft.versions.count() == 1
    assert not unconfirmed(draft)
    settled_on_submit = CarriedAnswer.objects.filter(section_state__assessment=draft, key="scope.summary").get()
    assert (settled_on_submit.settled, settled_on_submit.settled_by) == (Settled.CONFIRMED, lead_at)


def test_the_service_itself_refuses_unconfirmed_carried_over_answers_until_the_lead_confirms_them(
        client, update_cycle, earlier, lead_at):
    draft = prefilled(client, update_cycle, lead_at, earlier)
    ScenarioRating.objects.filter(assessment=draft, version=None, scenario__code="R1").update(likelihood=1,
                                                                                              level="low")
    with pytest.raises(services.ConfirmationMissing) as refused:
        services.assessment_submit(certify=True, assessment=draft, user=lead_at, confirm_unsaved=True)
    assert refused.value.needed == {services.CARRIED}
    assert not draft.versions.exists() and unconfirmed(draft)
    services.assessment_submit(certify=True, assessment=draft, user=lead_at, confirm_carried=True)
    assert draft.versions.count() == 1 and not unconfirmed(draft)


def test_the_last_answer_beside_each_question_is_the_own_last_submitted_version(client, update_cycle, earlier,
                                                                                lead_at):
    client.force_login(lead_at)
    client.post(start_url(update_cycle), {"start_from": "empty"})
    draft = NationalAssessment.objects.get(cycle=update_cycle, member_state=lead_at.member_state)
    url = reverse("assessments:section", args=[draft.pk, "scope"])
    page = text(client.get(url))
    assert "Your answer in 2019 national risk assessments (version 2)" in page
    assert V2_SUMMARY in page
    assert V1_SUMMARY not in page and DRAFT_ONLY not in page and FRENCH not in page and "Orange, SFR" not in page
    # Empty now, so every earlier answer has changed since; typed the same again, the summary no longer has.
    assert page.count("changed since") >= 2
    data = helpers.post_data(draft, Section.SCOPE, **{"scope-summary": V2_SUMMARY})
    client.post(url, data)
    earlier_block = text(client.get(url)).split('class="earlier-answer')[1].split("</details>")[0]
    summary_line = earlier_block.split(V2_SUMMARY)[1].split("</dd>")[0]
    assert "changed since" not in summary_line
    scenarios = text(client.get(reverse("assessments:section", args=[draft.pk, "scenarios"])))
    assert scenarios.count("Your answer in 2019 national risk assessments (version 2)") == 8  # R1-R8 still asked


def test_a_workbook_import_is_an_edit_and_an_unchanged_one_confirms_nothing(client, update_cycle, earlier, lead_at):
    draft = prefilled(client, update_cycle, lead_at, earlier)
    before = unconfirmed(draft)
    assert upload(client, draft, download(client, draft)).status_code == 302
    assert unconfirmed(draft) == before
    workbook = download(client, draft)
    workbook["Scope and method"]["B6"] = "Summary typed offline."
    assert upload(client, draft, workbook).status_code == 302
    assert unconfirmed(draft) == before - {"scope.summary"}


def test_the_section_page_reads_a_fixed_number_of_queries_whatever_the_suppliers(client, update_cycle, earlier,
                                                                                  lead_at, same_queries):
    draft = prefilled(client, update_cycle, lead_at, earlier)
    url = reverse("assessments:section", args=[draft.pk, "suppliers"])

    def grow():
        from assessments.models import Supplier

        for supplier in Supplier.objects.exclude(name="Ericsson")[:3]:
            SupplierPresence.objects.create(assessment=earlier.assessment, version=earlier, supplier=supplier,
                                            share_core=1)
            SupplierPresence.objects.create(assessment=draft, supplier=supplier, share_core=1)
            CarriedAnswer.objects.create(section_state=draft.section_states.get(section="suppliers"),
                                         key=f"suppliers.{supplier.name}.share_core", item=supplier.name)

    same_queries(lambda: client.get(url), grow)
