import datetime
import hashlib
import json
import re

import pytest
import time_machine
from django.urls import reverse

from assessments import services
from assessments.models import (
    AssessmentVersion,
    ScenarioRating,
    ScopeAnswer,
    Section,
    SectionState,
    Status,
    Transition,
    UnsavedInput,
)
from assessments.population import Timeliness, member_timeliness
from portal import services as portal_services
from portal.models import BRUSSELS, Role
from tests import factories
from tests.assessments import helpers

pytestmark = pytest.mark.django_db

ON_TIME = datetime.datetime(2019, 7, 15, 23, 59, 59, 999999, tzinfo=BRUSSELS)
LATE = datetime.datetime(2019, 7, 16, 0, 0, 0, tzinfo=BRUSSELS)


def test_submitting_an_incomplete_draft_is_refused_with_what_is_missing(client, draft, lead_at):
    client.force_login(lead_at)
    response = client.post(reverse("assessments:submit", args=[draft.pk]), {"certify": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "cannot be submitted yet" in page and "#id_scenarios-0-likelihood" in page
    assert not AssessmentVersion.objects.exists()


def test_only_a_lead_reporter_submits(client, draft, reporter_at):
    helpers.fill(draft)
    client.force_login(reporter_at)
    assert client.get(reverse("assessments:submit", args=[draft.pk])).status_code == 403
    assert client.post(reverse("assessments:submit", args=[draft.pk]), {"certify": "1"}).status_code == 403
    assert not AssessmentVersion.objects.exists()


def test_submitting_freezes_a_hashed_version_and_shows_a_receipt(client, draft, lead_at):
    helpers.fill(draft)
    client.force_login(lead_at)
    summary = client.get(reverse("assessments:submit", args=[draft.pk])).content.decode()
    assert "Summary of what you are about to submit" in summary
    with time_machine.travel(ON_TIME, tick=False):
        response = client.post(reverse("assessments:submit", args=[draft.pk]), {"certify": "1"})
    version = AssessmentVersion.objects.get(assessment=draft)
    assert response["Location"] == reverse("assessments:receipt", args=[draft.pk, 1])
    assert version.number == 1 and member_timeliness(draft).state == Timeliness.ON_TIME
    canonical = json.dumps(version.snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert version.sha256 == hashlib.sha256(canonical.encode()).hexdigest()
    assert version.snapshot["answers"]["scope"]["method"] == "iso27005"
    assert len(version.snapshot["answers"]["scenarios"]) == 9
    # The submitted answers are rows of their own, apart from the draft's.
    assert ScenarioRating.objects.filter(version=version).count() == 9
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    receipt = client.get(response["Location"]).content.decode()
    assert version.sha256 in receipt and "Austria" in receipt and "15 July 2019, 23:59:59" in receipt
    assert "the first version was submitted on time" in receipt


def test_a_snapshot_changed_after_submission_is_flagged_on_the_version_page_and_the_receipt(client, draft, lead_at,
                                                                                           reviewer):
    helpers.fill(draft)
    version = services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    assert len(version.rows_digest) == 64  # recorded with the snapshot: what the review build checks the rows by
    warning = "no longer matches its SHA-256"
    client.force_login(lead_at)
    assert warning not in client.get(reverse("assessments:receipt", args=[draft.pk, 1])).content.decode()
    forged = {**version.snapshot, "submitted_by": "someone else"}
    AssessmentVersion.objects.filter(pk=version.pk).update(snapshot=forged)
    assert warning in client.get(reverse("assessments:receipt", args=[draft.pk, 1])).content.decode()
    client.force_login(reviewer)
    assert warning in client.get(reverse("assessments:version", args=[draft.pk, 1])).content.decode()


def test_the_service_itself_refuses_whoever_may_not_submit_the_draft_now(draft, reporter_at, lead_at, admin_user):
    """Whoever calls it (a page, the API, a command), the service checks: a lead reporter of the member state, and
    a draft that may still change."""
    helpers.fill(draft)
    for user in (reporter_at, factories.user(Role.LEAD_REPORTER, "FR"), admin_user):
        with pytest.raises(services.AssessmentLocked):
            services.assessment_submit(certify=True, assessment=draft, user=user)
    portal_services.cycle_close(cycle=draft.cycle)
    with pytest.raises(services.AssessmentLocked):
        services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    assert not AssessmentVersion.objects.exists()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_service_itself_refuses_an_incomplete_draft_and_says_what_is_missing(draft, lead_at):
    with pytest.raises(services.SubmissionRefused) as refused:
        services.assessment_submit(certify=True, assessment=draft, user=lead_at, confirm_unsaved=True,
                                   confirm_carried=True)
    assert Section.SCENARIOS in refused.value.missing
    assert not AssessmentVersion.objects.exists()


def test_the_service_itself_refuses_unsaved_input_until_the_lead_confirms_it_stays_out(draft, reporter_at, lead_at):
    helpers.fill(draft)
    state = SectionState.objects.get(assessment=draft, section=Section.SCOPE)
    UnsavedInput.objects.create(section_state=state, user=reporter_at, data={"scope.summary": "Typed, never saved"},
                                base_revision=state.revision)
    with pytest.raises(services.ConfirmationMissing) as refused:
        services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    assert refused.value.needed == {services.UNSAVED}
    assert not AssessmentVersion.objects.exists()
    version = services.assessment_submit(certify=True, assessment=draft, user=lead_at, confirm_unsaved=True)
    assert version.snapshot["answers"]["scope"]["summary"] != "Typed, never saved"


def test_a_submission_at_midnight_after_the_deadline_day_is_late_unless_extended(draft, lead_at, admin_user):
    helpers.fill(draft)
    with time_machine.travel(LATE, tick=False):
        services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    assert member_timeliness(draft).state == Timeliness.LATE
    assert member_timeliness(draft).late_by == datetime.timedelta(0)
    other = helpers.start(helpers.cycle_with_questionnaire(title="Another cycle"), lead_at)
    helpers.fill(other)
    factories.ExtensionFactory(milestone=other.cycle.milestones.get(), member_state=other.member_state,
                               granted_by=admin_user, reason="Government formation")
    with time_machine.travel(LATE, tick=False):
        services.assessment_submit(certify=True, assessment=other, user=lead_at)
        timeliness = member_timeliness(other)
    assert timeliness.state == Timeliness.ON_TIME
    assert timeliness.deadline.ends_at == datetime.datetime(2019, 8, 1, 0, 0, tzinfo=BRUSSELS)


def test_a_submitted_draft_can_no_longer_be_edited(client, draft, lead_at):
    helpers.fill(draft)
    services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    client.force_login(lead_at)
    url = reverse("assessments:section", args=[draft.pk, "scope"])
    assert "submitted and is read-only" in client.get(url).content.decode()
    page = client.post(url, helpers.post_data(draft, "scope", **{"scope-summary": "After the fact"}),
                       follow=True).content.decode()
    assert "kept because the draft was locked: it is not part of the draft" in page
    assert ScopeAnswer.objects.get(assessment=draft, version=None).summary != "After the fact"
    assert draft.versions.get().snapshot["answers"]["scope"]["summary"] != "After the fact"


def test_return_amend_resubmit_makes_version_2_and_leaves_version_1_unchanged(client, draft, lead_at, reviewer):
    helpers.fill(draft)
    v1 = services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    v1_hash, v1_snapshot = v1.sha256, v1.snapshot

    client.force_login(reviewer)
    response = client.post(reverse("assessments:return", args=[draft.pk]), {
        "why_scenarios": "Explain why R4 is rated low with one supplier at 60% of the core.",
        "item_scenarios": "R4", "comment": "Please clarify one point.",
    })
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.RETURNED

    client.force_login(lead_at)
    page = client.get(reverse("assessments:section", args=[draft.pk, "scenarios"])).content.decode()
    assert "Explain why R4 is rated low" in page
    data = helpers.post_data(draft, "scenarios", **{"scenarios-3-likelihood": 4, "scenarios-3-impact": 4,
                                                    "scenarios-3-justification": "Single supplier in the core."})
    assert client.post(reverse("assessments:section", args=[draft.pk, "scenarios"]), data).status_code == 302
    client.post(reverse("assessments:submit", args=[draft.pk]), {"certify": "1"})

    v2 = AssessmentVersion.objects.get(assessment=draft, number=2)
    v1.refresh_from_db()
    assert (v1.sha256, v1.snapshot) == (v1_hash, v1_snapshot)
    assert ScenarioRating.objects.get(version=v1, scenario__code="R4").level == "low"
    assert ScenarioRating.objects.get(version=v2, scenario__code="R4").level == "high"
    assert v2.sha256 != v1.sha256
    assert list(Transition.objects.filter(assessment=draft).values_list("from_status", "to_status")) == [
        ("draft", "submitted"), ("submitted", "returned"), ("returned", "submitted")]


def test_a_reviewer_accepts_a_submitted_version(client, draft, lead_at, reviewer):
    helpers.fill(draft)
    services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    client.force_login(reviewer)
    client.post(reverse("assessments:accept", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Status.ACCEPTED
    assert Transition.objects.filter(assessment=draft, to_status="accepted", actor=reviewer).exists()


def test_returning_without_naming_a_section_is_refused(client, draft, lead_at, reviewer):
    helpers.fill(draft)
    services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    client.force_login(reviewer)
    page = client.post(reverse("assessments:return", args=[draft.pk]), {"comment": "?"}).content.decode()
    assert "Name at least one section to clarify" in page


def test_the_receipt_pdf_is_produced(client, draft, lead_at):
    helpers.fill(draft)
    services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    client.force_login(lead_at)
    response = client.get(reverse("assessments:receipt_pdf", args=[draft.pk, 1]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="receipt-AT-v1.pdf"' in response["Content-Disposition"]


def test_a_version_page_shows_every_submitted_answer(client, draft, lead_at, reviewer):
    helpers.fill(draft)
    services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    client.force_login(reviewer)
    page = client.get(reverse("assessments:version", args=[draft.pk, 1])).content.decode()
    for expected in ("Risk scenarios", "Toolbox measures", "Threat actors", "Key assets", "Suppliers",
                     "Ericsson", "RP1: A strong link between the supplier and the government of a given third country",
                     "SM03", "Federal Chancellery", "Risks are highest in the core network.",
                     "Non-EU states or state-backed actors", "Local or global outage of 5G networks"):
        assert expected in page, expected
    assert ">organised-crime<" not in page and ">outage<" not in page and "RP1: no" not in page


def test_the_submissions_list_filters_by_status_and_lateness_and_sorts(client, reviewer, cycle, submit):
    from assessments.models import NationalAssessment

    for code, day in (("AT", 10), ("FR", 20), ("DE", 12)):
        submit(cycle, code, datetime.datetime(2019, 7, day, 12, tzinfo=BRUSSELS))
    NationalAssessment.objects.filter(member_state__eu_code="DE").update(status="accepted")
    client.force_login(reviewer)
    url = reverse("assessments:submissions", args=[cycle.pk])

    def names(**params):
        page = client.get(url, params).content.decode()
        return [n for n in ("Austria", "France", "Germany") if f">{n}</a>" in page]

    assert names() == ["Austria", "France", "Germany"]
    assert names(timeliness="late") == ["France"]
    assert names(timeliness="on_time") == ["Austria", "Germany"]
    assert names(status="accepted") == ["Germany"]
    page = client.get(url, {"sort": "-submitted"}).content.decode()
    assert page.index(">France<") < page.index(">Germany<") < page.index(">Austria<")


def test_the_reviewers_status_filter_offers_only_what_a_reviewer_can_see(client, reviewer, cycle, submit):
    submit(cycle, "AT", datetime.datetime(2019, 7, 10, 12, tzinfo=BRUSSELS))
    client.force_login(reviewer)
    url = reverse("assessments:submissions", args=[cycle.pk])
    page = client.get(url).content.decode()
    select = re.search(r'<select name="status".*?</select>', page, re.S).group(0)
    offered = re.findall(r'<option value="([^"]*)"', select)
    assert "draft" not in offered and ">Draft<" not in select
    assert {"submitted", "returned", "accepted"} <= set(offered)
    # Asked for drafts all the same (an old bookmark): refused beside the filter, never a list of drafts.
    page = client.get(url, {"status": "draft"}).content.decode()
    assert "Select a valid choice" in page
