"""The audit trail records each kind of action, and the Activity page answers "who changed this deadline, and when"."""

import datetime
import re

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import Attachment
from portal import audit
from portal.models import Role
from reporting import publishing
from reporting import services as review_services
from tests import factories
from tests.assessments import helpers
from tests.reporting.exporting import made_here
from tests.signing_in import PortalClient, second_factor

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def activity(client, **filters):
    return client.get(reverse("activity"), filters).content.decode()


def events(event, **data):
    return LogEntry.objects.filter(additional_data__event=str(event), **data)


@pytest.fixture
def cycle(db):
    return helpers.cycle_with_questionnaire(codes=["AT", "FR"])


def test_who_changed_this_deadline_and_when(client, admin_user, cycle):
    client.force_login(admin_user)
    milestone = cycle.milestones.get()
    client.post(reverse("milestone_edit", args=[cycle.pk, milestone.pk]), {
        "code": milestone.code, "title": milestone.title, "scope": milestone.scope, "due_date": "2019-07-19",
        "tracks_submission": "on"}, REMOTE_ADDR="192.0.2.44")
    page = activity(client, action="schedule")
    row = re.search(r"<tr>(?:(?!</tr>).)*Milestone “NRA-SUBMIT: NRA-SUBMIT” changed by ada-admin(?:(?!</tr>).)*</tr>",
                    page, re.S).group(0)
    assert "192.0.2.44" in row
    assert "<strong>Due date</strong>: 15 July 2019 → 19 July 2019" in row
    # Nothing in the trail about sign-ins under this filter.
    assert f"{admin_user.username} signed in" not in page


