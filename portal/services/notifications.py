"""The ledger's steps: claim (committed), send, mark sent; and what an admin does with an uncertain claim.

No step sends inside a transaction, and every database step is one statement or one short transaction that a
second attempt recognises as done (the unique key, a conditional UPDATE on the claimant), so that a caller can
run it again on a new connection (portal.lib.db.with_reconnect). The states: portal/models/notifications.py.
"""

import logging
import os
import socket
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.lib import mail
from portal.models import Notification, NotificationStatus

log = logging.getLogger(__name__)


def claimant(role="run"):
    """Who claims, as admins will read it: host, process, and a token of this run alone."""
    return f"{role} {uuid.uuid4().hex[:12]} on {socket.gethostname()} pid {os.getpid()}"[:200]


def notification_claim(*, milestone, member_state, kind, days_before, recipient, deadline, template, context, by):
    """Render one notification and commit its claim; None when it was claimed before, by any run, ever.

    A claim retried after its connection broke may find the row its first attempt did commit (the commit went
    through, its answer did not): that row names `by`, this run, and is this run's to send.
    """
    key = {"milestone": milestone, "member_state": member_state, "kind": kind, "days_before": days_before,
           "recipient": recipient, "deadline": deadline}
    found = Notification.objects.filter(**key).first()
    if found is not None:
        return found if found.status == NotificationStatus.CLAIMED and found.claimed_by == by else None
    subject, body, body_html = mail.render_templated(template, {**context, "recipient": recipient})
    try:
        with transaction.atomic():
            return Notification.objects.create(
                **key, address=recipient.email, subject=subject, body=body, body_html=body_html,
                message_id=Notification.message_id_for(**key), claimed_at=timezone.now(), claimed_by=by)
    except IntegrityError:
        return None  # another run claimed it between our look and our INSERT


def notification_send(*, notification):
    """Send the claimed email, word for word, under its own Message-ID. Raises when the mail server refuses."""
    mail.send_rendered(notification.subject, notification.body, notification.body_html, notification.address,
                       message_id=notification.message_id)


def notification_mark_sent(*, notification):
    """The claim is sent. Conditional on the claim being still ours and open: a second attempt changes nothing."""
    return bool(Notification.objects.filter(
        pk=notification.pk, status=NotificationStatus.CLAIMED, claimed_by=notification.claimed_by,
    ).update(status=NotificationStatus.SENT, sent_at=timezone.now()))


def notification_release(*, notification):
    """Withdraw a claim whose send raised: the mail server refused it or could not be reached, so the next run
    claims it again. Should the server have taken it after all, the second is the same Message-ID."""
    Notification.objects.filter(pk=notification.pk, status=NotificationStatus.CLAIMED,
                                claimed_by=notification.claimed_by).delete()


def notification_resend(*, notification, user):
    """An admin resends an uncertain claim, with its Message-ID and words. False when it is no longer uncertain.

    The resend is itself a committed claim first (a fresh claimed_at takes it out of "uncertain"), so that two
    admins clicking at once send it once, and a crash during the resend leaves it uncertain again, not lost.
    """
    before = (notification.claimed_at, notification.claimed_by)
    by = claimant(f"resend by {user.get_username()},")
    if not Notification.objects.uncertain(timezone.now()).filter(pk=notification.pk).update(
            claimed_at=timezone.now(), claimed_by=by):
        return False
    log.info("notification %s (%s): resent by %s; claimed by %s at %s, never marked sent", notification.pk,
             notification.message_id, user.get_username(), before[1], before[0])
    notification.refresh_from_db()
    try:
        notification_send(notification=notification)
    except Exception:
        # Back as it was, uncertain: the admin sees the error and may try again.
        Notification.objects.filter(pk=notification.pk, status=NotificationStatus.CLAIMED, claimed_by=by).update(
            claimed_at=before[0], claimed_by=before[1])
        raise
    now = timezone.now()
    return bool(Notification.objects.filter(pk=notification.pk, status=NotificationStatus.CLAIMED, claimed_by=by)
                .update(status=NotificationStatus.RESENT, sent_at=now, settled_by=user, settled_at=now))


def notification_dismiss(*, notification, user):
    """An admin settles an uncertain claim without resending (the mail log shows it left, or it no longer matters)."""
    now = timezone.now()
    return bool(Notification.objects.uncertain(now).filter(pk=notification.pk).update(
        status=NotificationStatus.DISMISSED, settled_by=user, settled_at=now))
