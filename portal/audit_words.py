"""The audit trail in words: each entry as a sentence, each change in its field's own words.

"France reopened until 31 July 2019, 18:00 by Ada Admin", "Milestone “NRA-SUBMIT: Send the assessment” changed by
Ada Admin · Due date: 15 July 2019 → 19 July 2019": never a model's repr ("Reopening object (1)"), a reverse
relation ("portal.Extension.None"), a raw boolean or a stored code. One function says an entry (`sentence`), one
its changed fields (`lines`); the Activity pages read both through `page_of`.

What an entry names is read from the entry itself (its `changes` as django-auditlog stored them, its
`additional_data`, the name the row had then), except for the rows that have no name of their own: a cycle's
coverage of a member state, an extension and a reopening are read again (they are history, ended and never edited
or deleted), one query per kind whatever the page's length, so that their member state is named in the reader's
language.
"""

import datetime
from dataclasses import dataclass

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.audit import Event
from portal.deadlines import BRUSSELS
from portal.eulogin.reasons import REASONS
from portal.models import Role, TokenScope
from portal.templatetags.portal_tags import deadline

PAGE_SIZE = 50
HIDDEN_FIELDS = {"id"}
# Rows named by what they hold, read again for their sentence: {model name: what to read with them}.
NAMELESS = {"cyclecoverage": ("member_state", "cycle"), "extension": ("member_state", "milestone"),
            "reopening": ("member_state", "cycle")}
# What a download was, as send_file() records it (`what`), in words.
DOWNLOADS = {
    "receipt": gettext_lazy("a receipt"), "workbook": gettext_lazy("the workbook"),
    "assessment document": gettext_lazy("the assessment as a document"), "attachment": gettext_lazy("an attachment"),
    "review table": gettext_lazy("a table of the coordinated review"),
    "review export": gettext_lazy("an export of the coordinated review"),
    "comparison": gettext_lazy("a comparison of member states"),
    "phase-out overview": gettext_lazy("the phase-out overview"),
}


@dataclass(frozen=True)
class Line:
    """One changed field: `before` is None for a row created, `after` None for a row deleted."""

    field: str
    before: str | None
    after: str | None


def page_of(entries, number):
    """A page of entries as [(entry, sentence, lines)], in a fixed number of queries whatever the page."""
    page = Paginator(entries, PAGE_SIZE).get_page(number)
    rows = _nameless_rows(page.object_list)
    page.rows = [(entry, sentence(entry, rows.get((entry.content_type.model, entry.object_pk))), lines(entry))
                 for entry in page.object_list]
    return page


def _nameless_rows(entries):
    """{(model name, pk as text): the row} of the coverages, extensions and reopenings the entries are about.

    One query per kind, whether the page holds such entries or not: the rows are those the page's entries name
    (a subquery), so the page asks the same number of queries whatever it shows."""
    page = [entry.pk for entry in entries]
    if not page:
        return {}
    found = {}
    for name, related in NAMELESS.items():
        about = LogEntry.objects.filter(pk__in=page, content_type__app_label="portal", content_type__model=name)
        model = apps.get_model("portal", name)
        for row in model.objects.filter(pk__in=about.values("object_id")).select_related(*related):
            found[(name, str(row.pk))] = row
    return found


# The sentence --------------------------------------------------------------------------------------------------

def person(user):
    """How the trail names someone: their name, and the user name it is filtered by."""
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


def sentence(entry, row=None):
    """The entry as a sentence; `row` is the coverage, extension or reopening it is about, when it still exists."""
    event = (entry.additional_data or {}).get("event")
    if event:
        return _event_sentence(entry, event)
    what = _change(entry, row)
    if entry.actor is None:  # a command, a migration, a background job
        return _("%(what)s by the system") % {"what": what}
    return _("%(what)s by %(who)s") % {"what": what, "who": person(entry.actor)}


