"""The EU coordinated review: an aggregation of the versions a cycle's population counts."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from portal import access
from portal.models import CycleCoverage


class ReviewStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class CoordinatedReviewQuerySet(models.QuerySet):
    def held_by(self, claim):
        """Running under this claim: every write a build makes after claiming its review goes through here."""
        return self.filter(status=ReviewStatus.RUNNING, claimed_by=claim)

    def abandoned(self, *, silent_since):
        """Running, with no heartbeat since `silent_since`: the build's worker died (or cannot reach the database)."""
        return self.filter(status=ReviewStatus.RUNNING, heartbeat_at__lt=silent_since)

    def published(self):
        return self.filter(published_at__isnull=False, status=ReviewStatus.DONE)

    def visible_to(self, user):
        """Reviewers' work until published; then also the staff of the member states its cycle covers."""
        if access.scope(user, access.Data.REVIEW_WORK) is access.Scope.ALL:
            return self.all()  # reviewers and admins: every review (and no subquery to compile on every page)
        # A subquery, not a join: one row per review without DISTINCT over its large JSON columns.
        covering = Q(Exists(CycleCoverage.objects.filter(cycle=OuterRef("cycle"), member_state=user.member_state_id,
                                                         until__isnull=True))) if user.is_authenticated else None
        return self.filter(access.readable(user, access.Data.REVIEW_WORK)
                           | (Q(published_at__isnull=False, status=ReviewStatus.DONE)
                              & access.readable(user, access.Data.PUBLISHED, own=covering)))


class CoordinatedReview(models.Model):
    """One review per cycle and exact population: asking again for the same inputs returns it.

    `population` records every member state the cycle counted when the review was requested (its version, hash
    and lateness, or none); the fingerprint covers it, so a new version, an extension that changes a lateness or a
    change of coverage all make a new review, and the old one shows as stale.
    """

    cycle = models.ForeignKey("portal.ReportingCycle", on_delete=models.PROTECT, related_name="reviews")
    # SHA-256 over the recorded population.
    fingerprint = models.CharField(max_length=64)
    population = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.QUEUED)
    inputs = models.ManyToManyField("assessments.AssessmentVersion", through="ReviewInput", related_name="reviews")
    results = models.JSONField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", help_text=_("Empty when a submission triggered it."))
    requested_at = models.DateTimeField(auto_now_add=True)
    # When the build was last handed to the broker; the sweep re-sends what waits too long.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # The Celery task id of the build that claimed the review last (reporting/claims.py): while the review runs,
    # only that build may write to it, and a redelivery of the same message may take its claim up again.
    claimed_by = models.CharField(max_length=64, blank=True)
    # The running build's last sign of life; the sweep gives a review whose heartbeat stopped back to the queue.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    objects = CoordinatedReviewQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "-requested_at", "-pk"]
        verbose_name = _("coordinated review")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "fingerprint"], name="review_one_per_cycle_and_inputs"),
            models.CheckConstraint(condition=Q(status__in=ReviewStatus.values), name="review_status_valid"),
            models.CheckConstraint(condition=Q(published_at__isnull=True) | Q(status=ReviewStatus.DONE),
                                   name="review_only_done_is_published"),
            # A running review has an owner and a sign of life, or nothing would ever reclaim it.
            models.CheckConstraint(condition=~Q(status=ReviewStatus.RUNNING)
                                   | (~Q(claimed_by="") & Q(heartbeat_at__isnull=False)),
                                   name="review_running_is_claimed"),
        ]
        indexes = [
            # The sweep: reviews still queued, oldest hand-over first; and, by its status alone, the few running
            # reviews whose heartbeat it checks (heartbeat_at is not indexed: every beat would rewrite the index).
            models.Index(fields=["status", "enqueued_at"], name="review_sweep_idx"),
        ]

    def __str__(self):
        return f"{self.cycle} – review {self.pk}"

    @property
    def is_published(self):
        return self.published_at is not None

    @property
    def is_done(self):
        return self.status == ReviewStatus.DONE

    @property
    def is_failed(self):
        return self.status == ReviewStatus.FAILED

    @property
    def is_queued(self):
        return self.status == ReviewStatus.QUEUED

    @property
    def is_running(self):
        return self.status == ReviewStatus.RUNNING

    @property
    def is_building(self):
        return self.status in (ReviewStatus.QUEUED, ReviewStatus.RUNNING)


class ReviewInput(models.Model):
    """Provenance: a national version the review was built from."""

    review = models.ForeignKey(CoordinatedReview, on_delete=models.CASCADE, related_name="provenance")
    version = models.ForeignKey("assessments.AssessmentVersion", on_delete=models.PROTECT, related_name="+")
    member_state_code = models.CharField(max_length=2)
    number = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["review", "member_state_code"]
        constraints = [models.UniqueConstraint(fields=["review", "version"], name="review_input_unique")]
