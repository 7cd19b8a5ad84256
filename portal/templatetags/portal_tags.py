import datetime

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from portal import access
from portal.context_processors import site
from portal.deadlines import BRUSSELS
from portal.lib import durations, fragments

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def may_read_activity(user, assessment):
    """Whether the assessment's "Activity" link is for this user (the page itself checks again)."""
    return access.may_read(user, access.Data.ACTIVITY, assessment.member_state_id)


@register.filter
def may_set_active(user, person):
    return access.may_set_active(user, person)


# The formats below are named by purpose and written per language (portal/formats/): "DATE_FORMAT" is "15 July 2019"
# in English and "15. Juli 2019" in German.
@register.simple_tag
def brussels(value, fmt="DATETIME_SECONDS_FORMAT"):
    """A datetime in Brussels time, whatever the active time zone."""
    return formats.date_format(value.astimezone(BRUSSELS), fmt) if value else ""


@register.simple_tag
def deadline(value, fmt="DATE_FORMAT"):
    """A deadline as people say it: "15 July 2019" (until the end of that day) or "15 July 2019, 12:00"."""
    if value is None:
        return ""
    day = formats.date_format(value.day, fmt)
    if value.is_end_of_day:
        return day
    return _("%(day)s, %(time)s") % {"day": day, "time": formats.time_format(value.time, "TIME_FORMAT")}


@register.filter
def zip_lists(first, second):
    return zip(first, second, strict=False)


@register.filter
def duration_words(delta):
    """A duration as people say it: "1 day", "60 days", "3 months" (portal.lib.durations, the one rule)."""
    return "" if delta is None else durations.duration_in_words(delta)


@register.filter
def days_words(days):
    """A number of whole days as people say it: "1 day", "14 days" (portal.lib.durations, the one rule)."""
    return durations.duration_in_words(datetime.timedelta(days=days))


@register.filter
def time_left_words(instant):
    """How long until `instant`, as people say it: "2 days" (portal.lib.durations, the one rule)."""
    return "" if instant is None else durations.time_left_in_words(instant)


@register.simple_tag
def in_zone(value, zone, fmt="DATETIME_FORMAT"):
    return formats.date_format(value.astimezone(zone), fmt) if value else ""


@register.simple_tag(takes_context=True)
def page_header(context):
    """The header of every page (templates/includes/page_header.html), rendered once for what it shows of its reader:
    who they are, their roles and authority, in their language."""
    request, user = context["request"], context["user"]
    return fragments.render_once(("page header", fragments.reader(user)), "includes/page_header.html",
                                 lambda: {"user": user}, request)


@register.simple_tag(takes_context=True)
def page_footer(context):
    """The footer of every page (templates/includes/page_footer.html): the same for every reader of a language."""
    request = context["request"]
    return fragments.render_once(("page footer",), "includes/page_footer.html", lambda: site(request), request)
