"""Access requests: asked by a person EU Login knows and the portal does not, decided by those portal/access.py
names (admins; the authority's lead reporters for the reporter role).

The notices are emailed once the transaction commits, once per request made and once per decision. They are not in
the notification ledger (portal/models/notifications.py): its rows are keyed on a milestone and a deadline, which a
request has not. Each notice is sent by the one call that wins: the request's creation (one pending request per
person, a database constraint) or the decision (a conditional UPDATE that only one decider can win). A mail
server that fails is logged (`robust`), not shown as an error: the request or the decision is saved either way.
"""

from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from portal import access, audit
from portal.eulogin.provisioning import PROVIDER_ID
from portal.lib.mail import send_templated
from portal.models import AccessRequest, AccessRequestStatus, Role, User
from portal.services.team import username_for


class AlreadyPending(Exception):
    """This person has a request waiting already."""


class AlreadyDecided(Exception):
    """Somebody decided this request first (or it was decided long ago)."""


class EmailTaken(Exception):
    """An account with the requester's e-mail exists: approving would make a second one."""


def access_request_make(*, identity, authority, role, why):
    """Record the request of the person EU Login told us about (`identity`: sub, email, name) and tell its deciders."""
    try:
        with transaction.atomic():
            made = AccessRequest.objects.create(subject=identity["sub"], email=identity["email"],
                                                name=identity.get("name") or "", authority=authority, role=role,
                                                why=why)
            _audit(audit.Event.ACCESS_REQUESTED, made)
    except IntegrityError as error:  # access_request_one_pending_per_subject: asked twice, or two tabs at once
        raise AlreadyPending from error
    transaction.on_commit(lambda: _tell_deciders(made), robust=True)
    return made


def deciders(access_request):
    """The active people who may decide the request, by the access module's rule."""
    candidates = (User.objects.filter(is_active=True)
                  .filter(Q(is_superuser=True) | Q(groups__name=Role.ADMIN)
                          | Q(authority_id=access_request.authority_id, groups__name=Role.LEAD_REPORTER))
                  .distinct().prefetch_related("groups").order_by("pk"))
    return [user for user in candidates if user.email and access.may_decide_access_request(user, access_request)]


def access_request_decide(*, access_request, by, approve, refusal_reason=""):
    """Approve (make the account, linked to the EU Login subject) or refuse (with a reason the requester reads).

    The decision is a conditional UPDATE of a pending row: of two deciders at once, one changes it, the other gets
    AlreadyDecided and changes nothing."""
    with transaction.atomic():
        if approve and User.objects.filter(email__iexact=access_request.email).exists():
            raise EmailTaken
        won = AccessRequest.objects.filter(pk=access_request.pk, status=AccessRequestStatus.PENDING).update(
            status=AccessRequestStatus.APPROVED if approve else AccessRequestStatus.REFUSED, decided_by=by,
            decided_at=timezone.now(), refusal_reason="" if approve else refusal_reason)
        if not won:
            raise AlreadyDecided
        access_request.refresh_from_db()
        if approve:
            access_request.user = _account_for(access_request)
            access_request.save(update_fields=["user"])
        _audit(audit.Event.ACCESS_APPROVED if approve else audit.Event.ACCESS_REFUSED, access_request, actor=by,
               reason=access_request.refusal_reason)
    transaction.on_commit(lambda: send_templated("access_decided", {"request": access_request, "recipient": None},
                                                 access_request.email), robust=True)
    return access_request


def _account_for(access_request):
    """The account the approval makes: no password (EU Login signs them in), the role asked, the subject linked."""
    # EU Login gives one name: kept whole as the first name rather than guessing where a surname starts.
    user = User(username=username_for(access_request.authority.member_state, access_request.name, ""),
                email=access_request.email, first_name=access_request.name[:150], authority=access_request.authority)
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=access_request.role))
    SocialAccount.objects.create(user=user, provider=PROVIDER_ID, uid=access_request.subject)
    return user


def _audit(event, access_request, actor=None, **details):
    audit.record(event, subject=access_request, actor=actor, member_state=access_request.authority.member_state,
                 subject_repr=access_request.name or access_request.email, role=access_request.role,
                 authority=access_request.authority.name, **details)


def _tell_deciders(access_request):
    for decider in deciders(access_request):
        send_templated("access_requested", {"request": access_request, "recipient": decider}, decider.email)
