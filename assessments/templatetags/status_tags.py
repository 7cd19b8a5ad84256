"""An assessment's status as a badge: its colour in one place (the submissions list writes its rows in Python)."""

from django import template
from django.utils.html import format_html

register = template.Library()

BADGES = {"draft": "text-bg-secondary", "submitted": "text-bg-primary", "returned": "text-bg-warning"}


def status_badge_class(status):
    """Draft grey, submitted blue, returned for clarification amber, accepted green."""
    return BADGES.get(status, "text-bg-success")


@register.simple_tag
def status_badge(assessment):
    return format_html('<span class="badge {}">{}</span>', status_badge_class(assessment.status),
                       assessment.get_status_display())
