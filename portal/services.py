"""Admins' workflows on cycles: creating, closing, reopening, extensions."""

from django.db import transaction
from django.utils import timezone

from portal.models import Extension, ReportingCycle, Reopening


@transaction.atomic
def cycle_create(*, form):
    from assessments.services import questionnaire_for

    cycle = form.save()
    questionnaire_for(cycle)
    return cycle


def cycle_close(*, cycle):
    """Drafts can no longer be edited, except for member states an admin reopens it for."""
    ReportingCycle.objects.filter(pk=cycle.pk).update(status=ReportingCycle.Status.CLOSED, closed_at=timezone.now())


def cycle_open(*, cycle):
    ReportingCycle.objects.filter(pk=cycle.pk).update(status=ReportingCycle.Status.OPEN, closed_at=None)


def reopening_grant(*, cycle, member_state, until, reason, user):
    Reopening.objects.update_or_create(
        cycle=cycle, member_state=member_state, defaults={"until": until, "reason": reason, "granted_by": user}
    )


def extension_grant(*, form, user):
    extension, _ = Extension.objects.update_or_create(
        milestone=form.milestone, member_state=form.cleaned_data["member_state"],
        defaults={"due_date": form.cleaned_data["due_date"], "due_time": form.cleaned_data["due_time"],
                  "reason": form.cleaned_data["reason"], "granted_by": user},
    )
    return extension
