from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def brussels(value, fmt="j F Y, H:i:s"):
    """A datetime in Brussels time, whatever the active time zone."""
    from django.utils.dateformat import format as date_format

    from portal.models import BRUSSELS

    return date_format(value.astimezone(BRUSSELS), fmt) if value else ""
