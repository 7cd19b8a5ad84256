"""Pages that say something about the portal itself: the accessibility statement."""

import datetime

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal import access

# When the statement was last checked against the portal (the Web Accessibility Directive asks for the date; the
# statement describes this code, so it changes with it).
STATEMENT_REVIEWED = datetime.date(2026, 12, 2)
STATEMENT_PREPARED = datetime.date(2026, 12, 2)


@require_GET
def accessibility(request):
    """The accessibility statement, in the structure of the Directive's model (Implementing Decision 2018/1523)."""
    return render(request, "portal/accessibility.html", {
        "contact": settings.ACCESSIBILITY_CONTACT, "prepared": STATEMENT_PREPARED, "reviewed": STATEMENT_REVIEWED,
    })


accessibility = access.public(accessibility, why="the Web Accessibility Directive: everyone may read the statement")
