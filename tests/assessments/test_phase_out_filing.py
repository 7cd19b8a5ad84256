"""A member state's staff keep the phase-out tracker with their draft; it is frozen with the version they submit."""

import datetime

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentVersion, KeyAssetClass, PhaseOutEntry, Supplier
from portal.models import Role
from tests import factories
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracked(reporter_at):
    cycle = helpers.phase_out_cycle(codes=["AT", "FR"])
    return helpers.start(cycle, reporter_at)


def row_post(**overrides):
    data = {"operator": "Operator A", "asset_class": KeyAssetClass.objects.get(code="core").pk,
            "supplier": Supplier.objects.get(name="Huawei").pk, "components_present": "on",
            "planned_removal_on": "2028-06-30", "progress": "40", "removed_on": "", "note": "Swap under way."}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_filer_adds_a_row_and_sees_its_deadline_and_status(client, reporter_at, tracked):
    client.force_login(reporter_at)
    response = client.post(reverse("assessments:phase_out", args=[tracked.pk]), row_post(), follow=True)
    entry = PhaseOutEntry.objects.get(assessment=tracked, version=None)
    assert (entry.operator, entry.progress, entry.planned_removal_on) == ("Operator A", 40,
                                                                          datetime.date(2028, 6, 30))
    page = response.content.decode()
    assert "Operator A" in page and "31 March 2029" in page and "On track" in page


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"progress": "140"}, "progress", "less than or equal to 100"),
    ({"planned_removal_on": "2026-01-15"}, "planned_removal_on", "cannot be before the designation"),
    ({"components_present": None}, "planned_removal_on", "no components of this supplier are present"),
    ({"removed_on": "2026-11-10"}, "progress", "fully replaced"),
    ({"removed_on": "2099-01-10", "progress": "100"}, "removed_on", "still to come"),
    ({"supplier": "Ericsson"}, "supplier", "Select a valid choice"),  # not designated: not offered
    ({"operator": "  "}, "operator", "This field is required"),
])
def test_bad_input_is_refused_beside_its_field_and_kept(client, reporter_at, tracked, overrides, field, message):
    if overrides.get("supplier") == "Ericsson":
        overrides = {**overrides, "supplier": Supplier.objects.get(name="Ericsson").pk}
    client.force_login(reporter_at)
    response = client.post(reverse("assessments:phase_out", args=[tracked.pk]), row_post(**overrides))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert response.context["form"]["note"].value() == "Swap under way."  # what was typed is shown again
    assert not PhaseOutEntry.objects.filter(assessment=tracked).exists()


def test_the_same_operator_asset_and_supplier_is_listed_once(client, reporter_at, tracked):
    helpers.phase_out_row(tracked, "Operator A", "core", "Huawei")
    client.force_login(reporter_at)
    response = client.post(reverse("assessments:phase_out", args=[tracked.pk]), row_post())
    assert response.status_code == 400
    assert "already has a row" in " ".join(response.context["form"].errors["supplier"])
    assert PhaseOutEntry.objects.filter(assessment=tracked).count() == 1


def test_a_filer_edits_and_removes_a_row(client, reporter_at, tracked):
    entry = helpers.phase_out_row(tracked, "Operator A", "core", "Huawei", planned_removal_on=datetime.date(2028, 1, 1))
    client.force_login(reporter_at)
    url = reverse("assessments:phase_out_entry", args=[tracked.pk, entry.pk])
    client.post(url, row_post(planned_removal_on="2029-09-30", progress="10"))
    entry.refresh_from_db()
    assert entry.planned_removal_on == datetime.date(2029, 9, 30)
    page = client.get(reverse("assessments:phase_out", args=[tracked.pk])).content.decode()
    assert "At risk" in page  # moved after the deadline
    client.post(reverse("assessments:phase_out_remove", args=[tracked.pk, entry.pk]))
    assert not PhaseOutEntry.objects.filter(pk=entry.pk).exists()


def test_a_removal_date_alone_counts_as_complete(client, reporter_at, tracked):
    client.force_login(reporter_at)
    client.post(reverse("assessments:phase_out", args=[tracked.pk]), row_post(progress="", removed_on="2026-11-02"))
    assert PhaseOutEntry.objects.get(assessment=tracked).progress == 100