def _event_sentence(entry, event):
    data = entry.additional_data or {}
    words = {"who": person(entry.actor) if entry.actor else _("someone not signed in"),
             "name": entry.object_repr or "—", "n": data.get("version") or "?", "reason": data.get("reason") or "—",
             "why": REASONS.get(data.get("reason"), data.get("reason") or "—"),
             "role": _role(data.get("role") or "—"), "authority": data.get("authority") or "—",
             "sha": (data.get("sha256") or "?")[:12]}
    texts = {
        Event.SIGNED_IN: _("%(who)s signed in"),
        Event.SIGN_IN_FAILED: _("Sign-in failed for “%(name)s”"),
        Event.SECOND_FACTOR_FAILED: _("A wrong second-factor code for “%(name)s”"),
        Event.SIGNED_OUT: _("%(who)s signed out"),
        Event.EU_LOGIN_LINKED: _("%(who)s linked their EU Login account"),
        Event.EU_LOGIN_REFUSED: _("EU Login sign-in refused for “%(name)s”: %(why)s"),
        Event.EU_LOGIN_UNKNOWN: _("“%(name)s” signed in with EU Login but has no account on the portal"),
        Event.ACCESS_REQUESTED: _("“%(name)s” asked for access as %(role)s of %(authority)s"),
        Event.ACCESS_APPROVED: _("%(who)s approved the access of “%(name)s” as %(role)s of %(authority)s"),
        Event.ACCESS_REFUSED: _("%(who)s refused the access of “%(name)s” as %(role)s of %(authority)s: %(reason)s"),
        Event.LOCKED_OUT: _("“%(name)s” locked out after repeated failures"),
        Event.UNLOCKED: _("%(who)s lifted the lockout of “%(name)s”"),
        Event.PASSWORD_RESET_REQUESTED: _("A password reset was requested for “%(name)s”"),
        Event.PASSWORD_RESET: _("%(who)s set a new password from an emailed link"),
        Event.PASSWORD_CHANGED: _("%(who)s changed their password"),
        Event.FACTORS_RESET: _("%(who)s reset the second factors of “%(name)s”"),
        Event.API_TOKEN_MADE: _("%(who)s made the API token “%(name)s”"),
        Event.API_TOKEN_REVOKED: _("%(who)s revoked the API token “%(name)s”"),
        Event.CERTIFIED: _("%(who)s certified the content of “%(name)s” (SHA-256 %(sha)s…); a second lead reporter "
                           "must certify it before it is submitted"),
        Event.SUBMITTED: _("%(who)s submitted version %(n)s of “%(name)s”"),
        Event.RETURNED: _("%(who)s returned version %(n)s of “%(name)s” for clarification"),
        Event.ACCEPTED: _("%(who)s accepted version %(n)s of “%(name)s”"),
        Event.PUBLISHED: _("%(who)s published the coordinated review “%(name)s”"),
        Event.WITHDRAWN: _("%(who)s withdrew the publication of the coordinated review “%(name)s”: %(reason)s"),
    }
    if event == Event.MARKED:
        return _marked(data, words)
    if event == Event.DOWNLOADED:
        return _downloaded(data, words)
    try:
        return texts[Event(event)] % words
    except (ValueError, KeyError):  # an event this version of the portal no longer knows
        return _("%(who)s: %(what)s") % {"who": words["who"], "what": event}


def _downloaded(data, words):
    """A download, with the handling marking of what the file held (never translated) where it held marked
    content; entries written before downloads recorded it say none."""
    what = data.get("what", "")
    words |= {"what": DOWNLOADS.get(what, what), "file": data.get("file", ""), "marking": data.get("marking")}
    if words["marking"]:
        return (_("%(who)s downloaded %(what)s marked %(marking)s: %(file)s") if words["file"] else
                _("%(who)s downloaded %(what)s marked %(marking)s")) % words
    return (_("%(who)s downloaded %(what)s: %(file)s") if words["file"] else _("%(who)s downloaded %(what)s")
            ) % words


def _marked(data, words):
    """A handling marking set: on a draft, on a version at its submission, on a publication. The labels are never
    translated (FIRST TLP 2.0)."""
    words |= {"marking": data.get("marking", "?"), "before": data.get("before") or "—"}
    texts = {
        "draft": _("%(who)s changed the marking of the draft “%(name)s” from %(before)s to %(marking)s"),
        "version": _("%(who)s marked version %(n)s of “%(name)s” %(marking)s"),
        "publication": _("%(who)s marked the publication of the coordinated review “%(name)s” %(marking)s"),
        "attachment": _("%(who)s attached “%(part)s” to the draft “%(name)s” marked %(marking)s, stricter than "
                        "the draft's %(before)s"),
        "thread": _("%(who)s asked a question on version %(n)s of “%(name)s” marked %(marking)s, stricter than "
                    "the version's %(before)s"),
    }
    words["part"] = data.get("part") or "—"
    if data.get("of") == "version" and data.get("shared_with"):  # whom a TLP:RED version names: its metadata
        words["shared"] = data["shared_with"]
        return _("%(who)s marked version %(n)s of “%(name)s” %(marking)s, shared with %(shared)s") % words
    return texts.get(data.get("of"), texts["version"]) % words