def test_extensions_granted_and_revoked_are_on_record_with_their_member_state(client, admin_user, cycle):
    client.force_login(admin_user)
    milestone = cycle.milestones.get()
    at = factories.member_state("AT")
    client.post(reverse("extension_grant", args=[milestone.pk]), {"member_state": at.pk, "due_date": "2019-07-31",
                                                                  "reason": "Elections"})
    extension = at.extensions.get()
    client.post(reverse("extension_revoke", args=[extension.pk]))
    entries = LogEntry.objects.filter(content_type__model="extension").order_by("pk")
    assert [entry.action for entry in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert all(entry.additional_data == {"member_state": "AT"} and entry.actor == admin_user for entry in entries)
    page = activity(client, member_state="AT")
    assert "NRA-SUBMIT extended for Austria until 31 July 2019 by ada-admin" in page and "2019-07-31" not in page
    assert "Extension of NRA-SUBMIT for Austria until 31 July 2019 revoked by ada-admin" in page
    assert "extended for" not in activity(client, member_state="FR")
    extension.refresh_from_db()
    assert extension.ended_at is not None  # ended, never deleted


def test_closing_and_reopening_a_cycle_and_questionnaire_changes_are_recorded(client, admin_user, cycle):
    client.force_login(admin_user)
    client.post(reverse("cycle_close", args=[cycle.pk]))
    client.post(reverse("reopening_grant", args=[cycle.pk]), {
        "member_state": factories.member_state("AT").pk, "reason": "Late data from an operator"})
    questionnaire = cycle.questionnaire
    questionnaire.measures.remove(questionnaire.measures.first())
    page = activity(client, action="schedule")
    for words in (f"Reporting cycle “{cycle.title}” closed by ada-admin",
                  "Austria reopened until an admin closes it again by ada-admin",
                  f"Questionnaire “{cycle.title}” changed by the system"):
        assert words in page, words


def test_deactivation_and_roles_are_recorded(client, lead_at, reporter_at, admin_user):
    client.force_login(lead_at)
    client.post(reverse("reporter_active", args=[reporter_at.pk]), {"active": "0"})
    reporter_at.groups.add(Group.objects.get(name=Role.LEAD_REPORTER))
    entries = LogEntry.objects.filter(content_type__model="user", object_pk=str(reporter_at.pk)).order_by("pk")
    deactivation = next(entry for entry in entries
                        if entry.action == LogEntry.Action.UPDATE and "is_active" in (entry.changes or {}))
    assert deactivation.actor == lead_at and deactivation.additional_data == {"member_state": "AT"}
    assert any("groups" in (entry.changes or {}) for entry in entries)
    client.force_login(admin_user)
    page = activity(client, action="users", user=reporter_at.username)
    assert "anna-at deactivated by lukas-at" in page and "anna-at given the role Lead reporter" in page
    # The password hash and the calendar secret never enter the trail.
    assert not LogEntry.objects.filter(changes__has_key="password").exists()


def test_second_factors_added_and_reset_are_recorded_without_their_secrets(client, admin_user, reviewer):
    secret = second_factor(reviewer)
    client.force_login(admin_user)
    client.post(reverse("admin:portal_user_changelist"), {
        "action": "reset_second_factors", "_selected_action": [reviewer.pk]})
    assert not reviewer.authenticator_set.exists()
    assert events(audit.Event.FACTORS_RESET, additional_data__what__icontains="totp").get().actor == admin_user
    kinds = set(LogEntry.objects.filter(content_type__model="authenticator").values_list("action", flat=True))
    assert kinds == {LogEntry.Action.CREATE, LogEntry.Action.DELETE}
    assert secret not in str(list(LogEntry.objects.values_list("changes", "serialized_data", "additional_data")))
    page = activity(client, action="factors")
    assert "ada-admin reset the second factors of “rita-reviewer”" in page
    assert "Second factor (TOTP Authenticator) removed for “rita-reviewer” by ada-admin" in page


def test_sign_ins_failures_and_lockouts_are_recorded_with_their_address(reporter_at, admin_user):
    client = PortalClient()
    client.post(reverse("account_login"), {"login": "no-such-person", "password": "x"}, REMOTE_ADDR="203.0.113.5")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": reporter_at.username, "password": "x"},
                    REMOTE_ADDR="198.51.100.1")
    failed = events(audit.Event.SIGN_IN_FAILED)
    assert failed.filter(object_repr="no-such-person", remote_addr="203.0.113.5").exists()
    assert failed.filter(object_pk=str(reporter_at.pk), additional_data__member_state="AT").count() >= 4
    assert events(audit.Event.LOCKED_OUT, object_pk=str(reporter_at.pk)).exists()
    other = PortalClient()
    other.post(reverse("account_login"), {"login": admin_user.username, "password": factories.PASSWORD},
               REMOTE_ADDR="192.0.2.1")
    assert events(audit.Event.SIGNED_IN, actor=admin_user, remote_addr="192.0.2.1").exists()


def test_submission_return_acceptance_and_publication_are_recorded(cycle, submit, reviewer):
    version = submit(cycle, "AT")
    assessment = version.assessment
    assessment_services.assessment_return(assessment=assessment, user=reviewer,
                                          points=[("scope", "", "Which operators?")])
    assessment.refresh_from_db()
    version = submit(cycle, "AT", fill=False)
    assessment.refresh_from_db()
    assessment_services.assessment_accept(assessment=assessment, user=reviewer)
    for event in (audit.Event.SUBMITTED, audit.Event.RETURNED, audit.Event.ACCEPTED):
        assert events(event, additional_data__assessment=assessment.pk, additional_data__member_state="AT").exists()
    assert events(audit.Event.SUBMITTED, additional_data__version=2).exists()
    review, _created = review_services.review_request(cycle=cycle, user=reviewer)
    review_services.review_build(review_id=review.pk)
    review.refresh_from_db()
    publication = publishing.review_publish(review=review, user=reviewer)
    with pytest.raises(publishing.Refused):  # once: it is what the member states read already
        publishing.review_publish(review=review, user=reviewer)
    assert events(audit.Event.PUBLISHED, actor=reviewer).count() == 1
    publishing.publication_withdraw(publication=publication, user=reviewer, reason="Built on a wrong extension.")
    assert events(audit.Event.WITHDRAWN, actor=reviewer, additional_data__reason="Built on a wrong extension.").exists()


