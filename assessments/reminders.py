"""Reminders before a member state's effective deadline, overdue notices, and the admins' summary.

Once, across a crash at any point, from the portal's side (but see a mail server that dies mid-conversation
below). Every notification has a row in the ledger (portal.Notification), unique per milestone, member state, kind,
days, recipient and deadline, and goes through three steps, none of which sends inside a transaction:

1. **claim**: the row is rendered and committed, status `claimed`, with when and which run claimed it;
2. **send**: the email goes out with the row's own Message-ID (derived from its key), word for word as claimed;
3. **mark**: a short transaction sets it `sent` with `sent_at`.

Beat firing twice, a worker retrying, a redelivered task: a claimed key is never claimed again. A send that raises
withdraws its claim and the task retries; the next attempt sends the same Message-ID. That is exactly once when
the mail server refused the message or was unreachable; a server that took the message and died before confirming
it raises too, and its recipient gets the same message (the same Message-ID) again: the portal does not tell the
two apart (docs/deadlines.md says so). A crash between 1 and 3 (a killed worker, a lost machine)
leaves a claim without `sent_at`: the email may have left or not, and the portal cannot know. Such a claim is
**never resent automatically**: after NOTIFICATION_UNCERTAIN_AFTER_MINUTES it is *uncertain* and shown to admins
(the Manage page, the Django admin's notifications, filter "uncertain"), who resend it (same Message-ID, same words,
recorded with who and when) or dismiss it. A dropped database connection does not end the run: the step that
failed runs again on a new connection (portal.lib.db.with_reconnect), and each step recognises its own earlier
attempt, so nothing is claimed or sent twice; a database that stays away fails the run, and the task retries it.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from assessments.population import cycle_population
from portal import services
from portal.lib.db import with_reconnect
from portal.models import BRUSSELS, MemberState, Milestone, NotificationKind, ReportingCycle, Role, User

log = logging.getLogger(__name__)

# Overdue notices and the admins' summary go out from the day after the
# deadline; a job that was down catches up for this many days, no longer.
CATCH_UP_DAYS = 7


def reminder_for(days_left, schedule):
    """(kind, days_before) due for a member state with `days_left` calendar days to its deadline, or None.

    The reminder is the nearest scheduled one not yet passed: on the 14th day
    before, the 14-day reminder; if the job missed that day, the 13th day still
    sends it (once: the ledger keeps it from going out twice).
    """
    if days_left < 0:
        return (NotificationKind.OVERDUE, 0) if -days_left <= CATCH_UP_DAYS else None
    candidates = [days for days in schedule if days_left <= days]
    return (NotificationKind.REMINDER, min(candidates)) if candidates else None


@dataclass(frozen=True)
class Due:
    """One notification the schedule says is due now: its ledger key, its template and what the template shows."""

    milestone: Milestone
    member_state: MemberState | None  # None: the admins' summary
    kind: str
    days_before: int
    recipient: User
    deadline: datetime.datetime  # the instant the deadline ends
    template: str
    context: dict


def due_now(now):
    """Every notification due at `now` (Brussels date), sent or not: the ledger says which are new. Reads only.

    Who is reminded comes from the cycle's population (assessments.population): covered, a member on the
    reference date, not yet submitted, with its effective deadline.
    """
    today = now.astimezone(BRUSSELS).date()
    cycles = list(ReportingCycle.objects.open().filter(
        milestones__tracks_submission=True, milestones__scope=Milestone.Scope.MEMBER_STATE).distinct())
    staff = {}
    for user in User.objects.filter(
        is_active=True, authority__isnull=False, groups__name__in=[Role.REPORTER, Role.LEAD_REPORTER]
    ).exclude(email="").select_related("authority").distinct().order_by("pk"):
        staff.setdefault(user.authority.member_state_id, []).append(user)
    admins = list(User.objects.filter(Q(groups__name=Role.ADMIN) | Q(is_superuser=True), is_active=True)
                  .exclude(email="").distinct().order_by("pk"))

    due = []
    for cycle in cycles:
        milestone = cycle.submission_milestone
        overdue = []
        for member in cycle_population(cycle, at=now):
            if member.has_submitted:
                continue
            member_state, deadline, extension = member.member_state, member.deadline, member.extension
            days_left = (deadline.last_day - today).days
            if member.is_overdue:
                overdue.append((member_state, deadline, extension))
            plan = reminder_for(days_left, cycle.reminder_schedule)
            if plan is None:
                continue
            kind, days_before = plan
            context = {"milestone": milestone, "cycle": cycle, "member_state": member_state, "deadline": deadline,
                       "extension": extension, "time_left": datetime.timedelta(days=days_left)}
            due += [Due(milestone, member_state, kind, days_before, user, deadline.ends_at, kind, context)
                    for user in staff.get(member_state.pk, [])]
        days_since = (today - milestone.due_date).days
        if overdue and 1 <= days_since <= CATCH_UP_DAYS:
            context = {"milestone": milestone, "cycle": cycle, "overdue": overdue}
            due += [Due(milestone, None, NotificationKind.ADMIN_SUMMARY, 0, admin, milestone.deadline.ends_at,
                        "admin_summary", context) for admin in admins]
    return due


def _deliver(due, *, by):
    """Claim (committed), send, mark sent: 1 if this run sent it, 0 if another run had claimed it."""
    where = f"{due.kind} to {due.recipient.get_username()}"
    claim = with_reconnect(lambda: services.notification_claim(
        milestone=due.milestone, member_state=due.member_state, kind=due.kind, days_before=due.days_before,
        recipient=due.recipient, deadline=due.deadline, template=due.template, context=due.context, by=by),
        what=f"claiming the {where}")
    if claim is None:
        return 0
    try:
        services.notification_send(notification=claim)
    except Exception:
        with_reconnect(lambda: services.notification_release(notification=claim), what=f"releasing the {where}")
        raise
    # Sent: from here a lost connection must not end the run, or the claim stays open and admins are asked.
    with_reconnect(lambda: services.notification_mark_sent(notification=claim), what=f"marking the {where} sent")
    return 1


def send_reminders(*, now=None):
    """Send what is due now (Brussels date), exactly once. Returns the number of emails this run sent."""
    now = now or timezone.now()
    by = services.claimant()
    sent = sum(_deliver(due, by=by) for due in with_reconnect(lambda: due_now(now), what="reading what is due"))
    log.info("reminders: %s sent (%s)", sent, by)
    return sent
