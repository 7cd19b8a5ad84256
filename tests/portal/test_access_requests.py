"""Access requests through the pages: a person EU Login knows asks (who they are from the session, never the form),
admins and the authority's lead reporter decide (the rule of portal/access.py), the requester is told.

The sign-in that leaves the person in the session is proven in Chromium against a real provider
(tests/browser/test_access_request_journey.py); here the session holds what that sign-in would leave."""

import time

import pytest
from allauth.socialaccount.models import SocialAccount
from auditlog.models import LogEntry
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal import access, services
from portal.audit import Event
from portal.eulogin.provisioning import UNKNOWN_SESSION_KEY
from portal.models import AccessRequest, AccessRequestStatus, Role, User
from tests import factories
from tests.processes import free_port

pytestmark = pytest.mark.django_db

IDENTITY = {"sub": "n00new", "email": "nora.new@rtr.example", "name": "Nora New"}


def authority(code):
    return factories.AuthorityFactory(member_state=factories.member_state(code))


def signed_in_at_eu_login(client, identity=IDENTITY, at=None):
    session = client.session
    session[UNKNOWN_SESSION_KEY] = {**identity, "at": at or time.time()}
    session.save()


def ask(client, code="AT", role=Role.REPORTER, **extra):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("access_request_new"), {"authority": authority(code).pk, "role": role,
                                                            "why": "I prepare the 2026 assessment.", **extra})


def made(code="AT", role=Role.REPORTER, identity=IDENTITY):
    return services.access_request_make(identity=identity, authority=authority(code), role=role, why="Because.")


def decide(client, access_request, decision, reason=""):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("access_request_decide", args=[access_request.pk]),
                           {"decision": decision, "refusal_reason": reason})


def events(event):
    return LogEntry.objects.filter(additional_data__event=str(event))


@pytest.fixture
def lead_fr(db):
    return factories.user(Role.LEAD_REPORTER, "FR", username="lea-fr")


def test_a_person_eu_login_knows_asks_and_the_deciders_are_told(client, lead_at, reporter_at, admin_user, lead_fr):
    signed_in_at_eu_login(client)
    page = client.get(reverse("access_request_new"))
    assert page.status_code == 200 and "Ask for access" in page.content.decode()
    assert "Nora New (nora.new@rtr.example)" in page.content.decode()

    # Fields that would say who is asking are not the form's: the session's identity is kept.
    response = ask(client, subject="n00admin", email="ada@example.eu", sub="n00admin")
    assert response.status_code == 302
    asked = AccessRequest.objects.get()
    assert (asked.subject, asked.email, asked.name) == ("n00new", "nora.new@rtr.example", "Nora New")
    assert (asked.status, asked.role, asked.authority) == (AccessRequestStatus.PENDING, Role.REPORTER,
                                                           lead_at.authority)
    # Told: the lead reporter of that authority and the admins; not its reporter, not another member state's lead.
    assert sorted(message.to[0] for message in mail.outbox) == sorted([lead_at.email, admin_user.email])
    assert "Nora New" in mail.outbox[0].body and "/access-requests/" in mail.outbox[0].body
    entry = events(Event.ACCESS_REQUESTED).get()
    assert entry.additional_data["member_state"] == "AT" and entry.object_repr == "Nora New"
    # Back on the page: it waits, and no second form is offered.
    again = client.get(reverse("access_request_new")).content.decode()
    assert "waits for a decision" in again and "Ask for access</button>" not in again


def test_a_request_for_the_lead_reporter_role_is_told_to_admins_only(client, lead_at, admin_user):
    signed_in_at_eu_login(client)
    ask(client, role=Role.LEAD_REPORTER)
    assert [message.to[0] for message in mail.outbox] == [admin_user.email]


def test_a_request_without_a_reason_is_shown_beside_the_field(client, lead_at):
    signed_in_at_eu_login(client)
    response = client.post(reverse("access_request_new"), {"authority": lead_at.authority_id, "role": "reporter"})
    assert response.status_code == 400
    assert 'id="id_why"' in response.content.decode() and "This field is required." in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_nobody_can_ask_without_an_eu_login_sign_in_in_this_session(client, lead_at):
    assert client.get(reverse("access_request_new")).status_code == 404
    assert ask(client).status_code == 404
    signed_in_at_eu_login(client, at=time.time() - 2 * 3600)  # an hour and more ago: no longer proof enough
    assert client.get(reverse("access_request_new")).status_code == 404
    assert not AccessRequest.objects.exists()


