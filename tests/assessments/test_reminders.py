import datetime
import time

import pytest
import time_machine
from django.core import mail

from assessments import reminders, services
from portal import services as portal_services
from portal.models import BRUSSELS, Notification, NotificationStatus
from tests import factories
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


def morning(day, month=7):
    return datetime.datetime(2019, month, day, 8, 0, tzinfo=BRUSSELS)


@pytest.fixture
def setup(reporter_at, lead_at, reporter_fr, admin_user):
    """AT (two filers) has not submitted; FR has; DE has no filer; due 15 July 2019."""
    cycle = helpers.cycle_with_questionnaire(codes=["AT", "FR", "DE"])
    lead_fr = factories.user("lead reporter", "FR")
    draft_fr = helpers.fill(helpers.start(cycle, reporter_fr))
    services.assessment_submit(certify=True, assessment=draft_fr, user=lead_fr, now=morning(1))
    return cycle


def run(day, month=7):
    mail.outbox.clear()
    with time_machine.travel(morning(day, month), tick=False):
        return reminders.send_reminders()


def recipients():
    return sorted(message.to[0] for message in mail.outbox)


def test_reminders_go_to_the_filers_of_a_member_state_that_has_not_submitted_on_the_right_days(setup):
    assert run(30, month=6) == 0  # 15 days before: nothing yet
    assert run(1) == 2  # 14 days before
    assert recipients() == ["anna-at@example.eu", "lukas-at@example.eu"]
    assert "Monday 15 July 2019 until midnight, Brussels time" in mail.outbox[0].body
    assert mail.outbox[0].alternatives and "Austria" in mail.outbox[0].subject
    assert run(2) == 0
    assert run(8) == 2  # 7 days before
    assert run(14) == 2  # 1 day before
    assert run(15) == 0  # the due day: the 1-day reminder is already out
    assert run(16) == 3  # the day after: overdue notices to AT's filers, and the admins' summary
    summary = next(m for m in mail.outbox if m.to == ["ada-admin@example.eu"])
    assert "Austria" in summary.body and "Germany" in summary.body and "France" not in summary.body
    assert run(17) == 0
    assert run(30) == 0  # the catch-up window is over


def test_running_the_job_twice_sends_nothing_new(setup):
    assert run(8) == 2
    assert run(8) == 0
    assert Notification.objects.count() == 2


def test_a_missed_day_is_caught_up_once(setup):
    assert run(3) == 2  # the 14-day reminder, two days late because the job was down
    assert Notification.objects.filter(days_before=14).count() == 2
    assert run(4) == 0


def test_a_member_state_with_an_extension_is_reminded_for_its_new_date_only(setup, admin_user):
    assert run(1) == 2
    portal_services.extension_grant(milestone=setup.milestones.get(), member_state=factories.member_state("AT"),
                                    due_date=datetime.date(2019, 7, 31), due_time=None, reason="Elections",
                                    user=admin_user, granted_at=morning(1))
    assert run(8) == 0  # 23 days before the new date
    assert run(14) == 0
    assert run(16) == 1  # only the admins' summary, for Germany
    assert "Austria" not in mail.outbox[0].body
    assert run(17) == 2  # 14 days before 31 July
    assert "Wednesday 31 July 2019" in mail.outbox[0].body


def test_a_submitted_member_state_gets_no_reminder(setup):
    run(1)
    assert not any("France" in m.subject for m in mail.outbox)


def test_the_schedule_is_set_per_cycle(setup):
    type(setup).objects.filter(pk=setup.pk).update(reminder_days="3")
    assert run(1) == 0
    assert run(12) == 2


def test_a_failed_send_is_not_recorded_and_is_tried_again(setup, settings):
    settings.EMAIL_BACKEND = "tests.assessments.test_reminders.FailingBackend"
    with pytest.raises(ConnectionError):
        run(1)
    assert Notification.objects.count() == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run(1) == 2


class FailingBackend:
    refused = []  # (to, Message-ID) of every message it was handed

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        FailingBackend.refused += [(m.to, m.extra_headers.get("Message-ID")) for m in messages]
        raise ConnectionError("SMTP server down")


def test_a_send_the_mail_server_refused_goes_out_next_run_under_the_same_message_id(setup, settings):
    settings.EMAIL_BACKEND = "tests.assessments.test_reminders.FailingBackend"
    FailingBackend.refused.clear()
    with pytest.raises(ConnectionError):
        run(1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run(1)
    first = mail.outbox[0]
    assert FailingBackend.refused == [(first.to, first.extra_headers["Message-ID"])]
    assert Notification.objects.get(address=first.to[0]).message_id == first.extra_headers["Message-ID"]


def test_a_claim_is_its_runs_alone(setup, reporter_at):
    """A run whose claim committed but whose connection broke before it heard so claims again and finds its own
    row; any other run finds a claimed row and leaves it."""
    milestone = setup.milestones.get()
    key = {"milestone": milestone, "member_state": reporter_at.member_state, "kind": "reminder", "days_before": 14,
           "recipient": reporter_at, "deadline": milestone.deadline.ends_at, "template": "reminder",
           "context": {"milestone": milestone, "cycle": setup, "member_state": reporter_at.member_state,
                       "deadline": milestone.deadline, "extension": None,
                       "time_left": datetime.timedelta(days=14)}}
    claim = portal_services.notification_claim(**key, by="run one")
    assert claim.status == "claimed" and claim.sent_at is None and "Austria" in claim.subject
    assert portal_services.notification_claim(**key, by="run one") == claim
    assert portal_services.notification_claim(**key, by="run two") is None
    assert portal_services.notification_mark_sent(notification=claim)
    assert portal_services.notification_claim(**key, by="run one") is None  # sent: nobody's to send again
    assert not portal_services.notification_mark_sent(notification=claim)


def test_a_mail_server_that_never_answers_ends_the_run_and_leaves_the_reminders_for_the_next(
        setup, settings, silent_server):
    """A mail server that accepts and never answers: the run gives up after EMAIL_TIMEOUT (set by default, so no
    worker waits on it until it is killed), sends nothing, and the next run sends each reminder once."""
    assert 0 < settings.EMAIL_TIMEOUT <= 30  # the portal's default: a send never waits for ever
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", silent_server, 1
    started = time.monotonic()
    with pytest.raises(OSError), time_machine.travel(morning(1), tick=False):
        reminders.send_reminders()
    assert time.monotonic() - started < 10
    assert not Notification.objects.filter(status=NotificationStatus.SENT).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    assert run(1) == 2  # the next run sends both reminders, once
    assert recipients() == ["anna-at@example.eu", "lukas-at@example.eu"]
    assert run(1) == 0
