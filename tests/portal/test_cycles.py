import datetime

import pytest
from django.urls import reverse

from assessments.models import ScopeAnswer
from portal.models import BRUSSELS, Extension, Milestone, ReportingCycle
from tests import factories
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


def test_an_admin_creates_a_cycle_covering_the_members_on_its_start_by_default(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("cycle_create"), {"title": "2021 review", "year": 2021, "starts_on": "2021-01-01",
                                                     "reminder_days": "14,7,1"})
    cycle = ReportingCycle.objects.get(title="2021 review")
    assert response["Location"] == reverse("cycle_detail", args=[cycle.pk])
    assert cycle.member_states.count() == 27 and not cycle.member_states.filter(eu_code="UK").exists()
    assert cycle.questionnaire.measures.count() == 29


def test_milestones_default_to_the_end_of_the_day_and_keep_due_and_met_apart(client, admin_user):
    client.force_login(admin_user)
    cycle = factories.cycle()
    client.post(reverse("milestone_create", args=[cycle.pk]), {
        "code": "EU-CRA", "title": "EU coordinated risk assessment", "scope": "eu", "due_date": "2019-10-01",
        "due_time": "23:59:59", "met_on": "2019-10-09"})
    milestone = Milestone.objects.get(code="EU-CRA")
    assert milestone.due_at == datetime.datetime(2019, 10, 1, 23, 59, 59, tzinfo=BRUSSELS)
    assert milestone.met_on == datetime.date(2019, 10, 9)
    page = client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert "9 Oct 2019" in page and "late" in page


def test_a_member_state_milestone_cannot_have_a_date_met(client, admin_user):
    client.force_login(admin_user)
    cycle = factories.cycle()
    response = client.post(reverse("milestone_create", args=[cycle.pk]), {
        "code": "NRA", "title": "Send", "scope": "member_state", "due_date": "2019-07-15", "due_time": "23:59:59",
        "met_on": "2019-07-10"})
    assert response.status_code == 400
    assert "Only EU-level steps have a date met" in response.content.decode()


def test_an_extension_is_granted_with_a_reason_and_must_end_after_the_deadline(client, admin_user):
    client.force_login(admin_user)
    cycle = factories.cycle()
    milestone = factories.milestone(cycle, tracks_submission=True)
    at = factories.member_state("AT")
    too_early = client.post(reverse("extension_grant", args=[milestone.pk]), {
        "member_state": at.pk, "due_date": "2019-07-10", "due_time": "23:59:59", "reason": "x"})
    assert "must end after the milestone" in too_early.content.decode()
    client.post(reverse("extension_grant", args=[milestone.pk]), {
        "member_state": at.pk, "due_date": "2019-07-31", "due_time": "23:59:59", "reason": "Elections"})
    assert milestone.effective_due_for(at) == datetime.datetime(2019, 7, 31, 23, 59, 59, tzinfo=BRUSSELS)
    assert Extension.objects.get().granted_by == admin_user


def test_closing_a_cycle_blocks_edits_with_a_message_and_reopening_for_one_member_state_allows_them(
    client, admin_user, reporter_at, reporter_fr
):
    cycle = helpers.cycle_with_questionnaire()
    draft_at, draft_fr = helpers.start(cycle, reporter_at), helpers.start(cycle, reporter_fr)
    client.force_login(admin_user)
    client.post(reverse("cycle_status", args=[cycle.pk]), {"action": "close"})

    client.force_login(reporter_at)
    url = reverse("assessments:section", args=[draft_at.pk, "scope"])
    page = client.get(url).content.decode()
    assert "The reporting cycle was closed by an admin." in page and "Drafts are locked since" in page
    assert client.post(url, helpers.post_data(draft_at, "scope", **{"scope-summary": "late"})).status_code == 403

    client.force_login(admin_user)
    client.post(reverse("reopening_grant", args=[cycle.pk]), {"member_state": reporter_at.member_state.pk,
                                                              "reason": "Late parliamentary approval"})
    client.force_login(reporter_at)
    assert client.post(url, helpers.post_data(draft_at, "scope", **{"scope-summary": "late"})).status_code == 302
    assert ScopeAnswer.objects.get(assessment=draft_at, version=None).summary == "late"
    client.force_login(reporter_fr)
    fr_url = reverse("assessments:section", args=[draft_fr.pk, "scope"])
    assert client.post(fr_url, helpers.post_data(draft_fr, "scope")).status_code == 403


def test_a_cycle_set_to_lock_on_deadline_locks_at_the_effective_deadline(reporter_at, admin_user):
    import time_machine

    cycle = helpers.cycle_with_questionnaire()
    ReportingCycle.objects.filter(pk=cycle.pk).update(lock_on_deadline=True)
    draft = helpers.start(cycle, reporter_at)
    with time_machine.travel(datetime.datetime(2019, 7, 15, 23, 59, 59, tzinfo=BRUSSELS), tick=False):
        assert type(draft).objects.get(pk=draft.pk).is_editable
    with time_machine.travel(datetime.datetime(2019, 7, 16, 0, 0, 0, tzinfo=BRUSSELS), tick=False):
        lock = type(draft).objects.get(pk=draft.pk).edit_lock
        assert lock.reason == "The submission deadline has passed."
        Extension.objects.create(milestone=cycle.milestones.get(), member_state=reporter_at.member_state,
                                 due_date=datetime.date(2019, 7, 20), reason="x", granted_by=admin_user)
        assert type(draft).objects.get(pk=draft.pk).is_editable


@pytest.mark.parametrize("name, args", [
    ("cycle_create", []), ("cycle_detail", ["cycle"]), ("cycle_edit", ["cycle"]), ("milestone_create", ["cycle"]),
])
def test_only_admins_reach_the_cycle_pages(client, reviewer, reporter_at, admin_user, name, args):
    cycle = factories.cycle()
    url = reverse(name, args=[cycle.pk for _ in args])
    for outsider in (reviewer, reporter_at):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
