"""The ledger of notifications: what the portal emails on its own (reminders, overdue notices, admins' summaries).

A row is a claim before it is a record of a send. An email cannot be rolled back, so the row is committed first
(status `claimed`, when and by which process), the email goes out with the row's own Message-ID, and a second short
transaction marks it `sent`. A crash between the two leaves a claim that nothing resends on its own: the email may
have left. Once older than NOTIFICATION_UNCERTAIN_AFTER_MINUTES (longer than any run can last) it is *uncertain*,
and admins see it (the Django admin, the Manage page) and resend it, under the same Message-ID, or dismiss it.
"""

import hashlib
from datetime import UTC, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.lib import mail
from portal.models.member_states import MemberState
from portal.models.milestones import Milestone


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder before the deadline")
    OVERDUE = "overdue", _("Overdue notice")
    ADMIN_SUMMARY = "admin_summary", _("Summary of overdue member states, to admins")


class NotificationStatus(models.TextChoices):
    CLAIMED = "claimed", _("Claimed, not marked sent")
    SENT = "sent", _("Sent")
    RESENT = "resent", _("Resent by an admin")
    DISMISSED = "dismissed", _("Dismissed by an admin, not resent")


class Delivery(models.TextChoices):
    """What admins are told about a row: its status, with a claim split by its age (`Notification.delivery`)."""

    IN_FLIGHT = "in-flight", _("Being sent")
    UNCERTAIN = "uncertain", _("Uncertain: claimed, never marked sent")
    SENT = "sent", _("Sent")
    RESENT = "resent", _("Resent by an admin")
    DISMISSED = "dismissed", _("Dismissed by an admin")


def uncertain_after():
    return timedelta(minutes=settings.NOTIFICATION_UNCERTAIN_AFTER_MINUTES)


class NotificationQuerySet(models.QuerySet):
    def in_flight(self, now):
        return self.filter(status=NotificationStatus.CLAIMED, claimed_at__gt=now - uncertain_after())

    def uncertain(self, now):
        """Claims whose run ended (or died) without marking them sent: the email may or may not have left."""
        return self.filter(status=NotificationStatus.CLAIMED, claimed_at__lte=now - uncertain_after())


class Notification(models.Model):
    """One notification to one person: its unique key makes every notification claimed at most once, ever.

    The deadline is part of the key, so that a member state granted an extension
    is reminded again for its new date but never twice for the same one.
    """

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="notifications")
    member_state = models.ForeignKey(MemberState, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    days_before = models.PositiveSmallIntegerField(default=0)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # The instant the deadline ends (portal.deadlines.Deadline.ends_at).
    deadline = models.DateTimeField()
    # The email as claimed, word for word: a resend after a crash sends these, not a rendering of another day.
    address = models.EmailField()
    subject = models.TextField()
    body = models.TextField()
    body_html = models.TextField()
    message_id = models.CharField(max_length=200, unique=True, editable=False)
    status = models.CharField(max_length=20, choices=NotificationStatus.choices, default=NotificationStatus.CLAIMED)
    claimed_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=200, help_text=_("The host, process and run that claimed it."))
    sent_at = models.DateTimeField(null=True, blank=True)
    # The admin who resent or dismissed an uncertain claim, and when.
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    settled_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "member_state", "kind", "days_before", "recipient", "deadline"],
                name="notification_sent_once",
            ),
            # NULLs are distinct in a unique index: the admins' summary needs a key of its own.
            models.UniqueConstraint(
                fields=["milestone", "kind", "recipient", "deadline"], condition=Q(member_state__isnull=True),
                name="notification_summary_sent_once",
            ),
            models.CheckConstraint(condition=Q(kind__in=NotificationKind.values), name="notification_kind_valid"),
            # A status says what the timestamps say: only a send sets sent_at, only an admin settles.
            models.CheckConstraint(
                condition=(
                    Q(status=NotificationStatus.CLAIMED, sent_at__isnull=True, settled_at__isnull=True)
                    | Q(status=NotificationStatus.SENT, sent_at__isnull=False, settled_at__isnull=True)
                    | Q(status=NotificationStatus.RESENT, sent_at__isnull=False, settled_at__isnull=False)
                    | Q(status=NotificationStatus.DISMISSED, sent_at__isnull=True, settled_at__isnull=False)),
                name="notification_status_matches_timestamps",
            ),
            models.CheckConstraint(
                condition=Q(settled_at__isnull=True, settled_by__isnull=True)
                | Q(settled_at__isnull=False, settled_by__isnull=False),
                name="notification_settled_by_someone"),
            models.CheckConstraint(condition=Q(sent_at__isnull=True) | Q(sent_at__gte=F("claimed_at")),
                                   name="notification_sent_after_claimed"),
            models.CheckConstraint(condition=~Q(message_id=""), name="notification_message_id_set"),
        ]
        indexes = [
            # The Manage page's count of uncertain claims and the admin's filter: a handful of rows, ever.
            models.Index(fields=["claimed_at"], condition=Q(status=NotificationStatus.CLAIMED),
                         name="notification_open_claims"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.address} ({self.message_id})"

    def delivery(self, now):
        """The one place a claim's age decides between "being sent" and "uncertain" (the QuerySet filters agree)."""
        if self.status == NotificationStatus.CLAIMED:
            return Delivery.IN_FLIGHT if self.claimed_at > now - uncertain_after() else Delivery.UNCERTAIN
        return Delivery(self.status)

    @staticmethod
    def message_id_for(*, milestone, member_state, kind, days_before, recipient, deadline):
        """The Message-ID of the notification with this key: the same whichever run claims it, and however often.

        Derived from the key, not the primary key: a claim released after a failed send and claimed again by the
        next run is the same notification, and a mail server that saw the first attempt recognises the second.
        """
        key = ":".join(str(part) for part in (
            milestone.pk, member_state.pk if member_state else "-", kind, days_before, recipient.pk,
            deadline.astimezone(UTC).isoformat()))
        return mail.message_id(f"notification-{hashlib.sha256(key.encode()).hexdigest()[:32]}")
