"""Access requests: a person EU Login knows, and the portal does not, asks for a role at an authority.

Who they are (the EU Login subject, the verified e-mail, the name) comes from the refused sign-in, kept in the
session, never from the form; the form says only where they work, which role, and why. Who decides is the access
module's rule (portal/access.py, `access_requests_decidable`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import access
from portal.models.member_states import Authority
from portal.models.users import Role


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


# The roles a person may ask for: reviewers and admins are made by admins, never asked for.
REQUESTABLE_ROLES = [(Role.REPORTER.value, Role.REPORTER.label), (Role.LEAD_REPORTER.value, Role.LEAD_REPORTER.label)]


class AccessRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=AccessRequestStatus.PENDING)

    def decidable_by(self, user):
        return self.filter(access.access_requests_decidable(user))


class AccessRequest(models.Model):
    subject = models.CharField(_("EU Login subject"), max_length=255)
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=300, blank=True)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="access_requests",
                                  verbose_name=_("authority"))
    role = models.CharField(_("role"), max_length=20, choices=REQUESTABLE_ROLES)
    why = models.TextField(_("why"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=AccessRequestStatus.choices,
                              default=AccessRequestStatus.PENDING)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for the refusal"), max_length=1000, blank=True)
    # The account an approval made.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("account"))

    objects = AccessRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["created_at", "pk"]
        constraints = [
            # One question at a time per person: asking again while a request waits would only add noise.
            models.UniqueConstraint(fields=["subject"], condition=Q(status=AccessRequestStatus.PENDING),
                                    name="access_request_one_pending_per_subject"),
            models.CheckConstraint(condition=Q(status__in=AccessRequestStatus.values),
                                   name="access_request_status_valid"),
            models.CheckConstraint(condition=Q(role__in=[value for value, _label in REQUESTABLE_ROLES]),
                                   name="access_request_role_requestable"),
            models.CheckConstraint(condition=~Q(subject=""), name="access_request_subject_set"),
            # Pending: nobody decided. Decided: someone, at some time.
            models.CheckConstraint(
                condition=Q(status=AccessRequestStatus.PENDING, decided_at__isnull=True, decided_by__isnull=True)
                | (~Q(status=AccessRequestStatus.PENDING) & Q(decided_at__isnull=False, decided_by__isnull=False)),
                name="access_request_decided_by_someone"),
            # The requester is told why: a refusal without a reason says nothing.
            models.CheckConstraint(condition=~Q(status=AccessRequestStatus.REFUSED) | ~Q(refusal_reason=""),
                                   name="access_request_refusal_has_reason"),
        ]
        indexes = [
            # The deciders' page: the pending requests, of an authority for its lead reporters.
            models.Index(fields=["authority", "created_at"], condition=Q(status=AccessRequestStatus.PENDING),
                         name="access_request_pending"),
        ]

    def __str__(self):
        return f"{self.name or self.email} → {self.get_role_display()}, {self.authority}"
