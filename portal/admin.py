import smtplib

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from parler.admin import TranslatableAdmin

from portal import audit, services
from portal.models import (
    AccessRequest,
    ApiToken,
    Authority,
    CycleCoverage,
    Delivery,
    MemberState,
    Milestone,
    Notification,
    ReportingCycle,
    User,
)


@admin.register(MemberState)
class MemberStateAdmin(TranslatableAdmin):
    """The name has a tab per language (as the Interinstitutional Style Guide writes it); English is the fallback."""

    list_display = ["name", "eu_code", "iso_code", "joined", "left"]
    search_fields = ["translations__name", "eu_code", "iso_code"]


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "member_state", "kind"]
    list_filter = ["kind", "member_state"]
    list_select_related = ["member_state"]
    search_fields = ["name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that are a record (a ledger, a decision): admins read them, and act on them only by their own actions."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    """Every access request and its decision, to read: deciding is the Access requests page's (portal/access.py)."""

    list_display = ["name", "email", "authority", "role", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status", "role", "authority__member_state"]
    list_select_related = ["authority__member_state", "decided_by"]
    search_fields = ["name", "email", "subject"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Users make their tokens on their account page; an admin sees them (never their secret) and revokes them."""

    list_display = ["name", "user", "prefix", "scope", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["user", "name", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the chosen API tokens"))
    def revoke(self, request, queryset):
        revoked = sum(services.api_token_revoke(user=token.user, pk=token.pk, by=request.user)
                      for token in queryset.filter(revoked_at__isnull=True).select_related("user"))
        self.message_user(request, _("API tokens revoked: %(n)s.") % {"n": revoked}, messages.SUCCESS)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Portal"), {"fields": ["authority"]}),)
    list_display = ["username", "email", "authority", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "authority__member_state"]
    list_select_related = ["authority__member_state"]
    # A plain list of the authorities (a few dozen), not the admin's autocomplete: its widget answers a refused
    # form whose authority is not a number with a server error instead of the form's message.
    readonly_fields = ["deactivated_by"]
    actions = ["reset_second_factors"]

    def has_delete_permission(self, request, obj=None):
        """Accounts are deactivated, never deleted: the audit trail and the versions they submitted name them."""
        return False

    def save_model(self, request, obj, form, change):
        """Remember who deactivated an account (a lead reporter may not undo an admin's deactivation); a new email
        or a change of activity kills the password links made before."""
        if "is_active" in form.changed_data:
            obj.set_active(obj.is_active, by=request.user)
        if change and "email" in form.changed_data:
            obj.credentials_changed()
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Reset second factors (they enrol again at their next sign-in)"))
    def reset_second_factors(self, request, queryset):
        with transaction.atomic():
            for user in queryset:
                removed = [str(authenticator.get_type_display()) for authenticator in user.authenticator_set.all()]
                for authenticator in user.authenticator_set.all():
                    authenticator.delete()  # each deletion is in the trail too
                audit.record(audit.Event.FACTORS_RESET, subject=user, actor=request.user,
                             member_state=user.member_state, what=", ".join(removed) or None)
        count = len(queryset)
        messages.success(request, ngettext("Second factors reset for %(n)d user.",
                                           "Second factors reset for %(n)d users.", count) % {"n": count})


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    can_delete = False  # deadlines and their extensions are history; a milestone no longer used is left alone


class CoverageInline(admin.TabularInline):
    """History, read-only here: the cycle's "Member states asked" page changes it, with its checks."""

    model = CycleCoverage
    extra = 0
    can_delete = False
    fields = ["member_state", "since", "until", "added_by", "removed_by", "removal_reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReportingCycle)
class ReportingCycleAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "status", "starts_on"]
    list_filter = ["status", "year"]
    inlines = [CoverageInline, MilestoneInline]

    def has_delete_permission(self, request, obj=None):
        """A cycle is closed, never deleted: its submissions, reviews and trail refer to it."""
        return False


class DeliveryFilter(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return Delivery.choices

    def queryset(self, request, queryset):
        now, value = timezone.now(), self.value()
        if value == Delivery.IN_FLIGHT:
            return queryset.in_flight(now)
        if value == Delivery.UNCERTAIN:
            return queryset.uncertain(now)
        return queryset.filter(status=value) if value else queryset


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The ledger, read-only. Admins come here for uncertain claims (assessments/reminders.py says what they are)
    and resend or dismiss them; both are recorded on the row, with who and when."""

    list_display = ["address", "kind", "member_state", "deadline", "delivery", "claimed_at", "claimed_by", "sent_at",
                    "settled_by"]
    list_filter = [DeliveryFilter, "kind", "milestone__cycle"]
    list_select_related = ["member_state", "settled_by"]
    search_fields = ["address", "recipient__username", "message_id"]
    ordering = ["-claimed_at"]
    actions = ["resend", "dismiss"]  # a row is the proof a notification was claimed: deleting it would send it again

    @admin.display(description=_("delivery"))
    def delivery(self, obj):
        return obj.delivery(timezone.now()).label

    @admin.action(description=_("Resend uncertain notifications, with their own Message-ID"))
    def resend(self, request, queryset):
        resent = failed = 0
        for notification in queryset:
            try:
                resent += services.notification_resend(notification=notification, user=request.user)
            except (smtplib.SMTPException, OSError) as error:
                failed += 1
                messages.error(request, _("%(n)s could not be sent (%(error)s); it is still uncertain.")
                               % {"n": notification, "error": error})
        self._report(request, resent, len(queryset) - resent - failed,
                     ngettext("%(n)d resent.", "%(n)d resent.", resent))

    @admin.action(description=_("Dismiss uncertain notifications without resending (the mail log shows they left)"))
    def dismiss(self, request, queryset):
        dismissed = sum(services.notification_dismiss(notification=n, user=request.user) for n in queryset)
        self._report(request, dismissed, len(queryset) - dismissed,
                     ngettext("%(n)d dismissed.", "%(n)d dismissed.", dismissed))

    def _report(self, request, done, skipped, message):
        if done:
            messages.success(request, message % {"n": done})
        if skipped:
            messages.warning(request, ngettext(
                "%(n)d was not uncertain and was left as it is.",
                "%(n)d were not uncertain and were left as they are.", skipped) % {"n": skipped})
