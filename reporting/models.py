"""The reporting app's records: the EU coordinated review of a cycle's population, and the exports made of it.

Both are background jobs with the same life (queued, running, done or failed) and the same claim
(reporting/claims.py): their rows are the record, Celery only carries the news.
"""

import datetime
import re

from django.conf import settings
from django.db import connections, models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentVersion
from portal import access, markings
from portal.lib.storage import export_storage
from portal.markings import Marking
from portal.models import CycleCoverage


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ReviewStatus = JobStatus  # the review's name for it, from before exports were jobs too


# A job handed to the broker but still queued after this long is handed over again by the sweep.
RESEND_AFTER = datetime.timedelta(minutes=10)


class JobQuerySet(models.QuerySet):
    """What reporting/claims.py and the sweeps ask of a job's table: who holds it, which running jobs fell silent,
    and which queued ones to hand to the broker again."""

    def to_hand_over(self, *, now):
        """Ids of the queued jobs never sent (the broker was down) or sent more than RESEND_AFTER ago."""
        return list(self.filter(Q(status=JobStatus.QUEUED, enqueued_at__isnull=True)
                                | Q(status=JobStatus.QUEUED, enqueued_at__lt=now - RESEND_AFTER))
                    .values_list("pk", flat=True))

    def mark_enqueued(self, pk):
        """The broker took the job: the sweep leaves it alone for RESEND_AFTER."""
        self.filter(pk=pk, status=JobStatus.QUEUED).update(enqueued_at=timezone.now())

    def held_by(self, claim):
        """Running under this claim: every write a job makes after claiming its row goes through here."""
        return self.filter(status=JobStatus.RUNNING, claimed_by=claim)

    def abandoned(self, *, silent_since):
        """Running, with no heartbeat since `silent_since`: the job's worker died (or cannot reach the database)."""
        return self.filter(status=JobStatus.RUNNING, heartbeat_at__lt=silent_since)


class JobState:
    """What a job's row (a review's build, an export) says of its state, for pages and templates."""

    @property
    def is_done(self):
        return self.status == JobStatus.DONE

    @property
    def is_failed(self):
        return self.status == JobStatus.FAILED

    @property
    def is_queued(self):
        return self.status == JobStatus.QUEUED

    @property
    def is_running(self):
        return self.status == JobStatus.RUNNING

    @property
    def is_building(self):
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)


def standing(publications):
    """Publications not withdrawn: what member states' staff may read."""
    return publications.filter(withdrawn_at__isnull=True)


class CoordinatedReviewQuerySet(JobQuerySet):
    def published(self):
        """Reviews that stand published (a withdrawn publication no longer counts)."""
        return self.filter(Exists(standing(Publication.objects.filter(review=OuterRef("pk")))))

    def with_publication(self):
        """Each review with `published_at`: when its standing publication was made (None when it has none), and
        `published_marking`, the handling marking it was published with."""
        newest = standing(Publication.objects.filter(review=OuterRef("pk"))).order_by("-published_at", "-pk")
        return self.annotate(published_at=Subquery(newest.values("published_at")[:1]),
                             published_marking=Subquery(newest.values("marking")[:1]))

    def visible_to(self, user):
        """Reviewers' work until published; then also the staff of the member states its cycle covers now (coverage
        in force), for as long as its publication stands (a withdrawn one is gone from their view)."""
        work = access.readable(user, access.Data.REVIEW_WORK)
        if work is access.EVERYTHING:
            return self.all()  # reviewers and admins: every review (and no subquery to compile on every page)
        # A subquery, not a join: one row per review without DISTINCT over its large JSON columns.
        covering = Q(Exists(CycleCoverage.objects.in_force().filter(
            cycle=OuterRef("cycle"), member_state=user.member_state_id))) if user.is_authenticated else None
        published = Q(Exists(standing(Publication.objects.filter(review=OuterRef("pk")))))
        return self.filter(work | (published & access.readable(user, access.Data.PUBLISHED, own=covering)))


