"""The working draft: starting it, saving its sections, its suppliers."""

import enum
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone

from assessments.models import NationalAssessment, ScopeAnswer, Section, SectionState, SupplierPresence, UnsavedInput
from assessments.sections import PARTS, SectionForms
from assessments.services.locking import lock_draft
from assessments.services.questionnaires import questionnaire_for


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
        [SectionState(assessment=assessment, section=section) for section in Section], ignore_conflicts=True)


def assessment_start(*, cycle, member_state, user):
    """The member state's draft for the cycle, created on first use (one per cycle and member state)."""
    try:
        with transaction.atomic():
            assessment, created = NationalAssessment.objects.get_or_create(
                cycle=cycle, member_state=member_state, defaults={"created_by": user})
            if created:
                assessment_ensure_rows(assessment, questionnaire_for(cycle))
    except IntegrityError:  # a colleague started it at the same moment
        assessment = NationalAssessment.objects.get(cycle=cycle, member_state=member_state)
    return assessment


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
        data.setlist(key, values if isinstance(values, list) else [values])
    return data


@transaction.atomic
def section_save(*, assessment, section, data, base_revision, user):
    """Apply a section's input if it is valid and nobody saved the section since `base_revision`.

    Input that is invalid, or that arrives after a colleague's save, is not
    applied but kept as the user's unsaved input, so nothing typed is lost.
    """
    assessment = lock_draft(assessment)
    if not isinstance(data, QueryDict):
        data = as_query_dict(data)
    forms = SectionForms(section, assessment, assessment.cycle.questionnaire, data)
    state = SectionState.objects.get(assessment=assessment, section=section)
    if forms.is_valid() and state.revision == base_revision:
        forms.save()
        SectionState.objects.filter(pk=state.pk).update(revision=F("revision") + 1, saved_at=timezone.now(),
                                                        saved_by=user)
        UnsavedInput.objects.filter(section_state=state, user=user).delete()
        NationalAssessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())
        state.refresh_from_db()
        return SaveResult(Outcome.SAVED, forms, state)
    outcome = Outcome.CONFLICT if state.revision != base_revision else Outcome.INVALID
    UnsavedInput.objects.update_or_create(
        section_state=state, user=user, defaults={"data": _plain(data), "base_revision": base_revision})
    return SaveResult(outcome, forms, state, forms.errors_by_field_id())


def section_discard_unsaved(*, assessment, section, user):
    UnsavedInput.objects.filter(section_state__assessment=assessment, section_state__section=section,
                                user=user).delete()


def _touch(assessment, section, user):
    """A change outside the section's form (a supplier added or removed): colleagues' open pages become stale."""
    SectionState.objects.filter(assessment=assessment, section=section).update(
        revision=F("revision") + 1, saved_at=timezone.now(), saved_by=user)


@transaction.atomic
def supplier_add(*, assessment, supplier, user):
    """List a supplier in the draft; returns False when it was listed already."""
    assessment = lock_draft(assessment)
    _row, created = SupplierPresence.objects.get_or_create(assessment=assessment, version=None, supplier=supplier)
    if created:
        _touch(assessment, Section.SUPPLIERS, user)
    return created


@transaction.atomic
def supplier_remove(*, assessment, row, user):
    assessment = lock_draft(assessment)
    SupplierPresence.objects.filter(pk=row.pk, assessment=assessment, version__isnull=True).delete()
    _touch(assessment, Section.SUPPLIERS, user)
