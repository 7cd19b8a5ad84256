"""Who may see and change what: the one place that decides.

A member state's data comes in kinds, and each kind has one rule (who reads it; who changes it):

- `DRAFT`, its working draft (answers, unsaved input, draft history, attachments):
  read by its own reporters and lead reporters, and admins; changed by its own reporters and lead reporters,
  while the draft is editable.
- `SUBMITTED`, its submitted versions, receipts, the attachments they cite, clarification points once sent:
  read by its own staff, reviewers and admins; changed by nobody (versions never change).
- `REVIEW_WORK`, reviewers' unsent questions, reviews being built, submissions lists, dashboards, comparisons:
  read and changed by reviewers and admins.
- `PUBLISHED`, a published coordinated review (aggregates only):
  read by the staff of every member state its cycle covers, reviewers and admins; reviewers publish.
- `CYCLE`, a reporting cycle, its milestones and calendar:
  read by the staff of the member states it covers, reviewers and admins; changed by admins.
- `ACTIVITY`, the audit trail of its assessment (who submitted, returned, accepted it, who downloaded its
  documents): read by its own lead reporters, reviewers and admins; written by nobody but the portal. Where
  an action came from (the address) only admins see; the whole trail (sign-ins, configuration) only admins.

Only a lead reporter submits. Admins run cycles and users. A lead reporter manages the reporters of its own authority,
but does not undo what an admin did: an account an admin deactivated stays so until an admin reactivates it.

An access request (a person EU Login knows asks for a role) is decided by admins, any of them; and by a lead reporter
of the authority asked for, when the role asked is reporter. Nobody else sees it.

So "who may see this version?" is answered by `SUBMITTED` above: its own member state's staff, reviewers and admins.

**Markings** (FIRST TLP 2.0, portal/markings.py) narrow that further, never widen it, on what a member state
shares (its draft, its versions, each attachment and each clarification thread). `TLP:CLEAR` to `TLP:AMBER+STRICT`
add nothing to the rules above: the member state's own staff and the Commission's and ENISA's reviewers are what they
allow. `TLP:RED` allows the member state's own staff and only the reviewers named on the version: anyone else gets
404, on every page, file and API call (`marking_readable`, `may_read_marking`). Admins too, unless named: they see
that a TLP:RED version exists (its member state, when, its marking, whom it names: the submissions list, the
Activity page), not what it says. An attachment or a thread may be marked stricter than its draft or version; a
TLP:RED one is read as a TLP:RED version is, by the reviewers named on the version that cites it or that it is
asked on. A publication goes to every covered member state's staff, so it carries `TLP:GREEN` at most
(`may_publish_marked`).

Querysets (`visible_to(user)` on each model) and fetchers (`get_*_for_user` in each app's `access.py`) apply these
rules through `readable()`; views never decide access inline. Every view is wrapped by one of the gates at the
bottom (`signed_in`, `authority_staff`, `lead_reporter`, `reviewer`, `admin`, `access_deciders`,
`public`); a test walks every URL
pattern and fails on a view that is not. A user who may not see something gets 404, never a hint that it exists;
one who may see it but not change it gets 403.
"""

import enum
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404

from portal import markings
from portal.markings import Marking


