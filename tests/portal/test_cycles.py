"""The admins' cycle pages: creating, milestones, extensions, closing and reopening, all kept as history."""

import datetime
import re

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse

from assessments.models import NationalAssessment, ScopeAnswer
from portal.deadlines import BRUSSELS, Deadline
from portal.models import Extension, Milestone, Reopening, ReportingCycle
from tests import factories
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


def test_an_admin_creates_a_cycle_covering_the_members_on_its_start_by_default(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("cycle_create"), {"title": "2021 review", "year": 2021, "starts_on": "2021-01-01",
                                                     "reminder_days": "14,7,1", "certifiers_required": 1})
    cycle = ReportingCycle.objects.get(title="2021 review")
    assert response["Location"] == reverse("cycle_detail", args=[cycle.pk])
    covered = cycle.covered_member_states()
    assert covered.count() == 27 and not covered.filter(eu_code="UK").exists()
    # What the cycle asks is the assessments app's page; it starts from the whole catalogue.
    client.get(reverse("assessments:questionnaire", args=[cycle.pk]))
    assert cycle.questionnaire.measures.count() == 29


def test_a_new_cycle_cannot_ask_a_member_state_that_was_not_a_member_on_its_start(client, admin_user):
    client.force_login(admin_user)
    uk = factories.member_state("UK")
    response = client.post(reverse("cycle_create"), {"title": "2021 review", "year": 2021, "starts_on": "2021-01-01",
                                                     "reminder_days": "14,7,1", "member_states": [uk.pk],
                                                     "certifiers_required": 1})
    assert response.status_code == 400
    assert "Not a member of the Union on 1 January 2021, so it cannot be asked: United Kingdom." in (
        response.content.decode())
    assert not ReportingCycle.objects.filter(title="2021 review").exists()


def test_milestones_default_to_the_end_of_the_day_and_keep_due_and_met_apart(client, admin_user):
    client.force_login(admin_user)
    cycle = factories.CycleFactory()
    client.post(reverse("milestone_create", args=[cycle.pk]), {
        "code": "EU-CRA", "title": "EU coordinated risk assessment", "scope": "eu", "due_date": "2019-10-01",
        "met_on": "2019-10-09"})
    milestone = Milestone.objects.get(code="EU-CRA")
    assert milestone.deadline == Deadline(datetime.date(2019, 10, 1))
    assert milestone.deadline.ends_at == datetime.datetime(2019, 10, 2, 0, 0, tzinfo=BRUSSELS)
    assert milestone.met_on == datetime.date(2019, 10, 9)
    page = client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert "9 Oct 2019" in page and "late" in page


