"""Whom a version is shared with, by its handling marking; the marking of a part (an attachment, a clarification
thread): the checks the pages, the API and the services make.

Who may then read it is portal/access.py's (`marking_readable`); this only checks what was chosen.
"""

from django.utils.translation import gettext as _

from portal import markings
from portal.markings import Marking
from portal.models import Role, User


class MarkingRefused(Exception):
    """A marking that may not be set: `field` names what to correct, `message` says why."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field, self.message = field, message


def reviewers():
    """Whom a TLP:RED version may be shared with: the portal's active reviewers."""
    return User.objects.filter(is_active=True, groups__name=Role.REVIEWER).distinct().order_by(
        "last_name", "first_name", "username")


def version_marking_check(marking, shared_with, *, holds_red=False):
    """The reviewers a version marked `marking` is shared with, checked: TLP:RED names at least one, and only
    reviewers; so does a version that cites an attachment marked TLP:RED (`holds_red`): they alone of the reviewers
    read it. Any other version names nobody (every reviewer may read it). Raises MarkingRefused."""
    if marking not in Marking.values:
        raise MarkingRefused("marking", _("Choose one of the markings offered."))
    if marking != Marking.RED and not holds_red:
        return []
    shared_with = list(shared_with)
    if not shared_with and marking == Marking.RED:
        raise MarkingRefused("shared_with", _("A version marked TLP:RED is read by the reviewers it names only: "
                                              "name at least one."))
    if not shared_with:
        raise MarkingRefused("shared_with", _("The draft holds an attachment marked TLP:RED, which only the "
                                              "reviewers the version names may read: name at least one."))
    known = set(reviewers().filter(pk__in=[user.pk for user in shared_with]).values_list("pk", flat=True))
    if any(user.pk not in known for user in shared_with):
        raise MarkingRefused("shared_with", _("Name only the portal's active reviewers."))
    return shared_with


def attachment_marking_check(marking, draft):
    """The marking the uploader chose for an attachment: one of the labels, never less strict than the draft's (a
    part of marked content is marked the same or stricter). Returns it; raises MarkingRefused("marking")."""
    if marking not in Marking.values:
        raise MarkingRefused("marking", _("Choose one of the markings offered."))
    if not markings.at_most(draft.marking, marking):
        raise MarkingRefused("marking", _("The draft is marked %(draft)s: an attachment to it may be marked the "
                                          "same or stricter, never less strict.") % {"draft": draft.marking})
    return Marking(marking)


def thread_marking_check(marking, version, user):
    """The marking the reviewer who opens a clarification thread chose: one of the labels, never less strict than
    the version's; TLP:RED on a version that is not only by a reviewer the version names (a thread no named reviewer
    could read, not even the one who asks, is refused). On a TLP:RED version the thread is TLP:RED anyway: who may
    ask on it is its fetchers' rule. Returns it; raises MarkingRefused("marking")."""
    if marking not in Marking.values:
        raise MarkingRefused("marking", _("Choose one of the markings offered."))
    if not markings.at_most(version.marking, marking):
        raise MarkingRefused("marking", _("The version is marked %(version)s: a question on it may be marked the "
                                          "same or stricter, never less strict.") % {"version": version.marking})
    if marking == Marking.RED != version.marking and not version.shared_with.filter(pk=user.pk).exists():
        raise MarkingRefused("marking", _("TLP:RED is read only by the reviewers the version names, and it does "
                                          "not name you: choose another marking."))
    return Marking(marking)
