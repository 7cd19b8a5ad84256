"""The audit trail: who did what, when, from where. One table, django-auditlog's LogEntry.

Two kinds of entry land there:

- **Changes** to the configuration everything else hangs on (cycles and their coverage, milestones, extensions,
  reopenings, questionnaires, users and their roles, second factors): django-auditlog records every save and
  delete of the models registered with `track()`, with the fields that changed, whatever made them (a portal page,
  the Django admin, a shell).
- **Events** that change no configuration but that someone must be able to answer for: sign-ins and failed ones,
  lockouts and unlocks, password resets, submissions, returns, acceptances, publications and their withdrawals, the
  handling markings set on drafts, versions, attachments, clarification threads and publications, and downloads
  of attachments, receipts, versions, workbooks and exports, each with the marking of what it held
  (portal/downloads.py). `record()` writes them.

Every entry says whose data it concerns (`member_state`, and `assessment` where there is one) in its
`additional_data`, so that the Activity page filters by member state and an assessment lists its own. The actor and
the address come from the request (`AuditMiddleware`); outside a request (Celery, a command) the actor is "system".
The pages say each entry as a sentence (portal/audit_words.py).
"""

from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts import client_address


class Event(models.TextChoices):
    SIGNED_IN = "signed-in", _("Signed in")
    SIGN_IN_FAILED = "sign-in-failed", _("Sign-in failed")
    SECOND_FACTOR_FAILED = "second-factor-failed", _("Second factor failed")
    SIGNED_OUT = "signed-out", _("Signed out")
    EU_LOGIN_LINKED = "eu-login-linked", _("EU Login account linked")
    EU_LOGIN_REFUSED = "eu-login-refused", _("EU Login sign-in refused")
    EU_LOGIN_UNKNOWN = "eu-login-unknown", _("EU Login sign-in without a portal account")
    ACCESS_REQUESTED = "access-requested", _("Access requested")
    ACCESS_APPROVED = "access-approved", _("Access request approved")
    ACCESS_REFUSED = "access-refused", _("Access request refused")
    LOCKED_OUT = "locked-out", _("Locked out after repeated failures")
    UNLOCKED = "unlocked", _("Unlocked")
    PASSWORD_RESET_REQUESTED = "password-reset-requested", _("Password reset requested")
    PASSWORD_RESET = "password-reset", _("Password set from an emailed link")
    PASSWORD_CHANGED = "password-changed", _("Password changed")
    FACTORS_RESET = "factors-reset", _("Second factors reset by an admin")
    API_TOKEN_MADE = "api-token-made", _("API token made")
    API_TOKEN_REVOKED = "api-token-revoked", _("API token revoked")
    CERTIFIED = "certified", _("Certified, awaiting a second certifier")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for clarification")
    ACCEPTED = "accepted", _("Accepted")
    PUBLISHED = "published", _("Coordinated review published")
    WITHDRAWN = "withdrawn", _("Publication of a coordinated review withdrawn")
    DOWNLOADED = "downloaded", _("Downloaded")
    MARKED = "marked", _("Handling marking set")


class Family(models.TextChoices):
    """What the Activity page filters by: kinds of action, as a security officer asks about them."""

    SIGN_INS = "sign-ins", _("Sign-ins and lockouts")
    SCHEDULE = "schedule", _("Cycles, deadlines, extensions, reopenings, questionnaires")
    USERS = "users", _("Users and roles")
    FACTORS = "factors", _("Second factors, passwords and API tokens")
    WORKFLOW = "workflow", _("Submissions, returns, acceptances, publications")
    DOWNLOADS = "downloads", _("Downloads")