def test_another_member_states_staff_and_reviewers_never_reach_the_tracker(client, reporter_fr, reviewer, tracked):
    entry = helpers.phase_out_row(tracked, "Operator A", "core", "Huawei")
    for user in (reporter_fr, reviewer):
        client.force_login(user)
        assert client.get(reverse("assessments:phase_out", args=[tracked.pk])).status_code == 404
        assert client.post(reverse("assessments:phase_out", args=[tracked.pk]), row_post(operator="Operator Z")
                           ).status_code == 404
        assert client.post(reverse("assessments:phase_out_entry", args=[tracked.pk, entry.pk]),
                           row_post(note="changed")).status_code == 404
        assert client.post(reverse("assessments:phase_out_remove", args=[tracked.pk, entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.note == "" and PhaseOutEntry.objects.filter(assessment=tracked).count() == 1


def test_an_admin_reads_the_tracker_but_does_not_change_it(client, admin_user, tracked):
    entry = helpers.phase_out_row(tracked, "Operator A", "core", "Huawei")
    client.force_login(admin_user)
    assert client.get(reverse("assessments:phase_out", args=[tracked.pk])).status_code == 200
    assert client.post(reverse("assessments:phase_out_remove", args=[tracked.pk, entry.pk])).status_code == 403
    assert PhaseOutEntry.objects.filter(pk=entry.pk).exists()


def test_a_cycle_without_the_tracker_has_no_tracker_page(client, reporter_at, draft):
    client.force_login(reporter_at)
    assert client.get(reverse("assessments:phase_out", args=[draft.pk])).status_code == 404


def test_the_rows_are_frozen_with_the_version(client, reviewer, tracked):
    lead = factories.user(Role.LEAD_REPORTER, "AT")
    helpers.fill(tracked)
    entry = helpers.phase_out_row(tracked, "Operator A", "core", "Huawei", planned_removal_on=datetime.date(2028, 1, 1),
                                  progress=20)
    version = services.assessment_submit(certify=True, assessment=tracked, user=lead)
    frozen = PhaseOutEntry.objects.get(version=version)
    assert (frozen.operator, frozen.progress, frozen.planned_removal_on) == ("Operator A", 20,
                                                                             datetime.date(2028, 1, 1))
    assert version.snapshot["phase_out"] == [{
        "operator": "Operator A", "asset_class": "core", "supplier": "Huawei", "designated_on": "2026-03-31",
        "components_present": True, "planned_removal_on": "2028-01-01", "progress": 20, "removed_on": None,
        "note": ""}]
    assert version.sha256 == AssessmentVersion.digest(version.snapshot)
    entry.progress = 90  # the draft moves on; the version does not
    entry.save()
    frozen.refresh_from_db()
    assert frozen.progress == 20
    client.force_login(reviewer)  # the version's readers see its rows, as submitted
    page = client.get(reverse("assessments:version", args=[tracked.pk, 1])).content.decode()
    assert "Operator A" in page and "20 %" in page and "90 %" not in page


def test_a_cycle_without_the_tracker_keeps_its_snapshot_as_it_was(cycle, submit):
    version = submit(cycle, "AT")
    assert "phase_out" not in version.snapshot


def test_the_tracker_page_runs_the_same_queries_however_many_rows(client, reporter_at, tracked, same_queries):
    helpers.phase_out_row(tracked, "Operator A", "core", "Huawei")
    client.force_login(reporter_at)

    def grow():
        for operator in ("Operator B", "Operator C", "Operator D"):
            for asset in ("core", "access", "management"):
                helpers.phase_out_row(tracked, operator, asset, "ZTE", planned_removal_on=datetime.date(2029, 1, 1))

    same_queries(lambda: client.get(reverse("assessments:phase_out", args=[tracked.pk])), grow)


def test_the_submit_page_says_how_many_rows_go_with_the_version(client, tracked):
    lead = factories.user(Role.LEAD_REPORTER, "AT")
    helpers.fill(tracked)
    helpers.phase_out_row(tracked, "Operator A", "core", "Huawei")
    helpers.phase_out_row(tracked, "Operator B", "core", "Huawei")
    client.force_login(lead)
    assert "2 rows of the phase-out tracker." in client.get(reverse("assessments:submit", args=[tracked.pk])
                                                            ).content.decode()
