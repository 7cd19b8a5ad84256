"""A member state's national assessment for a cycle: its draft's state, its versions and its workflow."""

from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models.questionnaire import Section
from portal import access, markings
from portal.lib.digests import sha256_of_json
from portal.markings import Marking


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for clarification")
    ACCEPTED = "accepted", _("Accepted")


EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)


class NationalAssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Its draft by the draft rule; once submitted, by the submitted rule too, for the versions whose marking
        lets the user read them (see portal/access.py)."""
        submitted = Q(pk__in=AssessmentVersion.objects.visible_to(user).values("assessment_id"))
        return self.filter(access.readable(user, access.Data.DRAFT)
                           | (submitted & access.readable(user, access.Data.SUBMITTED)))


class NationalAssessment(models.Model):
    cycle = models.ForeignKey("portal.ReportingCycle", on_delete=models.PROTECT, related_name="assessments")
    member_state = models.ForeignKey("portal.MemberState", on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # The handling marking its team chose for the draft (portal/markings.py); a version gets its own at submission.
    marking = models.CharField(_("marking"), max_length=16, choices=Marking.choices, default=markings.DEFAULT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NationalAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("national assessment")
        verbose_name_plural = _("national assessments")
        ordering = ["cycle", "member_state__protocol_order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "member_state"], name="assessment_one_per_cycle_and_state"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="assessment_status_valid"),
            models.CheckConstraint(condition=Q(marking__in=Marking.values), name="assessment_marking_valid"),
        ]

    def __str__(self):
        return f"{self.member_state} – {self.cycle}"

    # Status, in words (templates use these, never the raw strings).
    @property
    def is_draft(self):
        return self.status == Status.DRAFT

    @property
    def is_submitted(self):
        """Submitted and awaiting review: reviewers may ask, return or accept."""
        return self.status == Status.SUBMITTED

    @property
    def is_returned(self):
        return self.status == Status.RETURNED

    @property
    def is_accepted(self):
        return self.status == Status.ACCEPTED

    @property
    def is_frozen(self):
        """Submitted or accepted: no edits until a reviewer returns it."""
        return self.status not in EDITABLE_STATUSES

    @cached_property
    def edit_lock(self):
        """Why the cycle does not accept edits from this member state now (closed, deadline passed), or None."""
        return self.cycle.lock_reason(self.member_state)

    @property
    def is_editable(self):
        return not self.is_frozen and self.edit_lock is None

    def is_editable_by(self, user):
        return self.is_editable and access.may_write_draft(user, self.member_state_id)

    def may_submit(self, user):
        return self.is_editable and access.may_submit(user, self.member_state_id)

    def draft_is_visible_to(self, user):
        return (access.may_read(user, access.Data.DRAFT, self.member_state_id)
                and access.may_read_marking(user, self.marking, self.member_state_id))


class SectionState(models.Model):
    """The draft state of one section: its revision for optimistic locking.

    Every save names the revision it started from; the server merges it with
    what colleagues saved since (see assessments/filing/merge.py) and moves the revision on.
    """

    assessment = models.ForeignKey(NationalAssessment, on_delete=models.CASCADE, related_name="section_states")
    section = models.CharField(max_length=20, choices=Section.choices)
    revision = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(null=True, blank=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "section"], name="section_state_unique"),
            models.CheckConstraint(condition=Q(section__in=Section.values), name="section_state_section_valid"),
        ]


class RefusalReason(models.TextChoices):
    INVALID = "invalid", _("it needs corrections")
    CONFLICT = "conflict", _("a colleague changed the same fields")
    LOCKED = "locked", _("the draft was locked")


class Outdated(models.TextChoices):
    """Why a user's unsaved input no longer concerns their colleagues (it still concerns its author)."""

    SAVED_OVER = "saved_over", _("a colleague saved its fields since")
    SUBMITTED = "submitted", _("a version was submitted without it")


class UnsavedInputQuerySet(models.QuerySet):
    def noticed_by(self, user=None):
        """The input `user` is told about: their own, whatever became of it, and colleagues' still current (not
        saved over, nor left out of a version since). With no user, only what is current (a document, a check)."""
        current = Q(outdated="")
        return self.filter(current | Q(user=user) if user is not None else current)


