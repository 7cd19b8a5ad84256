"""The ledger of sent notifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models.member_states import MemberState
from portal.models.milestones import Milestone


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder before the deadline")
    OVERDUE = "overdue", _("Overdue notice")
    ADMIN_SUMMARY = "admin_summary", _("Summary of overdue member states, to admins")


class Notification(models.Model):
    """A ledger of sent notifications: its unique key makes every send happen at most once.

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
    sent_at = models.DateTimeField(auto_now_add=True)

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
        ]
