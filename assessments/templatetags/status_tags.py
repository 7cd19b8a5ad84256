"""An assessment's status as a badge (the submissions list shows one per member state: a tag, not an include)."""

from django import template
from django.utils.html import format_html

register = template.Library()

BADGES = {"draft": "text-bg-secondary", "submitted": "text-bg-primary", "returned": "text-bg-warning"}


@register.simple_tag
def status_badge(assessment):
    """Draft grey, submitted blue, returned for clarification amber, accepted green."""
    return format_html('<span class="badge {}">{}</span>', BADGES.get(assessment.status, "text-bg-success"),
                       assessment.get_status_display())
