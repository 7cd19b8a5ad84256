"""Whom a version is shared with, by its handling marking: the check the submit page, the API and the service make.

Who may then read it is portal/access.py's (`marking_readable`); this only checks what the lead reporter chose.
"""

from django.utils.translation import gettext as _

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


def version_marking_check(marking, shared_with):
    """The reviewers a version marked `marking` is shared with, checked: TLP:RED names at least one, and only
    reviewers; any other marking names nobody (every reviewer may read it). Raises MarkingRefused."""
    if marking not in Marking.values:
        raise MarkingRefused("marking", _("Choose one of the markings offered."))
    if marking != Marking.RED:
        return []
    shared_with = list(shared_with)
    if not shared_with:
        raise MarkingRefused("shared_with", _("A version marked TLP:RED is read by the reviewers it names only: "
                                              "name at least one."))
    known = set(reviewers().filter(pk__in=[user.pk for user in shared_with]).values_list("pk", flat=True))
    if any(user.pk not in known for user in shared_with):
        raise MarkingRefused("shared_with", _("Name only the portal's active reviewers."))
    return shared_with