# Models whose changes are tracked, as (app label, model name), by family. `track()` registers them.
TRACKED = {
    Family.SCHEDULE: [("portal", "reportingcycle"), ("portal", "cyclecoverage"), ("portal", "milestone"),
                      ("portal", "extension"), ("portal", "reopening"), ("assessments", "questionnaire"),
                      ("assessments", "supplier")],
    Family.USERS: [("portal", "user")],
    Family.FACTORS: [("mfa", "authenticator")],
}
EVENTS = {
    Family.SIGN_INS: [Event.SIGNED_IN, Event.SIGN_IN_FAILED, Event.SECOND_FACTOR_FAILED, Event.SIGNED_OUT,
                      Event.LOCKED_OUT, Event.UNLOCKED, Event.EU_LOGIN_LINKED, Event.EU_LOGIN_REFUSED,
                      Event.EU_LOGIN_UNKNOWN],
    Family.USERS: [Event.ACCESS_REQUESTED, Event.ACCESS_APPROVED, Event.ACCESS_REFUSED],
    Family.FACTORS: [Event.FACTORS_RESET, Event.PASSWORD_RESET_REQUESTED, Event.PASSWORD_RESET,
                     Event.PASSWORD_CHANGED, Event.API_TOKEN_MADE, Event.API_TOKEN_REVOKED],
    Family.WORKFLOW: [Event.CERTIFIED, Event.SUBMITTED, Event.RETURNED, Event.ACCEPTED, Event.PUBLISHED,
                        Event.WITHDRAWN, Event.MARKED],
    Family.DOWNLOADS: [Event.DOWNLOADED],
}


def track(model, **options):
    """Record every change to `model` (django-auditlog). Each app calls this for its own models.

    Only the model's own fields: django-auditlog would also keep each reverse relation of a row it creates, as
    "portal.Extension.None"."""
    reverse = [field.name for field in model._meta.get_fields() if field.auto_created and not field.concrete]
    options["exclude_fields"] = [*options.get("exclude_fields", []), *reverse]
    auditlog.register(model, **options)


def concerning(member_state=None, assessment=None, **details):
    """The `additional_data` of an entry: whose data it is about, and any details worth keeping."""
    data = {key: value for key, value in details.items() if value not in (None, "")}
    if member_state is not None:
        data["member_state"] = member_state.eu_code
    if assessment is not None:
        data["assessment"] = assessment.pk
        data.setdefault("member_state", assessment.member_state.eu_code)
    return data


def record(event, *, subject=None, actor=None, member_state=None, assessment=None, subject_repr=None, at=None,
           **details):
    """Write an event to the trail. `subject` is the object it is about (None for a name nobody has).

    `at` is when it happened, for the demo's history (portal/demo.py); everything else records the present."""
    entry = LogEntry(
        timestamp=at or timezone.now(),
        action=LogEntry.Action.ACCESS, changes={},
        content_type=ContentType.objects.get_for_model(subject if subject is not None else _user_model()),
        object_pk=str(subject.pk) if subject is not None else "",
        object_id=subject.pk if subject is not None and isinstance(subject.pk, int) else None,
        object_repr=(subject_repr or str(subject or ""))[:500],
        additional_data={"event": str(event), **concerning(member_state, assessment, **details)},
        actor=actor if actor is not None and actor.is_authenticated else None,
    )
    entry.save()  # the middleware's receiver fills in the request's actor and address where there is one
    return entry


def _user_model():
    from django.contrib.auth import get_user_model

    return get_user_model()


# Reading the trail (in words: portal/audit_words.py).

def entries():
    return LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")


def family_filter(family):
    family = Family(family)
    query = Q(pk__in=[])
    for app_label, model in TRACKED.get(family, []):
        query |= Q(content_type__app_label=app_label, content_type__model=model) & ~Q(action=LogEntry.Action.ACCESS)
    events = [str(event) for event in EVENTS.get(family, [])]
    if events:
        query |= Q(additional_data__event__in=events)
    return query


def for_member_state(code):
    return Q(additional_data__member_state=code)


def for_assessment(assessment):
    return Q(additional_data__assessment=assessment.pk)


class AuditMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, with the client address taken as lockouts take it (PROXY_COUNT)."""

    @staticmethod
    def _get_remote_addr(request):
        return client_address(request)

    @staticmethod
    def _get_remote_port(request):
        return None