class Data(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REVIEW_WORK = "review work"
    PUBLISHED = "published"
    CYCLE = "cycle"
    ACTIVITY = "activity"


class Scope(enum.Enum):
    ALL = "every member state"
    OWN = "the user's own member state"
    NONE = "nothing"


def may_review(user):
    return user.is_authenticated and (user.is_reviewer or user.is_portal_admin)


def may_administer(user):
    return user.is_authenticated and user.is_portal_admin


def scope(user, data):
    """Whose `data` the user may read: every member state's, only its own, or none. The table above, as code."""
    if not user.is_authenticated or not user.is_active:
        return Scope.NONE
    if user.is_portal_admin:
        return Scope.ALL
    if user.is_reviewer and data is not Data.DRAFT:
        return Scope.ALL
    if data is Data.ACTIVITY:
        return Scope.OWN if user.is_lead_reporter else Scope.NONE
    if user.is_authority_staff and data is not Data.REVIEW_WORK:
        return Scope.OWN
    return Scope.NONE


def is_own(user, member_state_id):
    """The user files for this member state. The only place "same member state" is written."""
    return user.is_authority_staff and member_state_id is not None and user.member_state_id == member_state_id


def may_read(user, data, member_state_id):
    granted = scope(user, data)
    return granted is Scope.ALL or (granted is Scope.OWN and is_own(user, member_state_id))


def may_write_draft(user, member_state_id):
    return is_own(user, member_state_id)


def may_submit(user, member_state_id):
    return is_own(user, member_state_id) and user.is_lead_reporter


def may_manage_team(user, authority_id):
    return user.is_authenticated and user.is_lead_reporter and user.authority_id == authority_id


def may_set_active(user, person):
    """Deactivate or reactivate `person`: admins anyone but themselves; a lead reporter the reporters of its own
    authority (never a lead reporter, never itself), and not someone an admin deactivated."""
    if not user.is_authenticated or person.pk == user.pk:
        return False
    if may_administer(user):
        return True
    if not may_manage_team(user, person.authority_id) or person.is_lead_reporter or not person.is_authority_staff:
        return False
    return person.is_active or person.deactivated_by is None or not person.deactivated_by.is_portal_admin


# The role a lead reporter may grant by approving an access request (Role.REPORTER: the models import this module).
GRANTED_BY_LEAD = "reporter"


def access_requests_decidable(user):
    """The access requests the user may see and decide, as a filter (rows with `authority` and `role`)."""
    if may_administer(user):
        return EVERYTHING
    if user.is_authenticated and user.is_active and user.is_lead_reporter:
        return Q(authority_id=user.authority_id, role=GRANTED_BY_LEAD)
    return NOTHING


def may_decide_access_request(user, access_request):
    """The filter above, for one row in hand."""
    if may_administer(user):
        return True
    return (may_decide_access_requests(user) and access_request.role == GRANTED_BY_LEAD
            and access_request.authority_id == user.authority_id)


def may_decide_access_requests(user):
    """Someone who may decide some access request: the pages' gate (which rows, the filter above says)."""
    return may_administer(user) or (user.is_authenticated and user.is_active and user.is_lead_reporter)


def may_read_marking(user, marking, member_state_id, named_ids=()):
    """Whether `marking` lets `user` read content that the rules above already let them read: TLP:RED only its
    member state's own staff and the reviewers named (`named_ids`); not admins, unless named (they see that it
    exists, not what it says)."""
    if marking != Marking.RED or is_own(user, member_state_id):
        return True
    return user.is_authenticated and user.pk in set(named_ids)


def marking_readable(user, path="member_state", *, named, field="marking"):
    """The rows whose marking lets `user` read them, as a filter to AND with `readable()`: `path` leads to the row's
    member state, `named` is the filter of the rows that name the user (TLP:RED), `field` the marking (a row's own,
    or its holder's: "assessment__marking")."""
    if not user.is_authenticated:
        return NOTHING
    own = Q(**{path: user.member_state_id}) if user.is_authority_staff else NOTHING
    return ~Q(**{field: Marking.RED}) | own | named


def may_publish_marked(marking):
    """A publication reaches every covered member state's staff: other countries' staff are not within TLP:AMBER
    (nor AMBER+STRICT), so it may carry TLP:GREEN at most."""
    return markings.at_most(marking, markings.PUBLISHED_AT_MOST)


def may_see_addresses(user):
    """The network address an action came from: admins only."""
    return may_administer(user)


# Filters for querysets. `Q()` would vanish when OR-ed, so "everything" is spelled out.
EVERYTHING = Q(pk__isnull=False)
NOTHING = Q(pk__in=[])


def readable(user, data, path="member_state", own=None):
    """The rows of `data` the user may read, as a filter: `path` leads to the row's member state.

    `own` replaces the default "row of the user's own member state" where a table says it differently
    (a cycle covers a member state, a review's cycle covers it: coverage in force, portal/models/cycles.py).
    """
    granted = scope(user, data)
    if granted is Scope.ALL:
        return EVERYTHING
    if granted is Scope.OWN:
        return own if own is not None else Q(**{path: user.member_state_id})
    return NOTHING


def users_readable(user):
    """Admins see every account; a lead reporter its own authority's; anyone else only itself."""
    if may_administer(user):
        return EVERYTHING
    if user.is_authenticated and user.is_lead_reporter:
        return Q(authority_id=user.authority_id)
    return Q(pk=user.pk) if user.is_authenticated else NOTHING


# Gates for views. Each sets `view.access`, which the URL walk in tests/portal/test_access.py checks. The API's views
# (portal/api/auth.py) name the same gates and are let through by the same predicates.
GATE_PREDICATES = {}


def _gate(name, predicate):
    GATE_PREDICATES[name] = predicate

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not predicate(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        wrapped.access = name
        return wrapped

    return decorator


# Any signed-in user: the page fetches its object through an access fetcher, which decides.
signed_in = _gate("signed in", lambda user: True)
authority_staff = _gate("authority staff", lambda user: user.is_authority_staff)
lead_reporter = _gate("lead reporter", lambda user: user.is_lead_reporter)
reviewer = _gate("reviewer", may_review)
admin = _gate("admin", may_administer)
access_deciders = _gate("access request deciders", may_decide_access_requests)


def public(view, *, why):
    """No sign-in: the login and password-reset pages, the health check, a calendar feed whose token is the key."""
    view.access = f"public: {why}"
    return view
