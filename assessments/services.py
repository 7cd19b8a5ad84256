"""Workflows of the national assessment. Views, commands and tasks all call these."""

import enum
import hashlib
import json
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from assessments.models import (
    AssessmentVersion,
    Attachment,
    ClarificationMessage,
    ClarificationPoint,
    KeyAssetClass,
    NationalAssessment,
    PointStatus,
    Questionnaire,
    RiskScenario,
    ScopeAnswer,
    Section,
    SectionState,
    Status,
    SupplierRiskCriterion,
    Threat,
    ThreatActor,
    ToolboxMeasure,
    Transition,
    UnsavedInput,
)
from assessments.sections import ANSWER_MODELS, PARTS, SectionForms, missing_answers, snapshot_rows
from portal.lib.mail import send_templated
from portal.models import Role, User


class AssessmentLocked(Exception):
    """The assessment cannot be changed now (submitted, accepted, or its cycle is closed)."""


class SubmissionRefused(Exception):
    def __init__(self, missing):
        super().__init__(_("The assessment is not complete."))
        self.missing = missing


def questionnaire_for(cycle):
    """The cycle's questionnaire; a new cycle asks about the whole reference catalogue."""
    questionnaire, created = Questionnaire.objects.get_or_create(cycle=cycle)
    if created:
        questionnaire.threat_actors.set(ThreatActor.objects.all())
        questionnaire.threats.set(Threat.objects.all())
        questionnaire.asset_classes.set(KeyAssetClass.objects.all())
        questionnaire.criteria.set(SupplierRiskCriterion.objects.all())
        questionnaire.scenarios.set(RiskScenario.objects.all())
        questionnaire.measures.set(ToolboxMeasure.objects.all())
    return questionnaire


def assessment_ensure_rows(assessment, questionnaire):
    """One draft row per catalogue item the cycle asks about (items added later get theirs too)."""
    ScopeAnswer.objects.get_or_create(assessment=assessment, version=None)
    for parts in PARTS.values():
        for part in parts:
            if part.catalogue is None:
                continue
            have = set(part.draft_rows(assessment).values_list(f"{part.item_field}_id", flat=True))
            part.model.objects.bulk_create(
                part.model(assessment=assessment, **{part.item_field: item})
                for item in getattr(questionnaire, part.catalogue).all()
                if item.pk not in have
            )
    SectionState.objects.bulk_create(
        [SectionState(assessment=assessment, section=section) for section in Section],
        ignore_conflicts=True,
    )


def assessment_start(*, cycle, member_state, user):
    """The member state's draft for the cycle, created on first use (one per cycle and member state)."""
    try:
        with transaction.atomic():
            assessment, created = NationalAssessment.objects.get_or_create(
                cycle=cycle, member_state=member_state, defaults={"created_by": user}
            )
            if created:
                assessment_ensure_rows(assessment, questionnaire_for(cycle))
    except IntegrityError:  # a colleague started it at the same moment
        assessment = NationalAssessment.objects.get(cycle=cycle, member_state=member_state)
    return assessment


# Saving a section ---------------------------------------------------------------------------------------------------

class Outcome(enum.Enum):
    SAVED = "saved"
    INVALID = "invalid"
    CONFLICT = "conflict"


@dataclass
class SaveResult:
    outcome: Outcome
    forms: SectionForms
    state: SectionState
    errors: dict = field(default_factory=dict)


def _plain(data):
    return {key: data.getlist(key) for key in data if key not in ("csrfmiddlewaretoken", "_revision")}


def as_query_dict(plain):
    data = QueryDict(mutable=True)
    for key, values in plain.items():
        data.setlist(key, values)
    return data


def section_save(*, assessment, section, data, base_revision, user):
    """Apply a section's input if it is valid and nobody saved the section since `base_revision`.

    Input that is invalid, or that arrives after a colleague's save, is not
    applied but kept as the user's unsaved input, so nothing typed is lost.
    """
    if not assessment.is_editable:
        raise AssessmentLocked
    if not isinstance(data, QueryDict):
        data = as_query_dict({key: value if isinstance(value, list) else [value] for key, value in data.items()})
    questionnaire = assessment.cycle.questionnaire
    forms = SectionForms(section, assessment, questionnaire, data)
    state = SectionState.objects.get(assessment=assessment, section=section)
    if forms.is_valid():
        with transaction.atomic():
            # The conditional UPDATE is the lock: of two saves from the same
            # revision, only the first changes a row; the second sees 0 and stops.
            claimed = SectionState.objects.filter(pk=state.pk, revision=base_revision).update(
                revision=F("revision") + 1, saved_at=timezone.now(), saved_by=user
            )
            if claimed:
                forms.save()
                UnsavedInput.objects.filter(section_state=state, user=user).delete()
                NationalAssessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())
        state.refresh_from_db()
        if claimed:
            return SaveResult(Outcome.SAVED, forms, state)
        outcome = Outcome.CONFLICT
    else:
        outcome = Outcome.CONFLICT if state.revision != base_revision else Outcome.INVALID
    UnsavedInput.objects.update_or_create(
        section_state=state, user=user, defaults={"data": _plain(data), "base_revision": base_revision}
    )
    return SaveResult(outcome, forms, state, forms.errors_by_field_id())


