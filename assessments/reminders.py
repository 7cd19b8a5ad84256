"""Reminders before a member state's effective deadline, overdue notices, and the admins' summary.

Every notification is claimed in the ledger (portal.Notification, unique per
milestone, member state, kind, days, recipient and deadline) in the same
transaction that sends it: beat firing twice or a worker retrying sends nothing
twice, and a send that fails is rolled back and tried again on the next run.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from assessments.population import cycle_population
from portal.lib.mail import send_templated
from portal.models import BRUSSELS, Milestone, Notification, NotificationKind, ReportingCycle, Role, User

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


def _claim_and_send(*, milestone, member_state, kind, days_before, recipient, deadline, template, context):
    try:
        with transaction.atomic():
            Notification.objects.create(milestone=milestone, member_state=member_state, kind=kind,
                                        days_before=days_before, recipient=recipient, deadline=deadline)
            send_templated(template, {**context, "recipient": recipient}, recipient.email)
    except IntegrityError:
        return 0  # already sent
    return 1


def send_reminders(*, now=None):
    """Send what is due today (Brussels date). Returns the number of emails sent.

    Who is reminded comes from the cycle's population (assessments.population): covered, a member on the
    reference date, not yet submitted, with its effective deadline.
    """
    now = now or timezone.now()
    today = now.astimezone(BRUSSELS).date()
    cycles = list(ReportingCycle.objects.open().filter(
        milestones__tracks_submission=True, milestones__scope=Milestone.Scope.MEMBER_STATE).distinct())
    staff = {}
    for user in User.objects.filter(
        is_active=True, authority__isnull=False, groups__name__in=[Role.REPORTER, Role.LEAD_REPORTER]
    ).exclude(email="").select_related("authority").distinct():
        staff.setdefault(user.authority.member_state_id, []).append(user)
    admins = list(User.objects.filter(Q(groups__name=Role.ADMIN) | Q(is_superuser=True), is_active=True)
                  .exclude(email="").distinct())

    sent = 0
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
                       "extension": extension, "days_left": days_left}
            for user in staff.get(member_state.pk, []):
                sent += _claim_and_send(milestone=milestone, member_state=member_state, kind=kind,
                                        days_before=days_before, recipient=user, deadline=deadline.ends_at,
                                        template=kind, context=context)
        days_since = (today - milestone.due_date).days
        if overdue and 1 <= days_since <= CATCH_UP_DAYS:
            context = {"milestone": milestone, "cycle": cycle, "overdue": overdue}
            for admin in admins:
                sent += _claim_and_send(milestone=milestone, member_state=None, kind=NotificationKind.ADMIN_SUMMARY,
                                        days_before=0, recipient=admin, deadline=milestone.deadline.ends_at,
                                        template="admin_summary", context=context)
    log.info("reminders: %s sent", sent)
    return sent