def _change(entry, row):
    """What a change did, without who did it: "France reopened until 31 July 2019, 18:00"."""
    model, action = entry.content_type.model, entry.action
    changes = entry.changes_dict or {}
    named = _NAMED.get(model)
    special = named(entry, row, changes) if named else None
    if special:
        return special
    words = {"kind": capfirst(entry.content_type.name), "name": _name(entry)}
    if action == LogEntry.Action.CREATE:
        return _("%(kind)s “%(name)s” created") % words
    if action == LogEntry.Action.DELETE:
        return _("%(kind)s “%(name)s” deleted") % words
    return _("%(kind)s “%(name)s” changed") % words


def _name(entry):
    """The name the row had when the entry was written; for a row without a name of its own, what it is."""
    name = entry.object_repr or ""
    if not name or name.endswith(f" object ({entry.object_pk})"):  # Django's repr of a model without __str__
        return str(entry.content_type.name)
    return name


def _set(changes, name):
    """The new value of a field a change set (None when it did not set it, or set it empty)."""
    value = changes.get(name)
    if isinstance(value, list | tuple) and len(value) == 2 and value[1] not in (None, "None", ""):
        return value[1]
    return None


def _cycle(entry, row, changes):
    status = _set(changes, "status")
    if entry.action == LogEntry.Action.UPDATE and status:
        text = _("Reporting cycle “%(name)s” closed") if status == "closed" else _(
            "Reporting cycle “%(name)s” opened again")
        return text % {"name": _name(entry)}
    return None


def _coverage(entry, row, changes):
    if row is None:
        return None
    words = {"ms": row.member_state, "cycle": row.cycle}
    if entry.action == LogEntry.Action.CREATE:
        return _("%(ms)s asked by “%(cycle)s”") % words
    if _set(changes, "until"):
        return _("%(ms)s no longer asked by “%(cycle)s”") % words
    return None


def _extension(entry, row, changes):
    if row is None:
        return None
    words = {"ms": row.member_state, "milestone": row.milestone.code,
             "due": deadline(row.deadline, formats.get_format("DATE_FORMAT"))}
    if entry.action == LogEntry.Action.CREATE:
        return _("%(milestone)s extended for %(ms)s until %(due)s") % words
    if _set(changes, "ended_at"):
        return _("Extension of %(milestone)s for %(ms)s until %(due)s revoked") % words
    return None


def _reopening(entry, row, changes):
    if row is None:
        return None
    if entry.action == LogEntry.Action.CREATE:
        if row.until is None:
            return _("%(ms)s reopened until an admin closes it again") % {"ms": row.member_state}
        return _("%(ms)s reopened until %(until)s") % {"ms": row.member_state, "until": _instant(row.until)}
    if _set(changes, "ended_at"):
        return _("Reopening for %(ms)s withdrawn") % {"ms": row.member_state}
    return None


def _user(entry, row, changes):
    words = {"name": _name(entry)}
    active = _set(changes, "is_active")
    if entry.action == LogEntry.Action.UPDATE and active:
        return (_("%(name)s reactivated") if active == "True" else _("%(name)s deactivated")) % words
    groups = changes.get("groups")
    if isinstance(groups, dict) and groups.get("type") == "m2m":
        words["roles"] = ", ".join(_role(name) for name in groups.get("objects", []))
        return (_("%(name)s given the role %(roles)s") if groups.get("operation") == "add" else
                _("%(name)s no longer has the role %(roles)s")) % words
    return None


def _authenticator(entry, row, changes):
    kind = _set(changes, "type") or (changes.get("type") or [None])[0]
    field = _field(entry, "type")
    words = {"kind": _choice(field, kind) if field is not None and kind else _name(entry),
             "name": (entry.additional_data or {}).get("user", "—")}
    if entry.action == LogEntry.Action.CREATE:
        return _("Second factor (%(kind)s) added for “%(name)s”") % words
    if entry.action == LogEntry.Action.DELETE:
        return _("Second factor (%(kind)s) removed for “%(name)s”") % words
    return None