def section_discard_unsaved(*, assessment, section, user):
    UnsavedInput.objects.filter(section_state__assessment=assessment, section_state__section=section,
                                user=user).delete()


# Completeness and submission ----------------------------------------------------------------------------------------

def assessment_missing(assessment):
    """{section: [Missing]} for every section the cycle asks."""
    questionnaire = assessment.cycle.questionnaire
    return {section: missing_answers(section, assessment, questionnaire) for section in questionnaire.sections}


def _transition(assessment, to_status, user, *, version=None, comment=""):
    Transition.objects.create(assessment=assessment, version=version, from_status=assessment.status,
                              to_status=to_status, actor=user, comment=comment)
    assessment.status = to_status
    assessment.save(update_fields=["status", "updated_at"])


def canonical_json(data):
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def submission_deadline(assessment):
    milestone = assessment.cycle.milestones.filter(tracks_submission=True).first()
    return milestone.effective_due_for(assessment.member_state) if milestone else None


@transaction.atomic
def assessment_submit(*, assessment, user, now=None):
    """Freeze the draft into an immutable, hashed version; record whether it was late.

    `now` is for loading historical submissions (the demo); the portal's own views never pass it.
    """
    assessment = NationalAssessment.objects.select_for_update(of=("self",)).select_related("cycle", "member_state").get(
        pk=assessment.pk
    )
    if not assessment.may_submit(user):
        raise AssessmentLocked
    missing = {section: items for section, items in assessment_missing(assessment).items() if items}
    if missing:
        raise SubmissionRefused(missing)
    now = now or timezone.now()
    number = (assessment.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    rows = {part.prefix: list(part.draft_rows(assessment)) for parts in PARTS.values() for part in parts}
    scope = ScopeAnswer.objects.get(assessment=assessment, version__isnull=True)
    attachments = Attachment.objects.filter(assessment=assessment, removed_at__isnull=True)
    snapshot = {
        "member_state": assessment.member_state.eu_code,
        "cycle": assessment.cycle.title,
        "version": number,
        "submitted_at": now.isoformat(),
        "submitted_by": user.get_username(),
        "answers": snapshot_rows(rows, scope),
        "attachments": [{"name": a.name, "sha256": a.sha256, "size": a.size, "content_type": a.content_type}
                        for a in attachments],
    }
    due_at = submission_deadline(assessment)
    version = AssessmentVersion.objects.create(
        assessment=assessment, number=number, snapshot=snapshot,
        sha256=hashlib.sha256(canonical_json(snapshot).encode()).hexdigest(),
        submitted_by=user, submitted_at=now, due_at=due_at, is_late=bool(due_at and now > due_at),
    )
    # The submitted answers stay queryable as rows of their own, for the coordinated review.
    for model in ANSWER_MODELS:
        copies = list(model.objects.filter(assessment=assessment, version__isnull=True))
        for row in copies:
            row.pk, row.version = None, version
        model.objects.bulk_create(copies)
    _transition(assessment, Status.SUBMITTED, user, version=version)
    # The coordinated review of the new inputs is requested in this transaction, built after commit.
    from reporting.services import after_submission

    after_submission(cycle=assessment.cycle)
    return version


def clarification_draft(*, assessment, user, section, item="", field="", message):
    """A reviewer's question on the latest submitted version, kept as a draft until the points are sent."""
    if assessment.status != Status.SUBMITTED:
        raise AssessmentLocked
    return ClarificationPoint.objects.create(
        assessment=assessment, version=assessment.versions.latest(), section=section, item=item, field=field,
        message=message, raised_by=user, status=PointStatus.DRAFT)


@transaction.atomic
def clarifications_send(*, assessment, user, comment=""):
    """Send the draft points: the assessment is returned with only the questioned items marked."""
    assessment = NationalAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Status.SUBMITTED:
        raise AssessmentLocked
    points = list(assessment.clarifications.filter(status=PointStatus.DRAFT))
    if not points:
        return 0
    assessment.clarifications.filter(pk__in=[p.pk for p in points]).update(status=PointStatus.OPEN,
                                                                          sent_at=timezone.now())
    _transition(assessment, Status.RETURNED, user, version=assessment.versions.latest(), comment=comment)
    leads = User.objects.filter(authority__member_state=assessment.member_state, groups__name=Role.LEAD_REPORTER,
                                is_active=True).exclude(email="")
    context = {"assessment": assessment, "points": points, "comment": comment, "reviewer": user}
    transaction.on_commit(lambda: [send_templated("clarification_sent", {**context, "recipient": lead}, lead.email)
                                   for lead in leads])
    return len(points)


def assessment_return(*, assessment, user, points, comment=""):
    """Return the latest version for clarification; `points` are (section, item, message) triples."""
    with transaction.atomic():
        for section, item, message in points:
            clarification_draft(assessment=assessment, user=user, section=section, item=item, message=message)
        clarifications_send(assessment=assessment, user=user, comment=comment)


def clarification_answer(*, point, user, text):
    """The member state answers a point; the reviewer who raised it is told."""
    if point.status not in (PointStatus.OPEN, PointStatus.ANSWERED):
        raise AssessmentLocked
    message = ClarificationMessage.objects.create(point=point, author=user, text=text)
    if user.is_authority_staff:
        ClarificationPoint.objects.filter(pk=point.pk).update(status=PointStatus.ANSWERED)
        reviewer = point.raised_by
        if reviewer.email:
            transaction.on_commit(lambda: send_templated(
                "clarification_answered", {"point": point, "message": message, "recipient": reviewer},
                reviewer.email))
    return message


def clarification_resolve(*, point, user):
    ClarificationPoint.objects.filter(pk=point.pk, status__in=[PointStatus.OPEN, PointStatus.ANSWERED]).update(
        status=PointStatus.RESOLVED, resolved_at=timezone.now())


@transaction.atomic
def assessment_accept(*, assessment, user, comment=""):
    """Accept the latest version; points still open are resolved with it."""
    assessment = NationalAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Status.SUBMITTED:
        raise AssessmentLocked
    version = assessment.versions.latest()
    assessment.clarifications.filter(status__in=[PointStatus.OPEN, PointStatus.ANSWERED]).update(
        status=PointStatus.RESOLVED, resolved_at=timezone.now())
    assessment.clarifications.filter(status=PointStatus.DRAFT).delete()
    _transition(assessment, Status.ACCEPTED, user, version=version, comment=comment)

def section_touch(*, assessment, section, user):
    """A change outside the section's form (a supplier added or removed): colleagues' open pages become stale."""
    if not assessment.is_editable:
        raise AssessmentLocked
    SectionState.objects.filter(assessment=assessment, section=section).update(
        revision=F("revision") + 1, saved_at=timezone.now(), saved_by=user
    )


def attachment_add(*, assessment, upload, user):
    """Store a checked upload under its SHA-256, outside static/, and record it in the draft."""
    if not assessment.is_editable:
        raise AssessmentLocked
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Attachment.objects.create(
        assessment=assessment, file=upload, name=get_valid_filename(upload.name)[:200] or "attachment",
        content_type=upload.detected_type, size=upload.size, sha256=digest.hexdigest(), uploaded_by=user,
    )


def attachment_remove(*, attachment):
    """Take an attachment out of the draft. The file stays: a submitted version may cite it."""
    if not attachment.assessment.is_editable:
        raise AssessmentLocked
    attachment.removed_at = timezone.now()
    attachment.save(update_fields=["removed_at"])


def assessment_summary(assessment):
    """The figures of the confirmation page: what the version about to be frozen holds."""
    from assessments.models import MeasureStatus, ScenarioRating, SupplierPresence

    scenarios = ScenarioRating.objects.filter(assessment=assessment, version__isnull=True).select_related("scenario")
    measures = MeasureStatus.objects.filter(assessment=assessment, version__isnull=True)
    return {
        "scenarios": [(row.scenario, row.get_level_display()) for row in scenarios.order_by("scenario__position")],
        "measures": _count_by(measures, "get_status_display"),
        "suppliers": SupplierPresence.objects.filter(assessment=assessment, version__isnull=True).count(),
        "attachments": Attachment.objects.filter(assessment=assessment, removed_at__isnull=True).count(),
    }


def _count_by(rows, method):
    counts = {}
    for row in rows:
        label = getattr(row, method)() or _("not answered")
        counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items())
