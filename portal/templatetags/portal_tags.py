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


@register.filter
def zip_lists(first, second):
    return zip(first, second)


@register.filter
def duration_words(delta):
    """A lateness as a person says it: '3 days, 2 hours', '45 minutes', '1 second'."""
    from django.utils.translation import ngettext

    if delta is None:
        return ""
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [(days, ngettext("%d day", "%d days", days)), (hours, ngettext("%d hour", "%d hours", hours)),
             (minutes, ngettext("%d minute", "%d minutes", minutes)),
             (seconds, ngettext("%d second", "%d seconds", seconds))]
    words = [text % value for value, text in parts if value]
    return ", ".join(words[:2]) or "0 seconds"


@register.simple_tag
def in_zone(value, zone, fmt="j F Y, H:i"):
    from django.utils.dateformat import format as date_format

    return date_format(value.astimezone(zone), fmt) if value else ""
