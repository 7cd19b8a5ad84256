"""Publishing a coordinated review to the member states, and withdrawing it: a decision, taken on what stands now.

- **What may be published**: a built review of the cycle's submissions as they stand at the moment of publishing
  (its recorded population is the cycle's population now, read afresh under the cycle's lock). A review built
  before a submission, an extension or a change of coverage is stale and refused, with what changed.
- **What member states read**: a cycle's newest standing publication (`Publication.objects.current_of`). Publishing
  replaces it (the new publication records which one it replaced); withdrawing the current one makes the member
  states read the newest publication still standing before it, or nothing: the withdrawal page says which.
- **Replaced, read**: the portal keeps who of a member state's staff opened which publication, to tell them when the
  one they read is replaced or withdrawn.

Every publication and withdrawal is in the audit trail. Views, the API and the demo call these functions alone.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models.fields.json import KeyTransform
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import access, audit, markings
from portal.models import ReportingCycle, Role, User
from reporting.models import CoordinatedReview, Publication, PublicationReading
from reporting.services import population_changes, recorded_population

# The page's hidden answer to "what did the member states read when you decided?" when it was nothing.
NOTHING = "none"


class Refused(Exception):
    """A publication or a withdrawal that may not be made: `code` for the API, `message` for people."""

    def __init__(self, code, message, changes=()):
        super().__init__(message)
        self.code, self.message, self.changes = code, message, list(changes)


@dataclass
class Decision:
    """What publishing `review` would do, as the confirmation page and the API say it."""

    review: object
    current: object  # the publication member states read now, or None
    changes: list  # what changed since the review was built: empty when it is current
    refusal: Refused | None
    member_states: list  # those who will read it: the member states the cycle covers now
    staff: int  # their active reporters and lead reporters

    @property
    def replaces_token(self):
        return str(self.current.pk) if self.current else NOTHING


def refusal(review, current, changes):
    """Why `review` may not be published now, or None."""
    if not review.is_done:
        return Refused("not_done", _("Only a finished review can be published."))
    if current is not None and current.review_id == review.pk:
        return Refused("already_current", _("This review is already what the member states read."))
    if changes:
        return Refused("stale", _("This review is not of the submissions as they stand: they changed since it was "
                                  "built. Build the review of the current submissions and publish that one."),
                       changes)
    return None


def audience(cycle):
    """The member states that will read a publication of `cycle`, and how many active staff accounts they have."""
    member_states = list(cycle.covered_member_states())  # those who read it: CoordinatedReview.visible_to
    staff = User.objects.filter(is_active=True, authority__member_state__in=member_states,
                                groups__name__in=[Role.REPORTER, Role.LEAD_REPORTER]).distinct().count()
    return member_states, staff


def decision(review):
    """What publishing `review` now would do, read afresh (nothing remembered): for the confirmation page."""
    current = Publication.objects.select_related("review", "published_by").current_of(review.cycle)
    changes = population_changes(review.population, recorded_population(review.cycle))
    member_states, staff = audience(review.cycle)
    return Decision(review, current, changes, refusal(review, current, changes), member_states, staff)


def _lock(cycle):
    """One decision at a time per cycle: publications and withdrawals of a cycle wait for each other."""
    ReportingCycle.objects.select_for_update().filter(pk=cycle.pk).first()


@transaction.atomic
def review_publish(*, review, user, replaces=None, now=None, marking=markings.PUBLISHED_DEFAULT):
    """Publish `review` to the staff of the member states its cycle covers; returns the new Publication.

    `replaces` is what the deciding page showed as read now (a publication's pk as text, or NOTHING); when another
    decision came in between, nothing is published and Refused("changed") says so. Refused too: a review not built,
    not of the submissions as they stand, or already the current publication. `now` dates the demo's historical
    publications; what is published is still judged on the submissions as they stand. `marking` is the publication's
    handling marking: every covered member state's staff read it, so above TLP:GREEN is Refused("marking").
    """
    refused = marking_refusal(marking)
    if refused:
        raise refused
    _lock(review.cycle)
    review = CoordinatedReview.objects.select_related("cycle").get(pk=review.pk)
    current = Publication.objects.current_of(review.cycle)
    if replaces is not None and replaces != (str(current.pk) if current else NOTHING):
        raise Refused("changed", _("What the member states read changed while you were deciding: another "
                                   "publication or withdrawal was made. Look at this page again and decide anew."))
    refused = refusal(review, current, population_changes(review.population, recorded_population(review.cycle)))
    if refused:
        raise refused
    now = now or timezone.now()
    publication = Publication.objects.create(review=review, cycle=review.cycle, published_at=now,
                                             published_by=user, replaces=current, marking=marking)
    audit.record(audit.Event.PUBLISHED, subject=review, actor=user, what=_("review %(n)s") % {"n": review.pk},
                 replaces=current.review_id if current else None, at=now)
    audit.record(audit.Event.MARKED, subject=review, actor=user, of="publication", marking=marking, at=now)
    return publication


def marking_refusal(marking):
    """Why a publication may not carry `marking`, or None: other member states' staff are not within TLP:AMBER."""
    if marking not in markings.Marking.values:
        return Refused("marking", _("Choose one of the markings offered."))
    if not access.may_publish_marked(marking):
        return Refused("marking", _("Every member state's staff read a publication, and the staff of other member "
                                    "states are not within %(marking)s: mark it %(most)s or less strict, or do not "
                                    "publish it.") % {"marking": marking, "most": markings.PUBLISHED_AT_MOST})
    return None


def after_withdrawal(publication):
    """What the cycle's member states would read once `publication` is withdrawn: the publication, or None."""
    current = Publication.objects.current_of(publication.cycle)
    if current is None or current.pk != publication.pk:
        return current  # an older publication's withdrawal changes nothing for them
    return (Publication.objects.standing().filter(cycle=publication.cycle).exclude(pk=publication.pk)
            .select_related("review").order_by("-published_at", "-pk").first())


@transaction.atomic
def publication_withdraw(*, publication, user, reason):
    """Withdraw a standing publication, saying why; the member states then read `after_withdrawal`'s publication."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused("reason_required", _("Say why the publication is withdrawn: the member states' staff read it."))
    _lock(publication.cycle)
    withdrawn = Publication.objects.filter(pk=publication.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=user, withdrawal_reason=reason)
    if not withdrawn:
        raise Refused("already_withdrawn", _("This publication was withdrawn already."))
    audit.record(audit.Event.WITHDRAWN, subject=publication.review, actor=user,
                 what=_("review %(n)s") % {"n": publication.review_id}, reason=reason)
    publication.refresh_from_db()
    return publication


def standing_publication(review):
    """The publication of `review` that stands, or None."""
    return Publication.objects.standing().filter(review=review).select_related("published_by").first()


def reading_record(publication, user):
    """Note that a member state's staff member opened `publication` now: one statement, however often."""
    now = timezone.now()
    PublicationReading.objects.bulk_create(
        [PublicationReading(publication=publication, user=user, first_read_at=now, last_read_at=now)],
        update_conflicts=True, unique_fields=["publication", "user"], update_fields=["last_read_at"])


@dataclass
class Notice:
    """A publication the user read that the member states no longer read, and what they read instead (or None)."""

    read: object
    current: object


# The second progress report's figures of a publication's review (None for a cycle that does not ask them), read
# with the publication: the dashboards quote them without loading the review's whole results.
LEGISLATION = KeyTransform("legislation", "review__results")


def current_legislation(cycle):
    """The `legislation` results of the review the cycle's member states read now, or None."""
    publication = (Publication.objects.standing().filter(cycle=cycle).annotate(legislation=LEGISLATION)
                   .order_by("-published_at", "-pk").first())
    return publication.legislation if publication is not None else None


def current_publications(cycles):
    """{cycle pk: the publication its member states read now}, for the cycles that have one: one query."""
    current = {}
    for publication in (Publication.objects.standing().filter(cycle__in=cycles).select_related("cycle")
                        .annotate(legislation=LEGISLATION).order_by("cycle", "-published_at", "-pk")):
        current.setdefault(publication.cycle_id, publication)
    return current


def news_for(user, cycles, current):
    """{cycle pk: Notice} for the cycles where the publication `user` opened last is no longer what the member states
    read (it was replaced or withdrawn since); `current` is `current_publications(cycles)`. One query."""
    last_read = {}
    for reading in (PublicationReading.objects.filter(user=user, publication__cycle__in=cycles)
                    .select_related("publication__cycle").order_by("-last_read_at", "-pk")):
        last_read.setdefault(reading.publication.cycle_id, reading.publication)
    return {cycle: Notice(publication, current.get(cycle)) for cycle, publication in last_read.items()
            if current.get(cycle) is None or current[cycle].pk != publication.pk}
