import datetime

from django import template
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from portal import access, markings
from portal.deadlines import BRUSSELS
from portal.lib import durations

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


@register.simple_tag
def checkbox_group(field):
    """A multiple choice of checkboxes (a CheckboxSelectMultiple `field`) as crispy-bootstrap5 writes it, in Python:
    the comparison offers 27 member states, and crispy's templates for them cost more than the rest of the page."""
    name, ident, invalid = field.html_name, field.auto_id, bool(field.errors)
    chosen = {str(value) for value in (field.value() or [])}
    required = (f'<span class="asteriskField" aria-hidden="true">*</span>'
                f'<span class="visually-hidden"> {escape(_("(required)"))}</span>' if field.field.required else "")
    parts = [f'<div id="div_{ident}" class="mb-3"><fieldset'
             + (f' aria-describedby="{ident}_error"' if invalid else "") + ">"
             f'<legend class="form-label{" requiredField" if field.field.required else ""} fs-6">'
             f"{escape(str(field.label))}{required}</legend><div>"]
    for index, (value, label) in enumerate(field.field.choices):
        value = str(getattr(value, "value", value))
        parts.append(
            f'<div class="form-check"><input type="checkbox" class="form-check-input{" is-invalid" if invalid else ""}"'
            f' name="{escape(name)}" value="{escape(value)}" id="{ident}_{index}"'
            + (" checked" if value in chosen else "") + (' aria-invalid="true"' if invalid else "")
            + f'><label for="{ident}_{index}" class="form-check-label">{escape(str(label))}</label></div>')
    if invalid:
        parts.append(f'<div id="{ident}_error" class="invalid-feedback d-block">' + "".join(
            f'<p id="error_{n}_{ident}"><strong>{escape(str(error))}</strong></p>'
            for n, error in enumerate(field.errors, 1)) + "</div>")
    parts.append("</div></fieldset></div>")
    return mark_safe("".join(parts))


def _required_mark(field):
    return (f'<span class="asteriskField" aria-hidden="true">*</span>'
            f'<span class="visually-hidden"> {escape(_("(required)"))}</span>' if field.field.required else "")


def _errors(field, ident):
    return (f'<div id="{ident}_error" class="invalid-feedback">' + "".join(
        f'<p id="error_{n}_{ident}"><strong>{escape(str(error))}</strong></p>'
        for n, error in enumerate(field.errors, 1)) + "</div>") if field.errors else ""


@register.simple_tag
def choice_field(field):
    """A choice of one (a Select `field`) as crispy-bootstrap5 writes it (templates/bootstrap5/field.html), in
    Python: crispy's templates and Django's widget templates cost a list page more than its rows. Help text is not
    written: give such a field to crispy."""
    assert not field.help_text, "choice_field writes no help text"
    ident, invalid = field.auto_id, bool(field.errors)
    value = field.value()
    chosen = {str(v) for v in value} if isinstance(value, (list, tuple)) else {"" if value is None else str(value)}
    options = "".join(
        f'<option value="{escape(str(getattr(v, "value", v)))}"'
        f'{" selected" if str(getattr(v, "value", v)) in chosen else ""}>{escape(str(label))}</option>'
        for v, label in field.field.choices)
    label_class = "form-label requiredField" if field.field.required else "form-label"
    return mark_safe(
        f'<div id="div_{ident}" class="mb-3"><label for="{ident}" class="{label_class}">{escape(str(field.label))}'
        f'{_required_mark(field)}</label><select name="{escape(field.html_name)}" class="select form-select'
        + (f' is-invalid" aria-invalid="true" aria-describedby="{ident}_error"' if invalid else '"')
        + f' id="{ident}">{options}</select>{_errors(field, ident)}</div>')


@register.filter
def as_marking(value):
    """A stored label as a Marking (its colour, its meaning, its class), or None."""
    return markings.strictest(value)
