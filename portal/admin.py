from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

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


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


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
