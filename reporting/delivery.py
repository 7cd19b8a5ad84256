"""The delivery status of a cycle: for each member state asked, when it delivered, where its version stands, the
corrections asked of it and answered, and who downloaded the EU review or its exports (issue 32).

The member states and their lateness come from the one population rule (assessments.population); corrections from
the clarification points sent; downloads from the audit trail, where every file the portal hands out is recorded
(portal/downloads.py). A fixed number of queries, whatever the number of member states, points or downloads.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Q

from assessments.models import OPEN_POINT_STATUSES, ClarificationPoint
from assessments.population import cycle_population
from portal import access, audit
from portal.audit_words import DOWNLOADS
from portal.models import ReportingCycle
from reporting.models import CoordinatedReview

# What a download of the EU review or of its exports is recorded as (`what` in portal/downloads.py's entries).
REVIEW_DOWNLOADS = ("review export", "review table", "comparison")


@dataclass
class Download:
    """One person's downloads of one kind: how many, the last when."""

    name: str
    authority: str  # "" for a reviewer or an admin
    what: str
    count: int
    last_at: datetime.datetime

    @property
    def label(self):
        return DOWNLOADS.get(self.what, self.what)


@dataclass
class Line:
    member: object  # assessments.population.Member
    first_delivered_at: datetime.datetime | None
    last_delivered_at: datetime.datetime | None
    versions: int
    corrections_asked: int = 0
    corrections_answered: int = 0
    corrections_open: int = 0
    downloads: list = field(default_factory=list)

    @property
    def member_state(self):
        return self.member.member_state

    @property
    def status(self):
        return self.member.assessment.get_status_display() if self.member.assessment else None


@dataclass
class DeliveryStatus:
    cycle: object
    lines: list
    reviewers_downloads: list  # downloads by people of no member state (reviewers, admins)


def delivery_status(cycle, user):
    """The lines of the cycle `user` may read, as of now: every member state's for reviewers and admins, their own
    for a member state's staff; downloads where they may read the member state's activity (portal/access.py)."""
    members = cycle_population(cycle)
    corrections = _corrections(cycle)
    downloads, others = _downloads(cycle)
    lines = []
    for member in members:
        if not access.may_read(user, access.Data.SUBMITTED, member.member_state.pk):
            continue
        latest = member.latest
        line = Line(member, member.first_submitted_at, latest.submitted_at if latest else None,
                    latest.number if latest else 0, **corrections.get(member.member_state.pk, {}))
        if access.may_read(user, access.Data.ACTIVITY, member.member_state.pk):
            line.downloads = downloads.get(member.member_state.pk, [])
        lines.append(line)
    return DeliveryStatus(cycle, lines, others if access.may_review(user) else [])


def _corrections(cycle):
    """{member state id: {corrections_asked, corrections_answered, corrections_open}}: points sent, points the member
    state answered (a message on it), points still open."""
    rows = (ClarificationPoint.objects.filter(assessment__cycle=cycle, sent_at__isnull=False)
            .values("assessment__member_state_id")
            .annotate(corrections_asked=Count("pk", distinct=True),
                      corrections_answered=Count("pk", filter=Q(messages__isnull=False), distinct=True),
                      corrections_open=Count("pk", filter=Q(status__in=OPEN_POINT_STATUSES),
                                             distinct=True)))
    return {row.pop("assessment__member_state_id"): row for row in rows}


def _downloads(cycle):
    """({member state id: [Download]} of its staff, [Download] of reviewers and admins): downloads of the cycle's
    reviews and of its exports, from the audit trail, in one query."""
    reviews = [str(pk) for pk in CoordinatedReview.objects.filter(cycle=cycle).values_list("pk", flat=True)]
    entries = (LogEntry.objects
               .filter(additional_data__event=str(audit.Event.DOWNLOADED),
                       additional_data__what__in=REVIEW_DOWNLOADS, actor__isnull=False)
               .filter(Q(content_type=ContentType.objects.get_for_model(CoordinatedReview), object_pk__in=reviews)
                       | Q(content_type=ContentType.objects.get_for_model(ReportingCycle), object_pk=str(cycle.pk)))
               .values("actor__username", "actor__first_name", "actor__last_name", "actor__authority__name",
                       "actor__authority__member_state_id", "additional_data__what")
               .annotate(count=Count("pk"), last_at=Max("timestamp"))
               .order_by("-last_at"))
    by_member_state, others = defaultdict(list), []
    for row in entries:
        name = " ".join(filter(None, [row["actor__first_name"], row["actor__last_name"]])) or row["actor__username"]
        download = Download(name, row["actor__authority__name"] or "", row["additional_data__what"], row["count"],
                            row["last_at"])
        member_state = row["actor__authority__member_state_id"]
        (by_member_state[member_state] if member_state else others).append(download)
    return by_member_state, others