class UnsavedInput(models.Model):
    """What a filer typed into a section that could not be applied: invalid, in conflict, or locked out.

    Kept per user, so that nothing typed is ever lost: the section page shows it again, with why it was refused,
    until the filer settles it (a save of theirs that sends those fields, a choice, a discard) or the draft comes to
    hold what they typed; colleagues and the lead reporter see that it exists while it is current (`outdated`).
    `data` is keyed by stable names (assessments/filing/merge.py), as typed: the fields the user changed that the draft
    does not hold.
    """

    section_state = models.ForeignKey(SectionState, on_delete=models.CASCADE, related_name="unsaved_inputs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField()
    # What the user's page showed when they typed it: the base of the three-way merge when it is tried again.
    # `base` holds the values the page sent (by stable key); without them, the revision the page was opened at.
    base_revision = models.PositiveIntegerField()
    base = models.JSONField(null=True, blank=True)
    reason = models.CharField(max_length=10, choices=RefusalReason.choices, default=RefusalReason.INVALID)
    at = models.DateTimeField(auto_now=True)
    # Set when a colleague's later save changed its field (scope) or row (the other parts), or when a version was
    # submitted without it; cleared when its author's input is refused again (assessments/services/drafts.py).
    outdated = models.CharField(max_length=10, choices=Outdated.choices, blank=True, default="")

    objects = UnsavedInputQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["section_state", "user"], name="unsaved_input_one_per_user"),
            models.CheckConstraint(condition=Q(reason__in=RefusalReason.values), name="unsaved_input_reason_valid"),
            models.CheckConstraint(condition=Q(outdated__in=["", *Outdated.values]),
                                   name="unsaved_input_outdated_valid"),
        ]


class AssessmentVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """By the submitted rule, then by its marking (TLP:RED: only the reviewers named on it)."""
        named = Q(pk__in=AssessmentVersion.shared_with.through.objects.filter(user=user.pk).values("assessmentversion")
                  ) if user.is_authenticated else access.NOTHING
        return self.filter(access.readable(user, access.Data.SUBMITTED, "assessment__member_state")
                           & access.marking_readable(user, "assessment__member_state", named=named))


class AssessmentVersion(models.Model):
    """An immutable, submitted snapshot. Its answer rows carry `version`; `snapshot` holds them as JSON.

    `sha256` is `AssessmentVersion.digest(snapshot)`, and the snapshot's answers are the version's rows
    (assessments/snapshots.py rebuilds them to check): the hash covers what the review counts.
    """

    assessment = models.ForeignKey(NationalAssessment, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    sha256 = models.CharField(max_length=64)
    # assessments.snapshots.rows_digests of the version's answer rows, recorded with the snapshot: the review build
    # checks the rows against it in the database. Empty for versions submitted before it existed, until checked.
    rows_digest = models.CharField(max_length=64, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    # Chosen by the lead reporter at submission, fixed with the version. TLP:RED names its reviewers (`shared_with`):
    # they alone of the reviewers may read it (portal/access.py `marking_readable`).
    marking = models.CharField(_("marking"), max_length=16, choices=Marking.choices, default=markings.DEFAULT)
    shared_with = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                         verbose_name=_("shared with"))
    attachments = models.ManyToManyField("assessments.Attachment", through="assessments.AssessmentVersionAttachment",
                                         related_name="versions")

    objects = AssessmentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="version_sha256_hex"),
            models.CheckConstraint(condition=Q(rows_digest="") | Q(rows_digest__regex=r"^[0-9a-f]{64}$"),
                                   name="version_rows_digest_hex"),
            models.CheckConstraint(condition=Q(marking__in=Marking.values), name="version_marking_valid"),
        ]

    def __str__(self):
        return f"{self.assessment} v{self.number}"

    @cached_property
    def snapshot_intact(self):
        """The stored snapshot still hashes to the SHA-256 recorded (and on the receipt): checked where it is shown."""
        return self.digest(self.snapshot) == self.sha256

    @staticmethod
    def digest(snapshot):
        """The one way a version is hashed: SHA-256 of its snapshot as canonical JSON (sorted keys, no spaces)."""
        return sha256_of_json(snapshot)


class Transition(models.Model):
    """Every change of an assessment's status: who, when, from, to, why."""

    assessment = models.ForeignKey(NationalAssessment, on_delete=models.CASCADE, related_name="transitions")
    version = models.ForeignKey("assessments.AssessmentVersion", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    from_status = models.CharField(max_length=12, choices=Status.choices)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Given by the service that makes the change: now, or the date of the demo's history (their `now=`).
    at = models.DateTimeField(default=timezone.now, editable=False)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "at", "pk"]
