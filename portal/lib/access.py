"""Who may open which page. Every view goes through one of these.

A user who may not see a page gets 404, never a hint that it exists.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def _require(predicate):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not predicate(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def may_review(user):
    return user.is_reviewer or user.is_portal_admin


# Reporters and lead reporters, for their own member state.
authority_staff_required = _require(lambda user: user.is_authority_staff)
# Commission and ENISA reviewers; admins see everything.
reviewer_required = _require(may_review)
admin_required = _require(lambda user: user.is_portal_admin)
# Lead reporters manage the reporters of their own authority.
lead_reporter_required = _require(lambda user: user.is_lead_reporter)
