"""Clarification points as a person reads them, wherever a template shows one (version page, section page)."""

from django import template

from assessments.questionnaire.questions import field_label

register = template.Library()


@register.filter
def point_field(point):
    """A point's field by its label ("Access/RAN share (%)"), never as stored ("share_access"); "" for none."""
    return field_label(point.section, point.field) if point.field else ""
