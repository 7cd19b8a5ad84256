"""Completeness, submitting, and a reviewer's return and acceptance."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.models import (
    AssessmentVersion,
    AssessmentVersionAttachment,
    Attachment,
    Certification,
    MeasureStatus,
    NationalAssessment,
    Outdated,
    PhaseOutEntry,
    PointStatus,
    ScenarioRating,
    ScopeAnswer,
    Section,
    Status,
    SupplierPresence,
    Transition,
    UnsavedInput,
)
from assessments.questionnaire.sections import PARTS, missing_answers
from assessments.services.carryover import carried_confirm_all, unconfirmed_carried
from assessments.services.drafts import unsaved_drop_held
from assessments.services.errors import (
    CARRIED,
    CERTIFY,
    UNSAVED,
    AssessmentLocked,
    CertificationWaiting,
    ConfirmationMissing,
    SubmissionRefused,
)
from assessments.services.locking import lock_draft
from assessments.services.markings import version_mark
from assessments.sharing import version_marking_check
from assessments.signals import assessment_submitted
from assessments.snapshots import draft_content, rows_digests
from portal import audit
from portal.markings import Marking
from portal.models import Role

# Each change of status is an event of the audit trail (portal/audit.py).
EVENT_OF_STATUS = {Status.SUBMITTED: audit.Event.SUBMITTED, Status.RETURNED: audit.Event.RETURNED,
                   Status.ACCEPTED: audit.Event.ACCEPTED}


def assessment_missing(assessment):
    """{section: [Missing]} for every section the cycle asks."""
    questionnaire = assessment.cycle.questionnaire
    return {section: missing_answers(section, assessment, questionnaire) for section in questionnaire.sections}


def unsaved_by_section(assessment, viewer=None):
    """{section: [UnsavedInput]}: input typed that is not part of the draft (refused, or not yet saved), as `viewer`
    is told about it: their own, and colleagues' still current (`UnsavedInput.objects.noticed_by`)."""
    found = {}
    for unsaved in (UnsavedInput.objects.filter(section_state__assessment=assessment).noticed_by(viewer)
                    .select_related("user", "section_state").order_by("section_state__section", "at")):
        found.setdefault(Section(unsaved.section_state.section), []).append(unsaved)
    return found


def confirmations_needed(assessment, user, *, confirm_unsaved=False, confirm_carried=False, certify=False):
    """What the lead reporter must still confirm to submit: CERTIFY always (the statement that the assessment is
    complete and accurate), UNSAVED when input is kept out of the draft (refused, or never saved) that the submit page
    shows `user`, CARRIED when carried-over answers are unconfirmed; less what `certify` and `confirm_*` say was
    confirmed."""
    needed = set() if certify else {CERTIFY}
    if not confirm_unsaved and unsaved_by_section(assessment, user):
        needed.add(UNSAVED)
    if not confirm_carried and unconfirmed_carried(assessment).exists():
        needed.add(CARRIED)
    return needed


def transition(assessment, to_status, user, *, version=None, comment="", now=None):
    """Change the status, kept as a Transition and an audit event, both at `now` (the present unless given)."""
    now = now or timezone.now()
    Transition.objects.create(assessment=assessment, version=version, from_status=assessment.status,
                              to_status=to_status, actor=user, comment=comment, at=now)
    assessment.status = to_status
    assessment.save(update_fields=["status", "updated_at"])
    if to_status in EVENT_OF_STATUS:
        audit.record(EVENT_OF_STATUS[to_status], subject=assessment, actor=user, assessment=assessment, at=now,
                     version=version.number if version is not None else None)


def certification_statement():
    """What a certifier states, in the language they read it in (kept with the certification as they read it)."""
    return _("I certify that this national assessment is complete and accurate to the best of my authority's "
             "knowledge.")


