"""The Activity pages speak in sentences: every kind of event the audit trail records, and every change of a
tracked model, as a person reads it ("France reopened until 31 July 2019, 18:00 by Ada Admin (ada-admin)"), with
fields by their verbose names, yes and no, dates, names and labels: never a model's repr, a reverse relation, a raw
boolean or an internal code."""

import datetime
import html
import re

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import Supplier
from portal import audit
from portal import services as portal_services
from portal.models import ReportingCycle, Role
from reporting import publishing
from reporting import services as review_services
from tests import factories
from tests.assessments import helpers
from tests.signing_in import PortalClient, second_factor

pytestmark = pytest.mark.django_db

ADMIN = "Ada Admin (ada-admin)"
CYCLE = "2019 national risk assessments"
REPRS = re.compile(r"object \(|\bNone\b|\bTrue\b|\bFalse\b|portal\.|assessments\.|reporting\.|auditlog\.|— → —")


def trail_text(client, url):
    """The text of every row of the trail, page after page, one line per row (cells separated by " | ")."""
    rows, page = [], 1
    while True:
        content = client.get(url, {"page": page}).content.decode()
        body = re.search(r"<tbody>(.*?)</tbody>", content, re.S)
        for row in re.findall(r"<tr>(.*?)</tr>", body.group(1) if body else "", re.S):
            cells = [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", cell))).strip()
                     for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            rows.append(" | ".join(cells).replace(" :", ":"))
        if f"page={page + 1}" not in content:
            return "\n".join(rows)
        page += 1


def sign_in(client, username, password=factories.PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": username, "password": password}, **extra)


@pytest.fixture
def trail(admin_user, reviewer, lead_at, reporter_at, settings, tmp_path):
    """Every kind of event and of change the trail records, done as people do them; the admin's Activity pages."""
    settings.MEDIA_ROOT = tmp_path
    admin_user.first_name, admin_user.last_name = "Ada", "Admin"
    admin_user.save()
    cycle = helpers.cycle_with_questionnaire(title=CYCLE, codes=["AT", "FR"])
    admin = PortalClient()
    admin.force_login(admin_user)

    # The filing workflow, and a download.
    draft = helpers.start(cycle, lead_at)
    helpers.fill(draft)
    # Version 1 asks two certifiers: a second lead reporter certifies first, then the lead submits.
    ReportingCycle.objects.filter(pk=cycle.pk).update(certifiers_required=2)
    with pytest.raises(assessment_services.CertificationWaiting):
        assessment_services.assessment_submit(certify=True, assessment=draft,
                                              user=factories.user(Role.LEAD_REPORTER, "AT", username="lea-at"))
    assessment_services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    ReportingCycle.objects.filter(pk=cycle.pk).update(certifiers_required=1)
    assessment_services.assessment_return(assessment=draft, user=reviewer, points=[("scope", "", "Which operators?")])
    assessment_services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    assessment_services.assessment_accept(assessment=draft, user=reviewer)
    review, _created = review_services.review_request(cycle=cycle, user=reviewer)
    review_services.review_build(review_id=review.pk)
    review.refresh_from_db()
    publication = publishing.review_publish(review=review, user=reviewer)
    publishing.publication_withdraw(publication=publication, user=reviewer, reason="Built before France's return")
    publishing.review_publish(review=review, user=reviewer)
    reading = PortalClient()
    reading.force_login(reviewer)
    assert reading.get(reverse("assessments:receipt_pdf", args=[draft.pk, 2])).status_code == 200

    # The schedule: a deadline moved, an extension granted and revoked, the cycle closed, reopened for France and
    # withdrawn, opened again; France no longer asked; a measure no longer asked.
    milestone = cycle.milestones.get()
    admin.post(reverse("milestone_edit", args=[cycle.pk, milestone.pk]), {
        "code": milestone.code, "title": "Send the assessment", "scope": milestone.scope, "due_date": "2019-07-19",
        "tracks_submission": "on"})
    austria, france = factories.member_state("AT"), factories.member_state("FR")
    admin.post(reverse("extension_grant", args=[milestone.pk]), {"member_state": austria.pk,
                                                                 "due_date": "2019-07-31", "reason": "Elections"})
    admin.post(reverse("extension_revoke", args=[austria.extensions.get().pk]))
    admin.post(reverse("cycle_close", args=[cycle.pk]))
    admin.post(reverse("reopening_grant", args=[cycle.pk]), {"member_state": france.pk, "until": "2019-07-31T18:00",
                                                             "reason": "Late data from an operator"})
    admin.post(reverse("reopening_end", args=[cycle.reopenings.get().pk]))
    admin.post(reverse("cycle_open", args=[cycle.pk]))
    portal_services.coverage_end(cycle=cycle, member_state=france, user=admin_user, reason="Asked by mistake")
    cycle.questionnaire.measures.remove(cycle.questionnaire.measures.get(code="SM08"))
    # A supplier designated high-risk: its phase-out deadlines follow from that day.
    huawei = Supplier.objects.get(name="Huawei")
    admin.post(reverse("admin:assessments_supplier_change", args=[huawei.pk]),
               {"name": "Huawei", "designated_high_risk_on": "2026-03-31"})

    # People: a reporter deactivated by the lead, made lead reporter; factors, tokens, passwords, sign-ins.
    lead = PortalClient()
    lead.force_login(lead_at)
    lead.post(reverse("reporter_active", args=[reporter_at.pk]), {"active": "0"})
    reporter_at.groups.add(Group.objects.get(name=Role.LEAD_REPORTER))
    row, _token = portal_services.api_token_issue(user=lead_at, name="Nightly export", scope="read", days=30)
    portal_services.api_token_revoke(user=lead_at, pk=row.pk)
    lead.post(reverse("account_change_password"), {"oldpassword": factories.PASSWORD,
                                                   "password1": "another-long-passphrase",
                                                   "password2": "another-long-passphrase"})
    lead.post(reverse("account_logout"))
    guest = PortalClient()
    guest.post(reverse("account_reset_password"), {"email": reviewer.email})
    link = re.search(r"http\S+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    page = guest.get(link, follow=True)
    guest.post(page.redirect_chain[-1][0], {"password1": "a-brand-new-passphrase",
                                            "password2": "a-brand-new-passphrase"})
    audit.record(audit.Event.PASSWORD_RESET_REQUESTED, subject=reviewer)  # nothing in the portal records it yet
    second_factor(reviewer)
    sign_in(guest, reviewer.username, "a-brand-new-passphrase")
    guest.post(reverse("mfa_authenticate"), {"code": "000000"})
    admin.post(reverse("admin:portal_user_changelist"), {"action": "reset_second_factors",
                                                         "_selected_action": [reviewer.pk]})
    sign_in(PortalClient(), "no-such-person", "x", REMOTE_ADDR="203.0.113.5")
    for _attempt in range(6):
        sign_in(PortalClient(), reporter_at.username, "wrong", REMOTE_ADDR="198.51.100.1")
    admin.post(reverse("lockouts"), {"username": reporter_at.username, "ip_address": ""})
    # EU Login: an answer to a sign-in this browser never started, refused; a link and an unknown person as the
    # provisioning records them (tests/browser/test_eu_login_journey.py makes them through a real provider).
    eu_login = {"provider_id": "eulogin", "name": "EU Login", "client_id": "portal", "secret": "s",
                "settings": {"server_url": "http://127.0.0.1:9"}}
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {**settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
                                                           "APPS": [eu_login]}}
    PortalClient().get("/accounts/oidc/eulogin/login/callback/?code=c&state=not-ours")
    audit.record(audit.Event.EU_LOGIN_LINKED, subject=lead_at, actor=lead_at, member_state=lead_at.member_state)
    audit.record(audit.Event.EU_LOGIN_UNKNOWN, subject_repr="someone@example.eu")
    # Access requests: one approved by the authority's lead reporter, one refused by an admin.
    asking = {"sub": "n00nora", "email": "nora@rtr.example", "name": "Nora New"}
    approved = portal_services.access_request_make(identity=asking, authority=lead_at.authority, role=Role.REPORTER,
                                                   why="I prepare the assessment.")
    portal_services.access_request_decide(access_request=approved, by=lead_at, approve=True)
    refused = portal_services.access_request_make(
        identity={"sub": "n00otto", "email": "otto@rtr.example", "name": "Otto Other"}, authority=lead_at.authority,
        role=Role.LEAD_REPORTER, why="I lead.")
    portal_services.access_request_decide(access_request=refused, by=admin_user, approve=False,
                                          refusal_reason="Unknown at RTR")

    recorded = {entry["additional_data__event"] for entry in LogEntry.objects.values("additional_data__event")}
    assert {str(event) for event in audit.Event} <= recorded, {str(e) for e in audit.Event} - recorded
    tracked = set(LogEntry.objects.exclude(action=LogEntry.Action.ACCESS).values_list("content_type__model",
                                                                                      flat=True))
    assert tracked == {model for models in audit.TRACKED.values() for _app, model in models}
    return {"client": admin, "page": trail_text(admin, reverse("activity")), "draft": draft, "admin": admin_user}


def test_every_kind_of_entry_reads_as_a_sentence_without_a_model_repr(trail):
    page = trail["page"]
    # What a row created is recorded with: its own fields, not its reverse relations ("portal.Extension.None").
    assert not LogEntry.objects.filter(changes__has_key="extensions").exists()
    assert not REPRS.search(page), REPRS.search(page) and page[max(0, REPRS.search(page).start() - 300):][:600]
    austria = "Austria – 2019 national risk assessments"
    for sentence in [
        # The workflow and a download.
        f"lea-at certified the content of “{austria}” (SHA-256 ",
        "…); a second lead reporter must certify it before it is submitted",
        f"lukas-at submitted version 1 of “{austria}”",
        f"rita-reviewer returned version 1 of “{austria}” for clarification",
        f"lukas-at submitted version 2 of “{austria}”",
        f"rita-reviewer accepted version 2 of “{austria}”",
        "rita-reviewer published the coordinated review “2019 national risk assessments – review",
        "rita-reviewer withdrew the publication of the coordinated review “2019 national risk assessments – review",
        "”: Built before France's return",
        "rita-reviewer downloaded a receipt marked TLP:AMBER+STRICT: receipt-AT-v2.pdf",
        # The schedule.
        f"Reporting cycle “{CYCLE}” created by the system",
        f"Austria asked by “{CYCLE}” by the system",
        f"Milestone “NRA-SUBMIT: Send the assessment” changed by {ADMIN} | Title: NRA-SUBMIT → Send the assessment "
        "Due date: 15 July 2019 → 19 July 2019",
        f"NRA-SUBMIT extended for Austria until 31 July 2019 by {ADMIN}",
        f"Extension of NRA-SUBMIT for Austria until 31 July 2019 revoked by {ADMIN}",
        f"Reporting cycle “{CYCLE}” closed by {ADMIN} | Status: Open → Closed",
        f"France reopened until 31 July 2019, 18:00 by {ADMIN}",
        f"Reopening for France withdrawn by {ADMIN}",
        f"Reporting cycle “{CYCLE}” opened again by {ADMIN} | Status: Closed → Open Closed at:",
        f"France no longer asked by “{CYCLE}” by the system",
        f"Questionnaire “{CYCLE}” changed by the system | Toolbox measures: removed: SM08 Maintaining",
        f"Supplier “Huawei” changed by {ADMIN} | Designated high-risk on: — → 31 March 2026",
        # People.
        "anna-at deactivated by lukas-at AT | Active: yes → no Deactivated by: — → lukas-at",
        "anna-at given the role Lead reporter by the system",
        "lukas-at made the API token “Nightly export",
        "lukas-at revoked the API token “Nightly export",
        "lukas-at changed their password",
        "lukas-at signed out",
        "A password reset was requested for “rita-reviewer”",
        "rita-reviewer set a new password from an emailed link",
        "Second factor (TOTP Authenticator) added for “rita-reviewer” by the system",
        "A wrong second-factor code for “rita-reviewer”",
        f"{ADMIN} reset the second factors of “rita-reviewer”",
        f"Second factor (TOTP Authenticator) removed for “rita-reviewer” by {ADMIN}",
        f"{ADMIN} signed in",
        "Sign-in failed for “no-such-person”",
        "“anna-at” locked out after repeated failures",
        f"{ADMIN} lifted the lockout of “anna-at”",
        "“Nora New” asked for access as Reporter of Authority of Austria",
        "lukas-at approved the access of “Nora New” as Reporter of Authority of Austria",
        f"{ADMIN} refused the access of “Otto Other” as Lead reporter of Authority of Austria: Unknown at RTR",
    ]:
        assert sentence in page, f"{sentence!r} not in:\n{page}"


def test_an_assessments_activity_reads_the_same_sentences(trail):
    client = trail["client"]
    page = trail_text(client, reverse("assessments:activity", args=[trail["draft"].pk]))
    assert "lukas-at submitted version 2 of “Austria – 2019 national risk assessments”" in page
    assert "rita-reviewer downloaded a receipt marked TLP:AMBER+STRICT: receipt-AT-v2.pdf" in page
    assert not REPRS.search(page)


def test_the_trail_reads_in_german_too(trail):
    client, admin = trail["client"], trail["admin"]
    admin.language = "de"
    admin.save()
    page = trail_text(client, reverse("activity"))
    assert "Frankreich wieder geöffnet bis 31. Juli 2019, 18:00 (durch Ada Admin (ada-admin))" in page
    assert "Aktiv: ja → nein" in page
    assert not REPRS.search(page)


def test_a_row_created_before_the_portal_named_its_rows_reads_as_a_sentence(client, admin_user):
    """Entries written before reopenings had a name, or with the reverse relations django-auditlog kept."""
    cycle = helpers.cycle_with_questionnaire(title=CYCLE, codes=["FR"])
    reopening = portal_services.reopening_grant(
        cycle=cycle, member_state=factories.member_state("FR"), reason="Parliament", user=admin_user,
        until=datetime.datetime(2019, 7, 31, 16, 0, tzinfo=datetime.UTC))
    entry = LogEntry.objects.get(content_type__model="reopening")
    entry.object_repr = f"Reopening object ({reopening.pk})"
    entry.changes = {**entry.changes, "extensions": ["None", "portal.Extension.None"]}
    entry.save()
    milestone = LogEntry.objects.get(content_type__model="milestone")
    milestone.changes = {**milestone.changes, "extensions": ["None", "portal.Extension.None"],
                         "tracks_submission": ["None", "True"]}
    milestone.save()
    client.force_login(admin_user)
    page = trail_text(client, reverse("activity"))
    assert "France reopened until 31 July 2019, 18:00 by the system" in page
    assert "Met by the national submission: yes" in page
    assert not REPRS.search(page)
