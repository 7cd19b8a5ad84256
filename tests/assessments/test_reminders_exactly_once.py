"""Reminders exactly once across a crash at any point: the reminders run in a process of their own (`manage.py
send_reminders`, on the test database, mail to files), which dies or loses its database connection where the test
says (tests/assessments/faulty_mail.py). Then what went out is read back from the files: every notification is one
message with its own Message-ID, sent once, or a claim that admins are shown."""

import datetime
import email
import os
import subprocess
import sys
import time

import pytest
import time_machine
from django.core import mail
from django.db import InterfaceError, OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from assessments.tasks import send_reminders
from portal.models import BRUSSELS, Notification, NotificationStatus
from tests.assessments import helpers
from tests.assessments.faulty_mail import KILLED
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db(transaction=True)  # the child process reads what the test committed

APPLICATION = "portal-reminders-under-test"  # the child's connection, as pg_stat_activity names it
CHANGELIST = reverse("admin:portal_notification_changelist")


def database_url():
    """The test database, as tests/conftest.py's celery_worker hands it to its worker."""
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}/{db['NAME']}"


def reminders_process(outbox, **fault):
    """`manage.py send_reminders` in a child process, writing its mail to `outbox`."""
    env = {**os.environ, "DATABASE_URL": database_url(), "PGAPPNAME": APPLICATION, "EMAIL_FILE_PATH": str(outbox),
           "EMAIL_BACKEND": "tests.assessments.faulty_mail.EmailBackend", **fault}
    return subprocess.Popen([sys.executable, "manage.py", "send_reminders"], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run_reminders(outbox, **fault):
    process = reminders_process(outbox, **fault)
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def sent(outbox):
    """(address, Message-ID) of every message the file backend wrote, in the order written."""
    found = []
    for path in sorted(outbox.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk)
                found.append((message["To"], message["Message-ID"]))
    return found


def ledger():
    return {(n.address, n.message_id): n.status for n in Notification.objects.all()}


@pytest.fixture
def due_in_two_weeks(reporter_at, lead_at, admin_user):
    """Austria, two filers, due 14 days from today: each filer's 14-day reminder is due now (or 13 days from a
    Brussels midnight passed meanwhile: the same reminder)."""
    today = timezone.now().astimezone(BRUSSELS).date()
    return helpers.cycle_with_questionnaire(codes=["AT"], due=today + datetime.timedelta(days=14), year=today.year,
                                            starts_on=today - datetime.timedelta(days=30))


def later():
    """Past NOTIFICATION_UNCERTAIN_AFTER_MINUTES (15): an open claim is uncertain by then."""
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=16))


def test_a_crash_between_sending_and_marking_sent_is_never_resent_and_admins_see_the_claim(
        due_in_two_weeks, admin_user, client, tmp_path):
    code, _, err = run_reminders(tmp_path, FAULT="crash-after-first-send")
    assert code == KILLED, err
    crashed = Notification.objects.get()
    assert (crashed.status, crashed.sent_at) == (NotificationStatus.CLAIMED, None)
    assert "pid" in crashed.claimed_by and crashed.claimed_at is not None
    assert sent(tmp_path) == [(crashed.address, crashed.message_id)]  # it left, and the portal cannot know

    code, out, err = run_reminders(tmp_path)
    assert (code, out.strip()) == (0, "1 sent"), err
    messages = sent(tmp_path)
    assert len(messages) == len(set(messages)) == 2  # each filer once: the crashed claim was not sent again
    assert sorted(messages) == sorted(ledger())
    assert ledger()[(crashed.address, crashed.message_id)] == NotificationStatus.CLAIMED

    client.force_login(admin_user)
    assert crashed.address in client.get(CHANGELIST + "?delivery=in-flight").content.decode()  # just now: in flight
    assert crashed.address not in client.get(CHANGELIST + "?delivery=uncertain").content.decode()
    with later():
        client.force_login(admin_user)
        assert "1 notification may not have been delivered" in client.get(reverse("manage_home")).content.decode()
        listed = client.get(CHANGELIST + "?delivery=uncertain").content.decode()
        others = [address for address, _ in messages if address != crashed.address]
        assert crashed.address in listed and others and not any(address in listed for address in others)
        # The mail server's log shows it left: the admin dismisses it, and nothing is sent.
        client.post(CHANGELIST, {"action": "dismiss", "_selected_action": [crashed.pk]})
        assert "may not have been delivered" not in client.get(reverse("manage_home")).content.decode()
    crashed.refresh_from_db()
    assert (crashed.status, crashed.settled_by, crashed.sent_at) == (NotificationStatus.DISMISSED, admin_user, None)
    assert mail.outbox == [] and len(sent(tmp_path)) == 2


def test_a_crash_after_the_claim_and_before_sending_is_shown_to_admins_and_resent_once(
        due_in_two_weeks, admin_user, client, tmp_path):
    code, _, err = run_reminders(tmp_path, FAULT="crash-before-first-send")
    assert code == KILLED, err
    claim = Notification.objects.get()
    assert claim.status == NotificationStatus.CLAIMED and sent(tmp_path) == []

    assert run_reminders(tmp_path)[:2] == (0, "1 sent\n")
    assert run_reminders(tmp_path)[:2] == (0, "0 sent\n")  # later runs leave the claim alone too
    assert [address for address, _ in sent(tmp_path)] == [
        n.address for n in Notification.objects.exclude(pk=claim.pk)]  # not silently sent, not sent twice

    with later():
        client.force_login(admin_user)
        assert "1 notification may not have been delivered" in client.get(reverse("manage_home")).content.decode()
        assert claim.address in client.get(CHANGELIST + "?delivery=uncertain").content.decode()
        client.post(CHANGELIST, {"action": "resend", "_selected_action": [claim.pk]})
        client.post(CHANGELIST, {"action": "resend", "_selected_action": [claim.pk]})  # a second click: nothing
    [resent] = mail.outbox
    assert (resent.to, resent.extra_headers["Message-ID"], resent.subject) == (
        [claim.address], claim.message_id, claim.subject)  # the words claimed, under the claim's Message-ID
    claim.refresh_from_db()
    assert (claim.status, claim.settled_by) == (NotificationStatus.RESENT, admin_user) and claim.sent_at
    assert run_reminders(tmp_path)[:2] == (0, "0 sent\n")
    assert len(sent(tmp_path)) + len(mail.outbox) == Notification.objects.count() == 2  # each filer once


def test_a_dropped_database_connection_does_not_end_the_run_and_sends_nothing_twice(due_in_two_weeks, tmp_path):
    process = reminders_process(tmp_path, FAULT="pause-after-first-send", FAULT_SIGNALS=str(tmp_path))
    deadline = time.monotonic() + 60
    while not (tmp_path / "sent").exists():  # the first email is out, not yet marked sent
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.05)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid() AND application_name = %s", [APPLICATION])
        assert cursor.fetchall() == [(True,)]
    (tmp_path / "go").touch()
    out, err = process.communicate(timeout=120)

    assert (process.returncode, out.strip()) == (0, "2 sent"), err
    assert "the database connection broke" in err  # and the step ran again on a new one
    messages = sent(tmp_path)
    assert len(messages) == len(set(messages)) == 2
    assert ledger() == {message: NotificationStatus.SENT for message in messages}


def test_the_task_runs_again_later_when_the_database_stays_away():
    assert {OperationalError, InterfaceError} <= set(send_reminders.autoretry_for)
    assert send_reminders.retry_backoff and send_reminders.acks_late