_NAMED = {"reportingcycle": _cycle, "cyclecoverage": _coverage, "extension": _extension, "reopening": _reopening,
          "user": _user, "authenticator": _authenticator}


def _role(name):
    return str(Role(name).label) if name in Role.values else name


# The changed fields ---------------------------------------------------------------------------------------------

def lines(entry):
    """[Line] of a change: each field by its verbose name, each value as a person reads it; none for an event.

    A row created lists the fields it was given, a row deleted those it had; a field that is not the model's own
    (a reverse relation auditlog kept as "portal.Extension.None") or no longer exists is left out."""
    if entry.action == LogEntry.Action.ACCESS:
        return _event_lines(entry)
    found = []
    for name, change in (entry.changes_dict or {}).items():
        field = _field(entry, name)
        if field is None or name in HIDDEN_FIELDS:
            continue
        if isinstance(change, dict) and change.get("type") == "m2m":
            found.append(_m2m_line(field, change))
        elif isinstance(change, list | tuple) and len(change) == 2:
            line = _value_line(entry.action, field, *change)
            if line is not None:
                found.append(line)
    return found


def _event_lines(entry):
    data = entry.additional_data or {}
    if data.get("event") == Event.API_TOKEN_MADE and data.get("scope"):
        scope = data["scope"]
        return [Line(_("Scope"), None, str(TokenScope(scope).label) if scope in TokenScope.values else scope)]
    if data.get("event") == Event.FACTORS_RESET and data.get("what"):
        return [Line(_("Second factors removed"), None, data["what"])]
    if data.get("event") == Event.SECOND_FACTOR_FAILED and data.get("what"):
        return [Line(_("Second factor"), None, data["what"])]
    return []


def _field(entry, name):
    """The model's own field of that name (concrete or many-to-many), or None."""
    model = entry.content_type.model_class()
    try:
        field = model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None
    if field is None or field.auto_created and not field.concrete:  # a reverse relation
        return None
    return field


def _label(field):
    """A field's verbose name; for a model of another project (a second factor), the name `track()` gave it."""
    mapped = auditlog.get_model_fields(field.model)["mapping_fields"] if auditlog.contains(field.model) else {}
    return capfirst(mapped.get(field.name) or field.verbose_name)


def _value_line(action, field, before, after):
    label = _label(field)
    before, after = _value(field, before), _value(field, after)
    if action == LogEntry.Action.CREATE:
        return None if after is None else Line(label, None, after)
    if action == LogEntry.Action.DELETE:
        return None if before is None else Line(label, before, None)
    return Line(label, before or "—", after or "—")


def _m2m_line(field, change):
    objects = change.get("objects", [])
    related = field.related_model
    items = ", ".join(_role(name) if related is not None and related._meta.model_name == "group" else str(name)
                      for name in objects)
    text = _("added: %(items)s") if change.get("operation") == "add" else _("removed: %(items)s")
    return Line(_label(field), None, text % {"items": items})


def _value(field, raw):
    """A stored value (django-auditlog keeps text) as a person reads it, or None for nothing."""
    if raw in (None, "None", ""):
        return None
    raw = str(raw)
    if field.choices:
        return _choice(field, raw)
    if isinstance(field, models.BooleanField):
        return {"True": _("yes"), "False": _("no")}.get(raw, raw)
    if isinstance(field, models.DateTimeField):
        return _parsed(raw, lambda value: _instant(value if value.tzinfo else value.replace(tzinfo=datetime.UTC)))
    if isinstance(field, models.DateField):
        return _parsed(raw, lambda value: formats.date_format(value.date(), "DATE_FORMAT"))
    if isinstance(field, models.TimeField):
        return _parsed(raw, lambda value: value.strftime("%H:%M"), time=True)
    return raw  # text, numbers, and a related row by the name it had (AUDITLOG_USE_FK_STRING_REPRESENTATION)


def _choice(field, raw):
    return str(dict((str(key), label) for key, label in field.flatchoices).get(str(raw), raw))


def _parsed(raw, show, time=False):
    try:
        value = datetime.datetime.fromisoformat(f"2000-01-01T{raw}" if time else raw)
    except ValueError:
        return raw
    return show(value)


def _instant(value):
    """An instant in Brussels time, as the reader's language writes one: "31 July 2019, 18:00"."""
    return formats.date_format(value.astimezone(BRUSSELS), "DATETIME_FORMAT")
