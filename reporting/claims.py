"""Who runs a job: a claim named by the Celery task id, kept alive by a heartbeat, given up when it stops.

The jobs are the coordinated review's build and the exports (reporting/models.py: both tables have the claim's
columns and a JobQuerySet); `Claims(model)` is the mechanism for one table, and `reviews` and `exports` are the two in
use. What follows says "review" and "build"; an export's job is the same.

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

from reporting.models import CoordinatedReview, Export, JobStatus

log = logging.getLogger(__name__)


def silent_since(now):
    """A running job with no heartbeat since this moment is abandoned."""
    return now - datetime.timedelta(seconds=settings.REVIEW_ABANDONED_AFTER_SECONDS)


class Claims:
    """The claim on the rows of one job table (a model whose manager is a JobQuerySet)."""

    def __init__(self, model, what):
        self.model, self.what = model, what

    def take(self, pk, *, claim, now=None):
        """Take the row for the build named `claim`; True when it is now that build's to build.

        Claimable: queued or failed; running under this same claim (its message handed out again after its pool
        process died); or running with a heartbeat that stopped (its worker died and the sweep has not yet seen it).
        """
        now = now or timezone.now()
        return bool(self.model.objects.filter(
            Q(status__in=[JobStatus.QUEUED, JobStatus.FAILED])
            | Q(status=JobStatus.RUNNING, claimed_by=claim)
            | Q(status=JobStatus.RUNNING, heartbeat_at__lt=silent_since(now)),
            pk=pk,
        ).update(status=JobStatus.RUNNING, claimed_by=claim, started_at=now, heartbeat_at=now,
                 attempts=F("attempts") + 1, error=""))

    def release_abandoned(self, *, now=None):
        """Give running rows whose heartbeat stopped back to the queue, as never sent: the sweep sends them next.

        Queued, not left running for the next message to take over: the sweep marks what it sends (enqueued_at) and
        sends it again only after a while (models.RESEND_AFTER), so a job whose worker stays down is not sent again
        every sweep.
        """
        now = now or timezone.now()
        released = self.model.objects.abandoned(silent_since=silent_since(now)).update(
            status=JobStatus.QUEUED, enqueued_at=None)
        if released:
            log.warning("%s %s job(s) fell silent (their worker died?): queued again", released, self.what)
        return released

    @contextlib.contextmanager
    def heartbeat(self, pk, claim):
        """While the block runs, a thread beside it marks the claimed row alive every REVIEW_HEARTBEAT_SECONDS."""
        stop = threading.Event()
        thread = threading.Thread(target=self._beat, args=(pk, claim, stop), name=f"{self.what}-{pk}-heartbeat",
                                  daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            # Not forever: a beat stuck on a stalled database must not hold the build's own error or result back.
            thread.join(timeout=settings.REVIEW_HEARTBEAT_SECONDS)

    def _beat(self, pk, claim, stop):
        try:
            while not stop.wait(settings.REVIEW_HEARTBEAT_SECONDS):
                try:
                    if not self.model.objects.filter(pk=pk).held_by(claim).update(heartbeat_at=timezone.now()):
                        return  # finished, or released by the sweep: nothing of ours left to keep alive
                except DatabaseError:
                    # A missed beat is what REVIEW_ABANDONED_AFTER_SECONDS allows for; the job meets the same database.
                    log.warning("%s %s: heartbeat not written", self.what, pk, exc_info=True)
        finally:
            connection.close()  # this thread's own connection


reviews = Claims(CoordinatedReview, "review")
exports = Claims(Export, "export")

# The review build's own names for its claim (reporting/services.py, its tests).
take, release_abandoned, heartbeat = reviews.take, reviews.release_abandoned, reviews.heartbeat