@pytest.mark.parametrize("data, field, message", [
    ({"code": "NRA", "title": "Send", "scope": "member_state", "due_date": "2019-07-15", "met_on": "2019-07-10"},
     "met_on", "Only EU-level steps have a date met"),
    ({"code": "NRA-SUBMIT", "title": "Again", "scope": "member_state", "due_date": "2019-07-20"},
     "code", "This cycle already has a milestone with this code."),
    ({"code": "nra-submit", "title": "Again", "scope": "member_state", "due_date": "2019-07-20"},
     "code", "This cycle already has a milestone with this code."),
    ({"code": "OTHER", "title": "Second", "scope": "member_state", "due_date": "2019-07-20", "tracks_submission": "on"},
     "tracks_submission", "Another milestone of this cycle is already met by the national submission"),
    ({"code": "EU-CRA", "title": "EU step", "scope": "eu", "due_date": "2019-10-01", "tracks_submission": "on"},
     "tracks_submission", "Only a milestone of each member state is met by a submission."),
])
def test_milestone_mistakes_are_answered_beside_the_field(client, admin_user, data, field, message):
    client.force_login(admin_user)
    cycle = helpers.cycle_with_questionnaire()
    response = client.post(reverse("milestone_create", args=[cycle.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["form"].errors[field]
    assert cycle.milestones.count() == 1


def test_an_existing_milestone_cannot_become_a_second_submission_milestone_or_take_anothers_code(
    client, admin_user
):
    client.force_login(admin_user)
    cycle = helpers.cycle_with_questionnaire()
    submission = cycle.milestones.get()
    other = factories.MilestoneFactory(cycle=cycle, code="KEY-MEASURES", due_date=datetime.date(2020, 4, 30))
    url = reverse("milestone_edit", args=[cycle.pk, other.pk])
    data = {"code": "KEY-MEASURES", "title": "Key measures", "scope": "member_state", "due_date": "2020-04-30"}
    response = client.post(url, data | {"tracks_submission": "on"})
    assert response.status_code == 400
    page = response.content.decode()
    # Beside the field: crispy renders the message under the checkbox it is about.
    assert re.search(r'id="id_tracks_submission".*?Another milestone of this cycle is already met by the national '
                     r'submission', page, re.S)
    assert client.post(url, data | {"code": "NRA-SUBMIT"}).status_code == 400
    other.refresh_from_db()
    assert not other.tracks_submission and other.code == "KEY-MEASURES"
    # The submission milestone itself is saved as it is, and the other one without the flag.
    assert client.post(reverse("milestone_edit", args=[cycle.pk, submission.pk]), {
        "code": "NRA-SUBMIT", "title": "Send", "scope": "member_state", "due_date": "2019-07-16",
        "tracks_submission": "on"}).status_code == 302
    assert client.post(url, data | {"title": "Key measures taken"}).status_code == 302


def test_an_extension_is_granted_with_a_reason_and_must_end_after_the_deadline(client, admin_user):
    client.force_login(admin_user)
    cycle = factories.CycleFactory()
    milestone = factories.MilestoneFactory(cycle=cycle, tracks_submission=True)
    at = factories.member_state("AT")
    too_early = client.post(reverse("extension_grant", args=[milestone.pk]), {
        "member_state": at.pk, "due_date": "2019-07-15", "due_time": "23:00", "reason": "x"})
    assert "must end after the milestone" in too_early.content.decode()
    granted = client.post(reverse("extension_grant", args=[milestone.pk]), {
        "member_state": at.pk, "due_date": "2019-07-31", "reason": "Elections"}, follow=True)
    assert "Austria may submit until 31 July 2019 (Brussels time)." in granted.content.decode()
    deadline, extension = milestone.deadline_for(at)
    assert deadline == Deadline(datetime.date(2019, 7, 31)) and extension.granted_by == admin_user


def test_a_revoked_or_replaced_extension_stays_on_record(client, admin_user):
    client.force_login(admin_user)
    milestone = factories.MilestoneFactory(cycle=factories.CycleFactory(), tracks_submission=True)
    at = factories.member_state("AT")
    for day in ("2019-07-31", "2019-08-15"):
        client.post(reverse("extension_grant", args=[milestone.pk]), {"member_state": at.pk, "due_date": day,
                                                                      "reason": f"until {day}"})
    first, second = Extension.objects.order_by("granted_at", "pk")
    assert first.ended_at is not None and first.ended_by == admin_user and second.ended_at is None
    # Revoking asks first, saying what will happen; then ends it.
    confirm = client.get(reverse("extension_revoke", args=[second.pk])).content.decode()
    assert "goes back from 15 August 2019 to 15 July 2019" in confirm
    client.post(reverse("extension_revoke", args=[second.pk]))
    assert Extension.objects.count() == 2 and not Extension.objects.in_force().exists()
    assert milestone.deadline_for(at) == (milestone.deadline, None)
    page = client.get(reverse("cycle_detail", args=[milestone.cycle.pk])).content.decode()
    assert "until 2019-08-15" in page and "ended" in page


def test_closing_a_cycle_asks_first_then_blocks_edits_and_reopening_for_one_member_state_allows_them(
    client, admin_user, reporter_at, reporter_fr
):
    cycle = helpers.cycle_with_questionnaire()
    draft_at, draft_fr = helpers.start(cycle, reporter_at), helpers.start(cycle, reporter_fr)
    client.force_login(admin_user)
    confirm = client.get(reverse("cycle_close", args=[cycle.pk])).content.decode()
    assert "28 member states will be locked: they can no longer edit or submit their drafts." in confirm
    assert ReportingCycle.objects.get(pk=cycle.pk).is_open
    client.post(reverse("cycle_close", args=[cycle.pk]))

    client.force_login(reporter_at)
    url = reverse("assessments:section", args=[draft_at.pk, "scope"])
    page = client.get(url).content.decode()
    assert "The reporting cycle was closed by an admin." in page and "Drafts are locked since" in page
    client.post(url, helpers.post_data(draft_at, "scope", **{"scope-summary": "late"}))
    assert ScopeAnswer.objects.get(assessment=draft_at, version=None).summary == ""  # kept aside, not applied

    client.force_login(admin_user)
    client.post(reverse("reopening_grant", args=[cycle.pk]), {"member_state": reporter_at.member_state.pk,
                                                              "reason": "Late parliamentary approval"})
    client.force_login(reporter_at)
    assert client.post(url, helpers.post_data(draft_at, "scope", **{"scope-summary": "late"})).status_code == 302
    assert ScopeAnswer.objects.get(assessment=draft_at, version=None).summary == "late"
    client.force_login(reporter_fr)
    fr_url = reverse("assessments:section", args=[draft_fr.pk, "scope"])
    client.post(fr_url, helpers.post_data(draft_fr, "scope", **{"scope-summary": "FR late"}))
    assert ScopeAnswer.objects.get(assessment=draft_fr, version=None).summary == ""

    # Withdrawing the reopening ends it; the record stays.
    client.force_login(admin_user)
    client.post(reverse("reopening_end", args=[Reopening.objects.get().pk]))
    reopening = Reopening.objects.get()
    assert reopening.ended_at is not None and reopening.ended_by == admin_user
    assert not NationalAssessment.objects.get(pk=draft_at.pk).is_editable


def test_a_cycle_set_to_lock_on_deadline_locks_at_the_effective_deadline(reporter_at, admin_user):
    cycle = helpers.cycle_with_questionnaire()
    ReportingCycle.objects.filter(pk=cycle.pk).update(lock_on_deadline=True)
    draft = helpers.start(cycle, reporter_at)
    with time_machine.travel(datetime.datetime(2019, 7, 15, 23, 59, 59, 999999, tzinfo=BRUSSELS), tick=False):
        assert NationalAssessment.objects.get(pk=draft.pk).is_editable
    with time_machine.travel(datetime.datetime(2019, 7, 16, 0, 0, 0, tzinfo=BRUSSELS), tick=False):
        lock = NationalAssessment.objects.get(pk=draft.pk).edit_lock
        assert lock.reason == "The submission deadline has passed."
        factories.ExtensionFactory(milestone=cycle.milestones.get(), member_state=reporter_at.member_state,
                                   due_date=datetime.date(2019, 7, 20), granted_by=admin_user)
        assert NationalAssessment.objects.get(pk=draft.pk).is_editable


@pytest.mark.parametrize("name", ["cycle_create", "cycle_detail", "cycle_edit", "milestone_create", "milestone_edit",
                                  "cycle_close", "extension_grant", "extension_revoke"])
def test_only_admins_reach_the_cycle_pages(client, reviewer, reporter_at, lead_at, admin_user, name):
    cycle = factories.CycleFactory()
    milestone = factories.MilestoneFactory(cycle=cycle, tracks_submission=True)
    extension = factories.ExtensionFactory(milestone=milestone, member_state=reporter_at.member_state)
    args = {"cycle_create": [], "milestone_edit": [cycle.pk, milestone.pk], "extension_grant": [milestone.pk],
            "extension_revoke": [extension.pk]}.get(name, [cycle.pk])
    url = reverse(name, args=args)
    for outsider in (reviewer, reporter_at, lead_at):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
    cycle.refresh_from_db()
    extension.refresh_from_db()
    assert cycle.is_open and extension.ended_at is None  # nothing changed
    client.force_login(admin_user)
    assert client.get(url).status_code == 200


def _confirm_page(response):
    """The confirmation page's consequences, and where its Cancel goes."""
    page = response.content.decode()
    cancel = re.search(r'<a class="btn btn-link" href="([^"]+)">Cancel</a>', page).group(1)
    return page, cancel


def _cycle_entries(cycle):
    return LogEntry.objects.filter(content_type__model="reportingcycle", object_pk=str(cycle.pk),
                                   action=LogEntry.Action.UPDATE)


def test_closing_says_how_many_member_states_lock_and_changes_nothing_until_confirmed(client, admin_user):
    cycle = helpers.cycle_with_questionnaire(codes=["AT", "BE", "FR", "DE", "PL"])
    client.force_login(admin_user)
    client.post(reverse("reopening_grant", args=[cycle.pk]), {"member_state": factories.member_state("AT").pk,
                                                              "reason": "Late parliamentary approval"})
    page, cancel = _confirm_page(client.get(reverse("cycle_close", args=[cycle.pk])))
    assert "4 member states will be locked: they can no longer edit or submit their drafts." in page
    assert "Austria stays open: the cycle is reopened for it" in page
    assert 'type="submit">Close the cycle</button>' in page
    # Neither the confirmation page nor Cancel changes anything.
    assert cancel == reverse("cycle_detail", args=[cycle.pk])
    assert client.get(cancel).status_code == 200
    cycle.refresh_from_db()
    assert cycle.is_open and not _cycle_entries(cycle).exists()

    response = client.post(reverse("cycle_close", args=[cycle.pk]))
    assert response["Location"] == reverse("cycle_detail", args=[cycle.pk])
    cycle.refresh_from_db()
    assert not cycle.is_open
    entry = _cycle_entries(cycle).get()  # audited: who closed it
    assert entry.actor == admin_user and "status" in entry.changes
    # A closed cycle has nothing to confirm.
    assert client.get(reverse("cycle_close", args=[cycle.pk])).status_code == 404


def test_closing_a_cycle_of_27_says_27(client, admin_user):
    cycle = helpers.cycle_with_questionnaire(starts_on=datetime.date(2020, 6, 1), year=2020)
    client.force_login(admin_user)
    page, _cancel = _confirm_page(client.get(reverse("cycle_close", args=[cycle.pk])))
    assert "27 member states will be locked: they can no longer edit or submit their drafts." in page
    assert "stays open" not in page and "stay open" not in page


def test_revoking_says_whose_deadline_for_which_milestone_falls_back_to_which_day(client, admin_user):
    cycle = helpers.cycle_with_questionnaire(codes=["AT", "PL"])
    milestone = cycle.milestones.get()
    Milestone.objects.filter(pk=milestone.pk).update(title="National assessment sent", due_time=datetime.time(12))
    extension = factories.ExtensionFactory(milestone=milestone, member_state=factories.member_state("PL"),
                                           due_date=datetime.date(2019, 8, 15), granted_by=admin_user)
    url = reverse("extension_revoke", args=[extension.pk])
    with time_machine.travel(datetime.datetime(2019, 7, 20, tzinfo=BRUSSELS)):
        client.force_login(admin_user)
        page, cancel = _confirm_page(client.get(url))
    assert "Revoke the extension of Poland for NRA-SUBMIT?" in page
    assert ("Poland’s deadline for “National assessment sent” (NRA-SUBMIT) goes back from 15 August 2019 to "
            "15 July 2019, 12:00" in page.replace("&#x27;", "’").replace("'", "’"))
    assert "it is overdue at once" in page
    assert cancel == reverse("cycle_detail", args=[cycle.pk])
    client.get(cancel)
    extension.refresh_from_db()
    assert extension.ended_at is None and not LogEntry.objects.filter(
        content_type__model="extension", action=LogEntry.Action.UPDATE).exists()

    with time_machine.travel(datetime.datetime(2019, 7, 10, tzinfo=BRUSSELS)):
        client.force_login(admin_user)  # a session is younger than the time it is used at
        page, _cancel = _confirm_page(client.get(url))
    assert "overdue at once" not in page  # the milestone's deadline has not passed: nothing is late yet

    client.force_login(admin_user)
    client.post(url)
    extension.refresh_from_db()
    assert extension.ended_at is not None and extension.ended_by == admin_user
    assert LogEntry.objects.get(content_type__model="extension", action=LogEntry.Action.UPDATE).actor == admin_user
    assert client.get(url).status_code == 404  # already revoked: nothing to confirm