def _certify(assessment, user, content_sha256, now):
    """(`user`'s certification of the content named by `content_sha256`, whether this call made it): made once, a
    second click finds the first."""
    return Certification.objects.waiting().get_or_create(
        assessment=assessment, content_sha256=content_sha256, certifier=user,
        defaults={"name": user.display_name, "role": Role.LEAD_REPORTER, "authority_id": user.authority_id,
                  "statement": certification_statement(), "language": translation.get_language() or "en",
                  "at": now})


def certifications_counted(assessment, content_sha256):
    """The certifications waiting on the draft that name its content as it is now: the ones a submission counts."""
    return list(assessment.certifications.waiting().of_content(content_sha256).select_related("authority"))


def assessment_submit(*, assessment, user, certify=False, now=None, confirm_unsaved=False, confirm_carried=False,
                      marking=None, shared_with=()):
    """Freeze the draft into an immutable, hashed version; or, where the cycle asks two certifiers and this is the
    first, record `user`'s certification and raise CertificationWaiting (after it is committed).

    Every precondition is checked here, under the assessment's row lock, whoever calls (the page, the API, a
    command): the user is a lead reporter of its member state and the draft is editable (else AssessmentLocked),
    every answer is given (else SubmissionRefused), and the lead reporter confirmed what there is to confirm (else
    ConfirmationMissing): `certify`, the statement that the assessment is complete and accurate (always);
    `confirm_unsaved`, that input kept out of the draft will not be part of the version; `confirm_carried`, that
    the answers carried over from an earlier cycle, and not confirmed since, still hold. `marking` is the version's
    handling marking (the draft's when not given); TLP:RED names the reviewers it is `shared_with` (else
    MarkingRefused).

    The draft rows are read once: the snapshot is built from that read and the version's rows are copies of the
    same objects, so what is hashed is what the review counts. `now` is for loading historical submissions (the
    demo); the portal's own views never pass it.
    """
    with transaction.atomic():
        version, certification = _submit(assessment, user, certify=certify, now=now or timezone.now(),
                                         confirm_unsaved=confirm_unsaved, confirm_carried=confirm_carried,
                                         marking=marking, shared_with=shared_with)
    if version is None:
        raise CertificationWaiting(certification)
    return version


def _submit(assessment, user, *, certify, now, confirm_unsaved, confirm_carried, marking, shared_with):
    """(version, None) when the draft became a version; (None, the certification) when it waits for a second."""
    assessment = lock_draft(assessment)
    if not assessment.may_submit(user):
        raise AssessmentLocked
    missing = {section: items for section, items in assessment_missing(assessment).items() if items}
    if missing:
        raise SubmissionRefused(missing)
    needed = confirmations_needed(assessment, user, confirm_unsaved=confirm_unsaved, confirm_carried=confirm_carried,
                                  certify=certify)
    if needed:
        raise ConfirmationMissing(needed)
    marking = marking or assessment.marking
    content = draft_content(assessment)
    shared_with = version_marking_check(marking, shared_with,
                                        holds_red=any(a.marking == Marking.RED for a in content.attachments))
    mine, made = _certify(assessment, user, content.sha256, now)
    certifications = certifications_counted(assessment, content.sha256)
    if len({c.certifier_id for c in certifications}) < assessment.cycle.certifiers_required:
        if made:
            audit.record(audit.Event.CERTIFIED, subject=assessment, actor=user, assessment=assessment, at=now,
                         sha256=content.sha256)
        return None, mine
    if confirm_carried:
        carried_confirm_all(assessment, user)
    version = _freeze(assessment, user, content, certifications, now=now, marking=marking)
    version_mark(version=version, shared_with=shared_with, user=user, now=now)
    # The lead confirmed that the input kept unsaved is not part of the version: what the draft holds anyway goes; the
    # rest, from now on, only its author is told about (until they save or discard it), and a version 2 does not
    # inherit version 1's notices.
    unsaved_drop_held(assessment)
    UnsavedInput.objects.filter(section_state__assessment=assessment, outdated="").update(
        outdated=Outdated.SUBMITTED)
    transition(assessment, Status.SUBMITTED, user, version=version, now=now)
    assessment_submitted.send(sender=NationalAssessment, assessment=assessment, version=version)
    return version, None