class CoordinatedReview(JobState, models.Model):
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
    # At least the strictest marking of the versions it counts, set when it is built (reporting/services.py).
    marking = models.CharField(_("marking"), max_length=16, choices=Marking.choices, default=markings.DEFAULT)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", help_text=_("Empty when a submission triggered it."))
    # Given by review_request: now, or the time of the submission that asked for it (the demo's are historical).
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
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

    objects = CoordinatedReviewQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "-requested_at", "-pk"]
        verbose_name = _("coordinated review")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "fingerprint"], name="review_one_per_cycle_and_inputs"),
            models.CheckConstraint(condition=Q(status__in=ReviewStatus.values), name="review_status_valid"),
            models.CheckConstraint(condition=Q(marking__in=Marking.values), name="review_marking_valid"),
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
        """Whether a publication of it stands: from `with_publication()`'s annotation where the query made one."""
        if "published_at" in self.__dict__:
            return self.published_at is not None
        return standing(self.publications.all()).exists()


class PublicationQuerySet(models.QuerySet):
    def standing(self):
        return standing(self)

    def current_of(self, cycle):
        """The publication a cycle's member states read now: its newest standing one (None when it has none)."""
        return self.standing().filter(cycle=cycle).order_by("-published_at", "-pk").first()


class Publication(models.Model):
    """A reviewer's decision to show a review's aggregates to the staff of the member states its cycle covers.

    A cycle's member states read its newest standing publication (`current_of`); an older one still standing has
    been replaced (they may still read it, told so); a withdrawn one is gone from their view, and what they read then
    is the newest of those still standing, or nothing. Only a built review of the cycle's submissions as they stand
    is published (reporting/publishing.py).
    """

    review = models.ForeignKey(CoordinatedReview, on_delete=models.PROTECT, related_name="publications")
    # The review's cycle, kept here so that "the newest standing publication of a cycle" is one indexed read.
    cycle = models.ForeignKey("portal.ReportingCycle", on_delete=models.PROTECT, related_name="publications")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    # What the member states read when this was published: what it replaced for them (None: the first).
    replaces = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    withdrawal_reason = models.TextField(_("reason"), blank=True)
    # Set on the publish confirmation page: every covered member state's staff read it, so TLP:GREEN at most.
    marking = models.CharField(_("marking"), max_length=16, choices=Marking.choices,
                               default=markings.PUBLISHED_DEFAULT)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "-published_at", "-pk"]
        verbose_name = _("publication")
        constraints = [
            # A review stands published once at most; after a withdrawal it may be published again.
            models.UniqueConstraint(fields=["review"], condition=Q(withdrawn_at__isnull=True),
                                    name="publication_one_standing_per_review"),
            # A withdrawal says when and why, or it did not happen.
            models.CheckConstraint(condition=(Q(withdrawn_at__isnull=True) & Q(withdrawal_reason=""))
                                   | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
                                   name="publication_withdrawn_with_a_reason"),
            models.CheckConstraint(condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("published_at")),
                                   name="publication_withdrawn_after_published"),
            # Other member states' staff are not within TLP:AMBER: what all of them read is TLP:GREEN at most.
            models.CheckConstraint(condition=Q(marking__in=[m for m in Marking.values
                                                            if access.may_publish_marked(m)]),
                                   name="publication_marking_at_most_green"),
        ]
        indexes = [models.Index(fields=["cycle", "-published_at"], name="publication_cycle_newest_idx")]

    def __str__(self):
        return f"{self.review} – publication {self.pk}"

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None