def test_downloads_of_receipts_workbooks_attachments_and_exports_are_recorded(
        settings, tmp_path, cycle, submit, reviewer, export_root):
    settings.MEDIA_ROOT = tmp_path
    lead = factories.user(Role.LEAD_REPORTER, "AT")
    draft = helpers.start(cycle, lead)
    helpers.fill(draft)
    client = PortalClient()
    client.force_login(lead)
    client.post(reverse("assessments:attachments", args=[draft.pk]), {"file": SimpleUploadedFile("annex.pdf", PDF)})
    version = submit(cycle, "AT", fill=False, lead=lead)
    client.force_login(reviewer)
    attachment = Attachment.objects.get()
    assert client.get(reverse("assessments:attachment", args=[draft.pk, attachment.pk])).status_code == 200
    assert client.get(reverse("assessments:receipt_pdf", args=[draft.pk, version.number])).status_code == 200
    review, _created = review_services.review_request(cycle=cycle, user=reviewer)
    review_services.review_build(review_id=review.pk)
    assert made_here(client, reverse("reporting:review_export", args=[review.pk, "xlsx"])).status_code == 200
    client.force_login(lead)
    assert client.get(reverse("assessments:workbook", args=[draft.pk])).status_code == 200
    downloads = events(audit.Event.DOWNLOADED)
    assert set(downloads.values_list("additional_data__what", flat=True)) == {
        "attachment", "receipt", "review export", "workbook"}
    assert downloads.filter(actor=reviewer, additional_data__assessment=draft.pk).count() == 2
    response = client.get(reverse("assessments:receipt_pdf", args=[draft.pk, version.number]))
    assert response["Cache-Control"] == "no-store" and response["Content-Disposition"].startswith("attachment;")


def test_an_assessments_activity_is_for_its_lead_reporters_reviewers_and_admins(
        client, cycle, submit, reviewer, admin_user, reporter_at):
    version = submit(cycle, "AT")
    assessment = version.assessment
    lead_at = assessment.versions.get().submitted_by
    lead_fr = factories.user(Role.LEAD_REPORTER, "FR")
    url = reverse("assessments:activity", args=[assessment.pk])
    for user, status in ((lead_at, 200), (reviewer, 200), (admin_user, 200), (reporter_at, 404), (lead_fr, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(lead_at)
    page = client.get(url).content.decode()
    assert f"{lead_at.username} submitted version 1 of “Austria – " in page
    assert "<th scope=\"col\">From</th>" not in page  # addresses are for admins
    client.force_login(admin_user)
    assert "<th scope=\"col\">From</th>" in client.get(url).content.decode()
    client.force_login(lead_at)
    overview = client.get(reverse("assessments:overview", args=[assessment.pk])).content.decode()
    assert "Activity: who submitted" in overview


def test_the_activity_page_is_for_admins_and_asks_the_same_queries_however_long_the_trail(
        client, admin_user, reviewer, same_queries, cycle):
    client.force_login(reviewer)
    assert client.get(reverse("activity")).status_code == 404
    client.force_login(admin_user)

    def grow():
        for day in range(20):
            factories.MilestoneFactory(cycle=cycle, code=f"M{day}", due_date=datetime.date(2019, 8, 1 + day))
            audit.record(audit.Event.DOWNLOADED, subject=cycle, actor=reviewer, what="comparison")

    same_queries(lambda: client.get(reverse("activity")), grow)
    bad = client.get(reverse("activity"), {"since": "2019-08-02", "until": "2019-08-01"})
    assert bad.status_code == 400 and "The end is before the start" in bad.content.decode()


def test_nothing_the_timeline_needs_can_be_deleted_in_the_django_admin(client, admin_user, reporter_at, cycle):
    client.force_login(admin_user)
    assert client.get(reverse("admin:portal_user_delete", args=[reporter_at.pk])).status_code == 403
    assert client.get(reverse("admin:portal_reportingcycle_delete", args=[cycle.pk])).status_code == 403
    entry = LogEntry.objects.first()
    assert client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()
