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


def reporter_add(*, authority, by, username, email, first_name="", last_name=""):
    """A lead reporter adds a reporter to its own authority; they set their own password from the emailed link."""
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from portal.lib.mail import send_templated
    from portal.models import Role, User

    with transaction.atomic():
        user = User(username=username, email=email, first_name=first_name, last_name=last_name, authority=authority)
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=Role.REPORTER))
    link = settings.SITE_URL + reverse("password_reset_confirm", args=[
        urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)])
    transaction.on_commit(lambda: send_templated("welcome", {"recipient": user, "by": by, "link": link}, email))
    return user


def reporter_set_active(*, user, active):
    from portal.models import User

    User.objects.filter(pk=user.pk).update(is_active=active)
