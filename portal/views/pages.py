"""Pages about the portal itself: the accessibility statement; the choice of a language."""

import datetime

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from portal import access
from portal.languages import offered, remember_language

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


@require_POST
def language(request):
    """The header's language choice: for this browser, and kept on the account of whoever is signed in."""
    code = request.POST.get("language", "")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = "/"
    response = redirect(back)
    if offered(code):
        if request.user.is_authenticated and request.user.language != code:
            request.user.language = code
            request.user.save(update_fields=["language"])
        remember_language(request, response, code)
    return response


language = access.public(language, why="anyone, signed in or not, chooses the language they read the portal in")