def _freeze(assessment, user, content, certifications, *, now, marking):
    """The version: its snapshot (the content, and who certified it) hashed, the draft's rows copied to it, the
    certifications bound to it and the others, of earlier content, gone (the audit trail keeps them)."""
    number = (assessment.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    snapshot = {
        "member_state": assessment.member_state.eu_code,
        "cycle": assessment.cycle.title,
        "version": number,
        "submitted_at": now.isoformat(),
        "submitted_by": user.get_username(),
        **content.json,
        "content_sha256": content.sha256,
        "certified_by": [c.as_json() for c in certifications],
    }
    version = AssessmentVersion.objects.create(assessment=assessment, number=number, snapshot=snapshot,
                                               sha256=AssessmentVersion.digest(snapshot), submitted_by=user,
                                               submitted_at=now, marking=marking)
    scope = [content.scope] if content.scope else []
    for model, copies in [(ScopeAnswer, scope), *((part.model, content.rows[part.prefix])
                                                  for parts in PARTS.values() for part in parts),
                          *((single.model, found) for single, found in content.singles.items())]:
        for row in copies:
            row.pk, row.version = None, version
        model.objects.bulk_create(copies)
    for row in content.phase_out or []:
        row.pk, row.version = None, version
    PhaseOutEntry.objects.bulk_create(content.phase_out or [])
    AssessmentVersionAttachment.objects.bulk_create(
        AssessmentVersionAttachment(version=version, attachment=a) for a in content.attachments)
    version.rows_digest = rows_digests([version.pk])[version.pk]
    version.save(update_fields=["rows_digest"])
    Certification.objects.filter(pk__in=[c.pk for c in certifications]).update(version=version)
    assessment.certifications.waiting().delete()
    return version


def locked_for_review(assessment):
    """The assessment under a row lock, refused unless it awaits review."""
    assessment = NationalAssessment.objects.select_for_update(of=("self",)).select_related(
        "cycle", "member_state").get(pk=assessment.pk)
    if not assessment.is_submitted:
        raise AssessmentLocked
    return assessment


@transaction.atomic
def assessment_accept(*, assessment, user, comment="", now=None):
    """Accept the latest version; points still open are resolved with it. `now` is for the demo's history."""
    now = now or timezone.now()
    assessment = locked_for_review(assessment)
    version = assessment.versions.latest()
    assessment.clarifications.still_open().update(status=PointStatus.RESOLVED, resolved_at=now)
    assessment.clarifications.filter(status=PointStatus.DRAFT).delete()
    transition(assessment, Status.ACCEPTED, user, version=version, comment=comment, now=now)


def assessment_summary(assessment):
    """The figures of the confirmation page: what the version about to be frozen holds."""
    scenarios = ScenarioRating.objects.filter(assessment=assessment, version__isnull=True).select_related("scenario")
    measures = MeasureStatus.objects.filter(assessment=assessment, version__isnull=True)
    return {
        "scenarios": [(row.scenario, row.get_level_display()) for row in scenarios.order_by("scenario__position")],
        "measures": _count_by(measures, "get_status_display"),
        "suppliers": SupplierPresence.objects.filter(assessment=assessment, version__isnull=True).count(),
        "attachments": Attachment.objects.filter(assessment=assessment).in_draft().count(),
        "phase_out": (PhaseOutEntry.objects.filter(assessment=assessment, version__isnull=True).count()
                      if assessment.cycle.questionnaire.asks_phase_out else None),
    }


def _count_by(rows, method):
    counts = {}
    for row in rows:
        label = getattr(row, method)() or _("not answered")
        counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items())
