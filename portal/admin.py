from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal import audit
from portal.models import Authority, CycleCoverage, MemberState, Milestone, ReportingCycle, User


@admin.register(MemberState)
class MemberStateAdmin(admin.ModelAdmin):
    list_display = ["name", "eu_code", "iso_code", "joined", "left"]
    search_fields = ["name", "eu_code", "iso_code"]


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "member_state", "kind"]
    list_filter = ["kind", "member_state"]
    list_select_related = ["member_state"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Portal"), {"fields": ["authority"]}),)
    list_display = ["username", "email", "authority", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "authority__member_state"]
    list_select_related = ["authority__member_state"]
    autocomplete_fields = ["authority"]
    readonly_fields = ["deactivated_by"]
    actions = ["reset_second_factors"]

    def has_delete_permission(self, request, obj=None):
        """Accounts are deactivated, never deleted: the audit trail and the versions they submitted name them."""
        return False

    def save_model(self, request, obj, form, change):
        """Remember who deactivated an account: a lead reporter may not undo an admin's deactivation."""
        if "is_active" in form.changed_data:
            obj.deactivated_by = None if obj.is_active else request.user
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
