"""A draft write that meets a lock taken a moment before it (a colleague submitted, a deadline passed) answers as a
locked draft does, whichever page or endpoint wrote: never a server error.

Every write to a draft takes the assessment's row lock first (assessments/services/locking.py) and is refused there
when the draft is no longer editable; its transaction is rolled back, so nothing of it was written. Views that keep
what was typed (section saves) catch the refusal themselves; for every other write, this answers it.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from assessments.services import AssessmentLocked
from portal.lib.problems import problem_body


class LockedDraftMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, AssessmentLocked):
            return None
        message = _("Nothing was changed: this draft was locked a moment ago (it was submitted, or its deadline "
                    "passed). Open the draft again to see its state; ask an admin to reopen it if it must change.")
        if request.path.startswith("/api/"):  # the API's refusals are problem+json (portal/api/errors.py)
            return JsonResponse(problem_body(423, "locked", message), status=423,
                                content_type="application/problem+json")
        if request.headers.get("X-Autosave") or "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"status": "locked", "message": message}, status=423)
        return render(request, "error.html", {"title": _("This draft is locked"), "explanation": message},
                      status=423)