def test_without_an_email_eu_login_confirmed_there_is_nothing_to_ask_with(client, lead_at):
    signed_in_at_eu_login(client, {**IDENTITY, "email": ""})
    page = client.get(reverse("access_request_new")).content.decode()
    assert "did not confirm an e-mail address" in page and "<form" not in page.split("<main", 1)[-1]
    assert ask(client).status_code == 200 and not AccessRequest.objects.exists()


def test_the_database_keeps_one_pending_request_per_person():
    made()
    with pytest.raises(services.AlreadyPending):
        made(code="FR")
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessRequest.objects.create(subject="n00new", email="x@example.eu", authority=authority("FR"),
                                     role=Role.REPORTER, why="Twice.")
    # Once decided, the person may ask again.
    AccessRequest.objects.update(status=AccessRequestStatus.APPROVED, decided_at=timezone.now(),
                                 decided_by=factories.user(Role.ADMIN))
    assert made(code="FR").status == AccessRequestStatus.PENDING


def test_the_database_refuses_a_refusal_without_a_reason_and_a_decision_without_a_decider(admin_user):
    asked = made()
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessRequest.objects.filter(pk=asked.pk).update(status=AccessRequestStatus.REFUSED, refusal_reason="",
                                                         decided_by=admin_user, decided_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessRequest.objects.filter(pk=asked.pk).update(status=AccessRequestStatus.APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessRequest.objects.filter(pk=asked.pk).update(role=Role.ADMIN)


def test_a_lead_reporter_approves_and_the_account_is_made_and_linked(client, lead_at):
    asked = made()
    mail.outbox.clear()
    client.force_login(lead_at)
    assert "Nora New" in client.get(reverse("access_requests")).content.decode()
    response = decide(client, asked, "approve")
    assert response.status_code == 302
    asked.refresh_from_db()
    user = User.objects.get(email="nora.new@rtr.example")
    assert (asked.status, asked.decided_by, asked.user) == (AccessRequestStatus.APPROVED, lead_at, user)
    assert user.authority == lead_at.authority and set(user.roles) == {Role.REPORTER}
    assert not user.has_usable_password() and user.get_full_name() == "Nora New"
    assert SocialAccount.objects.get(provider="eulogin", uid="n00new").user == user
    assert [message.to[0] for message in mail.outbox] == ["nora.new@rtr.example"]
    assert "Sign in with EU Login here" in mail.outbox[0].body
    assert events(Event.ACCESS_APPROVED).get().actor == lead_at
    after = client.get(reverse("access_requests")).content.decode()
    assert "Nora New can now sign in with EU Login as Reporter" in after and "No request waits for you." in after


def test_a_refusal_needs_a_reason_said_beside_the_field(client, lead_at):
    asked = made()
    client.force_login(lead_at)
    response = decide(client, asked, "refuse")
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_refusal_reason_{asked.pk}"' in html and "Say why the request is refused" in html
    asked.refresh_from_db()
    assert asked.status == AccessRequestStatus.PENDING


def test_a_refusals_reason_reaches_the_requester(client, lead_at):
    asked = made()
    mail.outbox.clear()
    client.force_login(lead_at)
    assert decide(client, asked, "refuse", "Nobody at RTR knows you.").status_code == 302
    asked.refresh_from_db()
    assert (asked.status, asked.refusal_reason) == (AccessRequestStatus.REFUSED, "Nobody at RTR knows you.")
    assert mail.outbox[0].to == ["nora.new@rtr.example"] and "Nobody at RTR knows you." in mail.outbox[0].body
    assert "refused" in mail.outbox[0].subject
    assert not User.objects.filter(email="nora.new@rtr.example").exists()
    entry = events(Event.ACCESS_REFUSED).get()
    assert entry.additional_data["reason"] == "Nobody at RTR knows you."


def test_deciding_twice_says_so_and_changes_nothing(client, lead_at, admin_user):
    asked = made()
    client.force_login(lead_at)
    decide(client, asked, "approve")
    client.force_login(admin_user)
    response = decide(client, asked, "refuse", "Too late.")
    assert response.status_code == 302
    assert "already decided" in client.get(response["Location"]).content.decode()
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == (AccessRequestStatus.APPROVED, lead_at)
    assert User.objects.filter(email="nora.new@rtr.example").count() == 1


def test_of_two_deciders_holding_the_same_pending_request_one_wins(lead_at, admin_user):
    first, second = made(), None
    second = AccessRequest.objects.get(pk=first.pk)  # both read it pending
    services.access_request_decide(access_request=first, by=lead_at, approve=True)
    with pytest.raises(services.AlreadyDecided):
        services.access_request_decide(access_request=second, by=admin_user, approve=False, refusal_reason="No.")
    assert events(Event.ACCESS_REFUSED).count() == 0 and SocialAccount.objects.count() == 1


def test_who_may_decide(client, lead_at, reporter_at, lead_fr, admin_user, reviewer):
    for_reporter, for_lead = made(), made(role=Role.LEAD_REPORTER, identity={**IDENTITY, "sub": "n00two"})
    # A reporter, a reviewer: neither the list nor a decision exists for them.
    for person in (reporter_at, reviewer):
        client.force_login(person)
        assert client.get(reverse("access_requests")).status_code == 404
        assert decide(client, for_reporter, "approve").status_code == 404
    # A lead reporter of another member state: sees none, decides none.
    client.force_login(lead_fr)
    assert "Nora New" not in client.get(reverse("access_requests")).content.decode()
    assert decide(client, for_reporter, "approve").status_code == 404
    # The authority's own lead reporter: not for the lead reporter role.
    client.force_login(lead_at)
    assert decide(client, for_lead, "approve").status_code == 404
    # Nobody signed in: to the sign-in page.
    client.logout()
    assert "/accounts/login/" in client.get(reverse("access_requests"))["Location"]
    assert "/accounts/login/" in decide(client, for_reporter, "approve")["Location"]
    assert AccessRequest.objects.pending().count() == 2 and not SocialAccount.objects.exists()
    # An admin decides both.
    client.force_login(admin_user)
    assert decide(client, for_lead, "approve").status_code == 302
    assert set(User.objects.get(email=IDENTITY["email"]).roles) == {Role.LEAD_REPORTER}


def test_the_list_and_the_row_rule_agree(lead_at, reporter_at, lead_fr, admin_user, reviewer):
    requests = [made(), made(role=Role.LEAD_REPORTER, identity={**IDENTITY, "sub": "n00b"}),
                made(code="FR", identity={**IDENTITY, "sub": "n00c"})]
    for person in (lead_at, reporter_at, lead_fr, admin_user, reviewer):
        listed = set(AccessRequest.objects.decidable_by(person))
        assert listed == {row for row in requests if access.may_decide_access_request(person, row)}, person
    assert set(AccessRequest.objects.decidable_by(lead_at)) == {requests[0]}
    assert set(AccessRequest.objects.decidable_by(admin_user)) == set(requests)


def test_the_list_asks_as_many_queries_for_many_requests_as_for_one(client, admin_user, django_assert_num_queries):
    made()
    client.force_login(admin_user)
    client.get(reverse("access_requests"))  # warm: the session, the translations cache
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("access_requests")).status_code == 200
    for n, code in enumerate(["FR", "DE", "IT", "ES", "PL"]):
        made(code=code, identity={**IDENTITY, "sub": f"n00{n}", "name": f"Person {n}"})
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(reverse("access_requests"))
    assert page.content.decode().count("Approve<span") == 6


def test_the_activity_page_says_each_step_in_words(client, admin_user, lead_at):
    asked = made()
    services.access_request_decide(access_request=asked, by=lead_at, approve=False, refusal_reason="Unknown at RTR.")
    client.force_login(admin_user)
    page = client.get(reverse("activity"), {"action": "users"}).content.decode()
    assert "“Nora New” asked for access as Reporter of Authority of Austria" in page
    assert "refused the access of “Nora New” as Reporter of Authority of Austria: Unknown at RTR." in page


def test_nobody_asks_for_an_authority_of_a_state_that_left_the_union(client, lead_at):
    signed_in_at_eu_login(client)
    response = ask(client, code="UK")
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert "United Kingdom" not in client.get(reverse("access_request_new")).content.decode()
    assert not AccessRequest.objects.exists()


def test_admins_read_every_request_and_its_decision_in_the_django_admin(client, admin_user, lead_at):
    refused = made()
    services.access_request_decide(access_request=refused, by=lead_at, approve=False, refusal_reason="Unknown.")
    client.force_login(admin_user)
    listing = client.get(reverse("admin:portal_accessrequest_changelist"))
    assert listing.status_code == 200 and "Nora New" in listing.content.decode()
    detail = client.get(reverse("admin:portal_accessrequest_change", args=[refused.pk])).content.decode()
    assert "Unknown." in detail and 'name="refusal_reason"' not in detail  # read, not changed here
    client.force_login(lead_at)
    assert client.get(reverse("admin:portal_accessrequest_changelist")).status_code == 302  # not staff


def test_a_mail_server_that_refuses_loses_the_notice_not_the_request(client, lead_at, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 1  # nobody there
    signed_in_at_eu_login(client)
    assert ask(client).status_code == 302  # no server error: the request is saved, the failed send logged
    asked = AccessRequest.objects.get()
    client.force_login(lead_at)
    assert decide(client, asked, "approve").status_code == 302
    assert User.objects.filter(email=IDENTITY["email"]).exists()
