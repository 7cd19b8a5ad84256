"""Admins' workflows on cycles: creating, closing, reopening, coverage and extensions.

Coverage, reopenings and extensions are history: a change ends the current row
(with who and when) and starts a new one, so that figures as of a past day use
what was in force then.
"""

from django.db import transaction
from django.utils import timezone

from portal.models import CycleCoverage, Extension, Reopening, ReportingCycle


class CoverageRefused(Exception):
    """A member state that was not a member of the Union on the cycle's reference date cannot be asked."""


@transaction.atomic
def cycle_create(*, title, year, starts_on, member_states, user, lock_on_deadline=False, reminder_days="14,7,1",
                 certifiers_required=1):
    """A new cycle asking `member_states` (each must be a member on `starts_on`) from its start."""
    cycle = ReportingCycle.objects.create(title=title, year=year, starts_on=starts_on,
                                          lock_on_deadline=lock_on_deadline, reminder_days=reminder_days,
                                          certifiers_required=certifiers_required)
    for member_state in member_states:
        coverage_add(cycle=cycle, member_state=member_state, user=user, from_start=True)
    return cycle


def coverage_add(*, cycle, member_state, user, from_start=False, now=None):
    """Ask one more member state: from the cycle's start when it is created with it (or has not begun), else now."""
    if not cycle.may_cover(member_state):
        raise CoverageRefused(member_state)
    since = cycle.starts_at if from_start else max(now or timezone.now(), cycle.starts_at)
    coverage, _ = CycleCoverage.objects.not_ended().get_or_create(
        cycle=cycle, member_state=member_state, defaults={"since": since, "added_by": user})
    return coverage


def coverage_end(*, cycle, member_state, user, reason="", now=None):
    """Stop asking a member state. The row is ended, not deleted: the past stays as it was."""
    now = now or timezone.now()
    for coverage in CycleCoverage.objects.not_ended().select_for_update().filter(cycle=cycle,
                                                                                 member_state=member_state):
        coverage.until, coverage.removed_by, coverage.removal_reason = max(now, coverage.since), user, reason
        coverage.save(update_fields=["until", "removed_by", "removal_reason"])


# Changes go through save(), never a queryset update(): the audit trail (portal/audit.py) sees only saves.

@transaction.atomic
def cycle_close(*, cycle):
    """Drafts can no longer be edited, except for member states an admin reopens it for."""
    cycle = ReportingCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != ReportingCycle.Status.CLOSED:
        cycle.status, cycle.closed_at = ReportingCycle.Status.CLOSED, timezone.now()
        cycle.save(update_fields=["status", "closed_at"])
    return cycle


@transaction.atomic
def cycle_open(*, cycle):
    cycle = ReportingCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != ReportingCycle.Status.OPEN:
        cycle.status, cycle.closed_at = ReportingCycle.Status.OPEN, None
        cycle.save(update_fields=["status", "closed_at"])
    return cycle


@transaction.atomic
def reopening_grant(*, cycle, member_state, until, reason, user):
    """Let one member state edit again; a reopening already in force for it is ended and replaced."""
    now = timezone.now()
    for current in Reopening.objects.not_ended().select_for_update().filter(cycle=cycle, member_state=member_state):
        reopening_end(reopening=current, user=user, now=now)
    return Reopening.objects.create(cycle=cycle, member_state=member_state, until=until, reason=reason,
                                    granted_by=user, granted_at=now)


@transaction.atomic
def reopening_end(*, reopening, user, now=None):
    """End a reopening in force (ended, never deleted); one already ended stays as it was."""
    for current in Reopening.objects.not_ended().select_for_update().filter(pk=reopening.pk):
        current.ended_at, current.ended_by = now or timezone.now(), user
        current.save(update_fields=["ended_at", "ended_by"])


@transaction.atomic
def extension_grant(*, milestone, member_state, due_date, due_time, reason, user, granted_at=None):
    """A later deadline for one member state; one already in force is ended and replaced (history kept)."""
    granted_at = granted_at or timezone.now()
    for current in Extension.objects.not_ended().select_for_update().filter(milestone=milestone,
                                                                            member_state=member_state):
        extension_revoke(extension=current, user=user, now=granted_at)
    return Extension.objects.create(milestone=milestone, member_state=member_state, due_date=due_date,
                                    due_time=due_time, reason=reason, granted_by=user, granted_at=granted_at)


@transaction.atomic
def extension_revoke(*, extension, user, now=None):
    """End an extension in force (ended, never deleted); one already ended stays as it was."""
    for current in Extension.objects.not_ended().select_for_update().filter(pk=extension.pk):
        current.ended_at, current.ended_by = now or timezone.now(), user
        current.save(update_fields=["ended_at", "ended_by"])
