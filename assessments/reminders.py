"""Reminders before a member state's effective deadline, overdue notices, and the admins' summary.

Every notification is claimed in the ledger (portal.Notification, unique per
milestone, member state, kind, days, recipient and deadline) in the same
transaction that sends it: beat firing twice or a worker retrying sends nothing
twice, and a send that fails is rolled back and tried again on the next run.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from assessments.models import NationalAssessment
from portal.deadlines import due_for, effective_deadlines
from portal.lib.mail import send_templated
from portal.models import BRUSSELS, MemberState, Milestone, Notification, NotificationKind, ReportingCycle, Role, User

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
    """Send what is due today (Brussels date). Returns the number of emails sent."""
    now = now or timezone.now()
    today = now.astimezone(BRUSSELS).date()
    milestones = list(
        Milestone.objects.filter(cycle__status=ReportingCycle.Status.OPEN, scope=Milestone.Scope.MEMBER_STATE,
                                 tracks_submission=True)
        .select_related("cycle")
        .prefetch_related(Prefetch("cycle__member_states", queryset=MemberState.objects.order_by("name")))
    )
    extensions = effective_deadlines(milestones)
    submitted = set(
        NationalAssessment.objects.filter(cycle__in={m.cycle_id for m in milestones}, versions__isnull=False)
        .values_list("cycle_id", "member_state_id")
    )
    staff = {}
    for user in User.objects.filter(
        is_active=True, authority__isnull=False, groups__name__in=[Role.REPORTER, Role.LEAD_REPORTER]
    ).exclude(email="").select_related("authority").distinct():
        staff.setdefault(user.authority.member_state_id, []).append(user)
    admins = list(User.objects.filter(Q(groups__name=Role.ADMIN) | Q(is_superuser=True), is_active=True)
                  .exclude(email="").distinct())

    sent = 0
    for milestone in milestones:
        overdue = []
        for member_state in milestone.cycle.member_states.all():
            if (milestone.cycle_id, member_state.pk) in submitted or not member_state.is_member_on(milestone.due_date):
                continue
            due, extension = due_for(milestone, member_state, extensions)
            days_left = (due.astimezone(BRUSSELS).date() - today).days
            if due < now:
                overdue.append((member_state, due, extension))
            plan = reminder_for(days_left, milestone.cycle.reminder_schedule)
            if plan is None:
                continue
            kind, days_before = plan
            context = {"milestone": milestone, "cycle": milestone.cycle, "member_state": member_state, "due": due,
                       "extension": extension, "days_left": days_left}
            for user in staff.get(member_state.pk, []):
                sent += _claim_and_send(milestone=milestone, member_state=member_state, kind=kind,
                                        days_before=days_before, recipient=user, deadline=due, template=kind,
                                        context=context)
        days_since = (today - milestone.due_date).days
        if overdue and 1 <= days_since <= CATCH_UP_DAYS:
            context = {"milestone": milestone, "cycle": milestone.cycle, "overdue": overdue}
            for admin in admins:
                sent += _claim_and_send(milestone=milestone, member_state=None, kind=NotificationKind.ADMIN_SUMMARY,
                                        days_before=0, recipient=admin, deadline=milestone.due_at,
                                        template="admin_summary", context=context)
    log.info("reminders: %s sent", sent)
    return sent
