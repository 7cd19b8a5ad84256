"""Who builds a review: a claim named by the Celery task id, kept alive by a heartbeat, given up when it stops.

A build claims its review with a conditional UPDATE that records its claim (the task id) and a heartbeat; every
write it makes afterwards is conditional on still holding that claim (CoordinatedReview.objects.held_by). Three
faults shaped the rest:

- Only the pool process dies (out of memory, the hard time limit, a SIGKILL): with acks_late and
  reject_on_worker_lost Celery requeues the message at once and hands it out again, with the same task id. That
  build takes its own claim up again; any other message is refused while the claim's heartbeat is fresh.
- The whole worker dies: Redis returns its unacknowledged message only after the visibility timeout (11 minutes),
  far too long to wait. The heartbeat stops instead, and the sweep gives the review back to the queue once it has
  been silent for REVIEW_ABANDONED_AFTER_SECONDS, then hands it over. When the old message comes back at last it
  finds the review built, or queued like any other.
- A build that only looked dead (its database stalled past the threshold) may wake up after another took its
  review: its writes name a claim it no longer holds and change nothing.

The heartbeat is a thread beside the build, not a write between its steps, so that one long step (the aggregate at
10,000 member states) does not look like a dead worker. It dies with its process, which is the point; a build that
hangs while its process lives keeps its claim until the task's time limit kills the process.
"""

import contextlib
import datetime
import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import F, Q
from django.utils import timezone

from reporting.models import CoordinatedReview, ReviewStatus

log = logging.getLogger(__name__)


def silent_since(now):
    """A running review with no heartbeat since this moment is abandoned."""
    return now - datetime.timedelta(seconds=settings.REVIEW_ABANDONED_AFTER_SECONDS)


def take(review_id, *, claim, now=None):
    """Take the review for the build named `claim`; True when it is now that build's to build.

    Claimable: queued or failed; running under this same claim (its message handed out again after its pool
    process died); or running with a heartbeat that stopped (its worker died and the sweep has not yet seen it).
    """
    now = now or timezone.now()
    return bool(CoordinatedReview.objects.filter(
        Q(status__in=[ReviewStatus.QUEUED, ReviewStatus.FAILED])
        | Q(status=ReviewStatus.RUNNING, claimed_by=claim)
        | Q(status=ReviewStatus.RUNNING, heartbeat_at__lt=silent_since(now)),
        pk=review_id,
    ).update(status=ReviewStatus.RUNNING, claimed_by=claim, started_at=now, heartbeat_at=now,
             attempts=F("attempts") + 1, error=""))


def release_abandoned(*, now=None):
    """Give running reviews whose heartbeat stopped back to the queue, as never sent: the sweep sends them next.

    Queued, not left running for the next message to take over: the sweep marks what it sends (enqueued_at) and
    sends it again only after RESEND_AFTER, so a review whose worker stays down is not sent again every sweep.
    """
    now = now or timezone.now()
    released = CoordinatedReview.objects.abandoned(silent_since=silent_since(now)).update(
        status=ReviewStatus.QUEUED, enqueued_at=None)
    if released:
        log.warning("%s review build(s) fell silent (their worker died?): queued again", released)
    return released


@contextlib.contextmanager
def heartbeat(review_id, claim):
    """While the block runs, a thread beside it marks the claimed review alive every REVIEW_HEARTBEAT_SECONDS."""
    stop = threading.Event()
    thread = threading.Thread(target=_beat, args=(review_id, claim, stop), name=f"review-{review_id}-heartbeat",
                              daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        # Not forever: a beat stuck on a stalled database must not hold the build's own error or result back.
        thread.join(timeout=settings.REVIEW_HEARTBEAT_SECONDS)


def _beat(review_id, claim, stop):
    try:
        while not stop.wait(settings.REVIEW_HEARTBEAT_SECONDS):
            try:
                if not CoordinatedReview.objects.filter(pk=review_id).held_by(claim).update(
                        heartbeat_at=timezone.now()):
                    return  # finished, or released by the sweep: nothing of ours left to keep alive
            except DatabaseError:
                # A missed beat is what REVIEW_ABANDONED_AFTER_SECONDS allows for; the build meets the same database.
                log.warning("review %s: heartbeat not written", review_id, exc_info=True)
    finally:
        connection.close()  # this thread's own connection