class PublicationReading(models.Model):
    """That a member state's staff member opened a publication, first and last when: the publication they read last
    tells whether what the member states read changed since (reporting/publishing.py `news_for`)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="readings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    first_read_at = models.DateTimeField()
    last_read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["publication", "user"], name="publication_read_once_per_user")]



class ReviewInputManager(models.Manager):
    def record(self, review, version_ids):
        """One row per version `review` counts, copied by the database from the versions in one statement: no model
        is built (at 10,000 member states, a second less than `bulk_create`)."""
        if not version_ids:  # every submitted version withheld (TLP:RED): a review of none
            return
        versions = AssessmentVersion.objects.using(self.db).filter(pk__in=version_ids).order_by().values_list(
            "pk", "assessment__member_state__eu_code", "number", "sha256")
        select, params = versions.query.sql_with_params()
        connection = connections[self.db]
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} (review_id, version_id, member_state_code, number, sha256) "
                           f"SELECT %s, counted.* FROM ({select}) AS counted", [review.pk, *params])


class ReviewInput(models.Model):
    """Provenance: a national version the review was built from."""

    review = models.ForeignKey(CoordinatedReview, on_delete=models.CASCADE, related_name="provenance")
    version = models.ForeignKey("assessments.AssessmentVersion", on_delete=models.PROTECT, related_name="+")
    member_state_code = models.CharField(max_length=2)
    number = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    objects = ReviewInputManager()

    class Meta:
        ordering = ["review", "member_state_code"]
        constraints = [models.UniqueConstraint(fields=["review", "version"], name="review_input_unique")]


class ExportKind(models.TextChoices):
    """What an export is of. A new kind is a choice here, a request in reporting/exports/jobs.py and a renderer in
    reporting/exports/content.py (RENDERERS); the job, its claim, its storage and its pages are the same for every
    kind."""

    REVIEW = "review", _("EU coordinated review")
    COMPARISON = "comparison", _("Comparison of member states")
    TREND = "trend", _("Trend across cycles")


class ExportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"


class Audience(models.TextChoices):
    REVIEWER = "reviewer", _("reviewers: everything")
    PUBLIC = "public", _("member states' staff: aggregates only")


def audience_of(user):
    """Who an export is for, from who asks: reviewers and admins get everything, anyone else the aggregates."""
    return Audience.REVIEWER if access.may_review(user) else Audience.PUBLIC


CONTENT_TYPES = {ExportFormat.PDF: "application/pdf",
                 ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class ExportQuerySet(JobQuerySet):
    def visible_to(self, user):
        """Exports of what the user may read, and only those made for the user's own audience.

        The audience is derived from the user again on every fetch, never taken from the request: staff of a member
        state never get a reviewer's file, whatever pk they try. Comparisons and trends are reviewers' work.
        """
        return self.filter(audience=audience_of(user)).filter(
            Q(kind=ExportKind.REVIEW, review__in=CoordinatedReview.objects.visible_to(user).values("pk"))
            | (Q(kind__in=[ExportKind.COMPARISON, ExportKind.TREND]) & access.readable(user, access.Data.REVIEW_WORK)))


class Export(JobState, models.Model):
    """A file made of a review or a comparison, in one format, language and audience: made once, then served.

    `key` is a SHA-256 over everything that decides the file's content (kind, subject, parameters, format, language,
    audience), and it is unique: the same export asked twice, or by two people at once, is one row and one job. A
    done review never changes (a rebuilt review is a new row), so its exports are made once; a comparison's key
    carries the ids of the versions it compares, so a new submission makes a new file. The job has the review
    build's life and claim (reporting/claims.py); the file is content-addressed under EXPORT_ROOT or in the bucket
    (portal/lib/storage.py).
    """

    kind = models.CharField(max_length=20, choices=ExportKind.choices)
    review = models.ForeignKey(CoordinatedReview, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="exports")
    cycle = models.ForeignKey("portal.ReportingCycle", on_delete=models.PROTECT, related_name="exports")
    # The comparison's choices (member states sorted, section, previous) and its versions' ids; empty for a review.
    parameters = models.JSONField(default=dict, blank=True)
    format = models.CharField(max_length=10, choices=ExportFormat.choices)
    language = models.CharField(max_length=10)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    key = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    # A short sentence the progress page shows ("Writing sheet 3 of 12"), written by the running job.
    progress = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    # The claim, as on CoordinatedReview: see reporting/claims.py.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    file = models.FileField(storage=export_storage, max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    # A reviewer's ceiling ("up to TLP:GREEN"): content marked above it is left out, and the file names what was;
    # empty for none. Part of the key: a capped file is another file.
    cap = models.CharField(_("up to"), max_length=16, choices=Marking.choices, blank=True)
    # The handling marking the file carries (in every PDF page's margins, a CSV's and each sheet's first row): the
    # strictest of what it holds, at most the cap. Written with the file; empty until it is made.
    marking = models.CharField(_("marking"), max_length=16, choices=Marking.choices, blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # The same export asked twice, or by two people at once, is one row: one job, one file.
            models.UniqueConstraint(fields=["key"], name="export_one_per_key"),
            models.CheckConstraint(condition=Q(key__regex=r"^[0-9a-f]{64}$"), name="export_key_hex"),
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="export_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=ExportKind.values), name="export_kind_valid"),
            models.CheckConstraint(condition=Q(format__in=ExportFormat.values), name="export_format_valid"),
            models.CheckConstraint(condition=Q(audience__in=Audience.values), name="export_audience_valid"),
            # A review's export names its review; nothing else does.
            models.CheckConstraint(condition=(Q(kind=ExportKind.REVIEW) & Q(review__isnull=False))
                                   | (~Q(kind=ExportKind.REVIEW) & Q(review__isnull=True)),
                                   name="export_review_iff_kind_review"),
            # Comparisons show every member state's answers: reviewers' work only.
            models.CheckConstraint(condition=~Q(kind=ExportKind.COMPARISON) | Q(audience=Audience.REVIEWER),
                                   name="export_comparison_for_reviewers"),
            # Trends show every member state's answers too.
            models.CheckConstraint(condition=~Q(kind=ExportKind.TREND) | Q(audience=Audience.REVIEWER),
                                   name="export_trend_for_reviewers"),
            models.CheckConstraint(condition=~Q(status=JobStatus.RUNNING)
                                   | (~Q(claimed_by="") & Q(heartbeat_at__isnull=False)),
                                   name="export_running_is_claimed"),
            models.CheckConstraint(condition=Q(cap="") | Q(cap__in=Marking.values), name="export_cap_is_a_marking"),
            # The cap is a reviewer's choice: staff's exports hold the published aggregates, under the publication's.
            models.CheckConstraint(condition=Q(cap="") | Q(audience=Audience.REVIEWER),
                                   name="export_cap_for_reviewers"),
            models.CheckConstraint(condition=Q(marking="") | Q(marking__in=Marking.values),
                                   name="export_marking_valid"),
            models.CheckConstraint(condition=~Q(status=JobStatus.DONE) | ~Q(marking=""), name="export_done_is_marked"),
            models.CheckConstraint(condition=~Q(status=JobStatus.DONE)
                                   | (~Q(file="") & Q(sha256__regex=r"^[0-9a-f]{64}$") & Q(size__isnull=False)),
                                   name="export_done_has_its_file"),
        ]
        indexes = [
            # The sweep (reporting/exports/jobs.py: export_sweep), as for reviews: queued exports by their hand-over.
            models.Index(fields=["status", "enqueued_at"], name="export_sweep_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – export {self.pk} ({self.format})"

    @property
    def content_type(self):
        return CONTENT_TYPES[self.format]

    @property
    def filename(self):
        """The name the download gets: what it is, of which cycle, never anything a user typed."""
        if self.kind == ExportKind.REVIEW:
            stem = f"coordinated-review-{self.cycle.year}-{self.review_id}"
            if self.audience == Audience.PUBLIC:
                stem += "-aggregates"
        elif self.kind == ExportKind.TREND:
            subject = re.sub(r"[^A-Za-z0-9-]+", "-", self.parameters.get("subject", "")).strip("-")
            stem = f"trend-{subject}-{self.parameters.get('segment', '')}".rstrip("-")
        else:
            stem = f"comparison-{self.cycle.year}-{self.parameters.get('section', '')}"
        return f"{stem}.{self.format}"
