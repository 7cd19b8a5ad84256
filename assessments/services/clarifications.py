"""Clarification per question: reviewers ask and resolve, the member state answers."""

from django.db import transaction
from django.utils import timezone

from assessments.models import ClarificationMessage, ClarificationPoint, PointStatus, Status
from assessments.services.errors import AssessmentLocked
from assessments.services.markings import part_marked
from assessments.services.submission import locked_for_review, transition
from assessments.sharing import thread_marking_check
from portal.lib.mail import send_templated
from portal.markings import marking_of
from portal.models import Role, User


def clarification_draft(*, assessment, user, section, item="", field="", message, now=None, marking=None):
    """A reviewer's question on the latest submitted version, kept as a draft until the points are sent. `marking`
    is the thread's (the version's when not given, never less strict; TLP:RED only by a reviewer the version names:
    else MarkingRefused); its replies carry it."""
    if not assessment.is_submitted:
        raise AssessmentLocked
    version = assessment.versions.latest()
    marking = thread_marking_check(marking or version.marking, version, user)
    point = ClarificationPoint.objects.create(
        assessment=assessment, version=version, section=section, item=item, field=field,
        message=message, raised_by=user, status=PointStatus.DRAFT, raised_at=now or timezone.now(), marking=marking)
    part_marked(point, within=version, user=user, of="thread")
    return point


def clarification_withdraw(*, point):
    ClarificationPoint.objects.filter(pk=point.pk, status=PointStatus.DRAFT).delete()


@transaction.atomic
def clarifications_send(*, assessment, user, comment="", now=None):
    """Send the draft points: the assessment is returned with only the questioned items marked."""
    now = now or timezone.now()
    assessment = locked_for_review(assessment)
    points = list(assessment.clarifications.filter(status=PointStatus.DRAFT).select_related("version"))
    if not points:
        return 0
    assessment.clarifications.filter(pk__in=[p.pk for p in points]).update(status=PointStatus.OPEN, sent_at=now)
    transition(assessment, Status.RETURNED, user, version=assessment.versions.latest(), comment=comment, now=now)
    leads = User.objects.filter(authority__member_state=assessment.member_state, groups__name=Role.LEAD_REPORTER,
                                is_active=True).exclude(email="")
    # The mail quotes the points, asked on the version: it carries the version's marking.
    context = {"assessment": assessment, "points": points, "comment": comment, "reviewer": user,
               "marking": marking_of([point.version for point in points])}
    transaction.on_commit(lambda: [send_templated("clarification_sent", {**context, "recipient": lead}, lead.email)
                                   for lead in leads])
    return len(points)


def assessment_return(*, assessment, user, points, comment="", now=None):
    """Return the latest version for clarification; `points` are (section, item, message) triples. `now` is for the
    demo's history: the points are raised and sent, and the assessment returned, at that time."""
    with transaction.atomic():
        assessment = locked_for_review(assessment)
        for section, item, message in points:
            clarification_draft(assessment=assessment, user=user, section=section, item=item, message=message,
                                now=now)
        clarifications_send(assessment=assessment, user=user, comment=comment, now=now)


def clarification_answer(*, point, user, text):
    """The member state answers a point; the reviewer who raised it is told."""
    if not point.is_open:
        raise AssessmentLocked
    message = ClarificationMessage.objects.create(point=point, author=user, text=text)
    if user.is_authority_staff:
        ClarificationPoint.objects.filter(pk=point.pk).update(status=PointStatus.ANSWERED)
        reviewer = point.raised_by
        if reviewer.email:
            transaction.on_commit(lambda: send_templated(
                "clarification_answered", {"point": point, "message": message, "recipient": reviewer,
                                           "marking": marking_of(point.version)},  # it quotes the answer
                reviewer.email))
    return message


def clarification_resolve(*, point, user):
    ClarificationPoint.objects.filter(pk=point.pk, status__in=[PointStatus.OPEN, PointStatus.ANSWERED]).update(
        status=PointStatus.RESOLVED, resolved_at=timezone.now())
