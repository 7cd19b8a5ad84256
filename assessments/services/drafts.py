"""The working draft: starting it, saving its sections (merged field by field), its history, its suppliers.

Every accepted change of a section becomes a SectionRevision (who, when, the values after it, what changed); a
refused one is kept as the user's UnsavedInput with why. Nothing a filer typed is ever dropped or overwritten
silently: see assessments/filing/merge.py for the rule that decides.
"""

import enum
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.filing.merge import MISSING, merge
from assessments.models import (
    LegislationAnswer,
    NationalAssessment,
    Outdated,
    RefusalReason,
    RevisionKind,
    ScopeAnswer,
    Section,
    SectionRevision,
    SectionState,
    Supplier,
    SupplierPresence,
    UnsavedInput,
)
from assessments.questionnaire.sections import PARTS, SectionForms, split_key
from assessments.services import carryover
from assessments.services.errors import AssessmentLocked
from assessments.services.locking import lock_draft
from assessments.services.questionnaires import questionnaire_for
from portal.lib.text import without_nul


def assessment_ensure_rows(assessment, questionnaire):
    """One draft row per catalogue item the cycle asks about (items added later get theirs too)."""
    ScopeAnswer.objects.get_or_create(assessment=assessment, version=None)
    if questionnaire.asks_legislation:  # only then: other cycles' drafts have no row of a section they do not ask
        LegislationAnswer.objects.get_or_create(assessment=assessment, version=None)
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


def drafts_ensure_rows(*, cycle):
    """Every draft of the cycle gets the rows of what its questionnaire asks now: an admin may ask more after drafts
    began (a measure, the legislation section)."""
    questionnaire = questionnaire_for(cycle)
    for assessment in NationalAssessment.objects.filter(cycle=cycle):
        assessment_ensure_rows(assessment, questionnaire)


def assessment_start(*, cycle, member_state, user, source=None):
    """The member state's draft for the cycle, created on first use (one per cycle and member state), empty or
    from `source`, one of its earlier versions (assessments/services/carryover.py).

    Each section's starting values are its revision 0: the base of the first merge.
    """
    try:
        with transaction.atomic():
            assessment, created = NationalAssessment.objects.get_or_create(
                cycle=cycle, member_state=member_state, defaults={"created_by": user})
            if created:
                questionnaire = questionnaire_for(cycle)
                assessment_ensure_rows(assessment, questionnaire)
                if source is not None:
                    carryover.assessment_prefill(assessment=assessment, questionnaire=questionnaire, source=source,
                                                 user=user)
                    return assessment
                for state in SectionState.objects.filter(assessment=assessment).exclude(
                        section=Section.ATTACHMENTS):
                    values = SectionForms(state.section, assessment, questionnaire).values()
                    SectionRevision.objects.create(section_state=state, number=0, kind=RevisionKind.SAVE,
                                                   user=user, values=values)
    except IntegrityError:  # a colleague started it at the same moment
        assessment = NationalAssessment.objects.get(cycle=cycle, member_state=member_state)
    return assessment


class Outcome(enum.Enum):
    SAVED = "saved"
    PARTIAL = "partial"  # saved, except the fields or rows refused as invalid: kept as the user's unsaved input
    INVALID = "invalid"
    CONFLICT = "conflict"
    LOCKED = "locked"


@dataclass
class SaveResult:
    outcome: Outcome
    forms: SectionForms
    state: SectionState
    errors: dict = field(default_factory=dict)  # {html id: [messages]}, for the page and its autosave
    conflicts: dict = field(default_factory=dict)  # {stable key: (base, theirs, mine)}, canonical values
    changed: bool = False  # a new revision was written (False for a save that changed nothing)
    # Values the user's page does not show yet: colleagues' changes merged in ({stable key: value}).
    current: dict = field(default_factory=dict)
    refused: set = field(default_factory=set)  # stable keys of the user's changes refused as invalid, and kept
    key_errors: dict = field(default_factory=dict)  # {stable key: [messages]}: the errors, as the API names them


def _base_values(state, base_revision, theirs, base=None):
    """The section as the user's page showed it: the values the page says it started from, else the revision it was
    opened at, else unknown ({}: every key counts as changed by both sides, so only identical values merge)."""
    if base is not None:
        return {**theirs, **base}  # keys the page did not send (rows it does not show) count as unchanged
    if base_revision == state.revision:
        return theirs
    revision = SectionRevision.objects.filter(section_state=state, number=base_revision).first()
    return revision.values if revision else {}


def base_values_for(assessment, section, unsaved, theirs, base):
    """The base of a user's unsaved input (`base`: its recorded base values, canonical, or None)."""
    state = SectionState.objects.get(assessment=assessment, section=section)
    return _base_values(state, unsaved.base_revision, theirs, base)


def _keep_unsaved(state, user, mine, base_revision, reason, base=None):
    """A refusal by the lock: everything the page sent is kept, as sent (the section is not read)."""
    UnsavedInput.objects.update_or_create(
        section_state=state, user=user,
        defaults={"data": mine, "base_revision": max(base_revision, 0), "reason": reason, "base": base,
                  "outdated": ""})


def _keep_refused(state, user, kept, base, base_revision, reason, *, sent, theirs):
    """`kept` ({stable key: as typed}, with `base`, the canonical values the user's page showed for them) becomes the
    user's unsaved input in the section, on top of what they kept before in fields this save did not send."""
    earlier = UnsavedInput.objects.filter(section_state=state, user=user).first()
    if earlier is not None:
        rest = {key: value for key, value in earlier.data.items() if key not in sent and key not in kept}
        if rest:
            earlier_base = earlier.base if earlier.base is not None else _base_values(
                state, earlier.base_revision, theirs)
            base = {**{key: earlier_base[key] for key in rest if key in earlier_base}, **base}
            kept = {**rest, **kept}
    if not kept:  # nothing the draft does not hold already
        UnsavedInput.objects.filter(section_state=state, user=user).delete()
        return
    UnsavedInput.objects.update_or_create(
        section_state=state, user=user,
        defaults={"data": kept, "base_revision": max(base_revision, 0), "reason": reason, "base": base,
                  "outdated": ""})


def _settle_sent(state, user, sent):
    """A save of the user's was accepted: their unsaved input in the fields it sent is settled (saved, or sent back
    unchanged: given up). Input in fields it did not send (another tool, another page) stays theirs."""
    earlier = UnsavedInput.objects.filter(section_state=state, user=user).first()
    if earlier is None:
        return
    rest = {key: value for key, value in earlier.data.items() if key not in sent}
    if not rest:
        earlier.delete()
    elif len(rest) < len(earlier.data):
        base = None if earlier.base is None else {key: v for key, v in earlier.base.items() if key not in sent}
        UnsavedInput.objects.filter(pk=earlier.pk).update(data=rest, base=base)  # not a new refusal: `at` stays


def _unit(key):
    """What a refusal refuses and a later save replaces: a field of the scope, a row of the other parts."""
    prefix, item, _name = split_key(key)
    return key if item is None else (prefix, item)


def not_held(data, forms, values):
    """Of kept input `data` ({key: as typed}), what the section's `values` (canonical) do not hold: a field saved
    since with the very value typed is settled, whoever saved it (`forms` read the input as the section does)."""
    typed = forms.canonical(data)
    return {key: value for key, value in data.items() if key not in typed or values.get(key) != typed[key]}


def unsaved_drop_held(assessment):
    """Delete the unsaved input the draft now holds in full (before a submission: nothing in it is news)."""
    inputs = list(UnsavedInput.objects.filter(section_state__assessment=assessment).select_related("section_state"))
    sections = {Section(unsaved.section_state.section) for unsaved in inputs}
    forms = {section: SectionForms(section, assessment, assessment.cycle.questionnaire) for section in sections}
    values = {section: forms[section].values() for section in sections}
    for unsaved in inputs:
        section = Section(unsaved.section_state.section)
        if not not_held(unsaved.data, forms[section], values[section]):
            unsaved.delete()


def _others_after(state, user, changes, after, forms):
    """Colleagues' unsaved input in the section after `user`'s accepted change (`changes`, {key: [old, new]}).

    A field now saved with the very value a colleague typed is settled: nothing of theirs is left to save there
    (`forms` reads what they typed the way the section does; none, after a supplier was added or removed). Input
    whose field or row the change touched was saved over: it stays its author's, but no longer concerns the others.
    """
    touched = {_unit(key) for key in changes}
    for unsaved in UnsavedInput.objects.filter(section_state=state).exclude(user=user):
        data = unsaved.data if forms is None else not_held(unsaved.data, forms, after)
        if not data:
            unsaved.delete()
            continue
        outdated = unsaved.outdated or (Outdated.SAVED_OVER if touched & {_unit(key) for key in data} else "")
        if data != unsaved.data or outdated != unsaved.outdated:
            UnsavedInput.objects.filter(pk=unsaved.pk).update(data=data, outdated=outdated)


def _record(state, user, kind, before, after, forms=None):
    """A new revision: the section's values after the change, and what changed."""
    changes = {key: [before.get(key, ""), after.get(key, "")] for key in sorted(set(before) | set(after))
               if before.get(key, "") != after.get(key, "")}
    number, now = state.revision + 1, timezone.now()
    SectionRevision.objects.create(section_state=state, number=number, kind=kind, user=user, values=after,
                                   changes=changes)
    carryover.carried_settle_edited(state, user, changes)
    _others_after(state, user, changes, after, forms)
    SectionState.objects.filter(pk=state.pk).update(revision=number, saved_at=now, saved_by=user)
    NationalAssessment.objects.filter(pk=state.assessment_id).update(updated_at=now)
    state.revision, state.saved_at, state.saved_by = number, now, user  # as written: under the lock, nobody else


def _rows_for(assessment, section, values):
    """Suppliers kept by the user although a colleague removed them come back as rows, so their values have a home."""
    if section != Section.SUPPLIERS:
        return
    wanted = {split_key(key)[1] for key in values if split_key(key)[0] == "suppliers"}
    have = set(SupplierPresence.objects.filter(assessment=assessment, version__isnull=True)
               .values_list("supplier__name", flat=True))
    for supplier in Supplier.objects.filter(name__in=wanted - have):
        SupplierPresence.objects.create(assessment=assessment, supplier=supplier)


def _not_held(mine, keys, typed, theirs):
    """{key: as typed} of `keys` whose typed value the section does not hold: what a refusal keeps."""
    return {key: mine[key] for key in keys if key in mine and typed.get(key) != theirs.get(key, MISSING)}


def _changing(values, theirs):
    """{(part prefix, item)} of the rows `values` change: what an autosave validates."""
    return {split_key(key)[:2] for key, value in values.items() if theirs.get(key, MISSING) != value}


def _the_rest(section, assessment, questionnaire, merged, refused, theirs, whole):
    """The forms of the merged section without the `refused` changes (those keys as saved), when they validate."""
    rest = {key: value for key, value in merged.items() if key not in refused}
    rest |= {key: theirs[key] for key in refused if key in theirs}
    # Rows read again: validating the merged forms wrote the refused values into the rows they were given.
    forms = SectionForms(section, assessment, questionnaire, values=rest,
                         only=None if whole else _changing(rest, theirs))
    return forms if forms.is_valid() else None


@transaction.atomic
def section_save(*, assessment, section, mine, base_revision, user, base=None, kind=RevisionKind.SAVE,
                 keep_mine=(), whole=True):
    """Merge `mine` (what the user typed, by stable key) into the section, field by field.

    The base is what the user's page showed: `base` (the values it started from, by stable key) when the page sent
    them, else the revision it was opened at. Saved when the merge is clean and the merged section valid. When it is
    not valid, the rows (the scope's fields; a segment's shares) whose errors name the user's changes are refused
    and the rest is saved (PARTIAL), if the rest is valid; else nothing is applied. A conflict or a lock applies
    nothing. What is refused is kept as the user's unsaved input with why (conflict, invalid, locked).

    `whole=False` (an autosave of a few fields) validates only the rows the save changes, where the section's
    rules hold row by row; the explicit Save, the workbook and submitting check the whole section.
    """
    mine = {key: without_nul(value) for key, value in mine.items()}
    base = {key: without_nul(value) for key, value in base.items()} if base is not None else None
    try:
        assessment = lock_draft(assessment)
    except AssessmentLocked:
        # The row lock was not needed to know it: keep what was typed, outside the refused change.
        state = SectionState.objects.get(assessment=assessment, section=section)
        _keep_unsaved(state, user, mine, base_revision, RefusalReason.LOCKED, base)
        return SaveResult(Outcome.LOCKED, None, state)
    state = SectionState.objects.get(assessment=assessment, section=section)  # read under the lock
    questionnaire = assessment.cycle.questionnaire
    current = SectionForms(section, assessment, questionnaire)
    theirs = current.values()  # read under the lock: nobody changes the section until this commits
    typed = current.canonical(mine)
    base_values = _base_values(state, base_revision, theirs, current.canonical(base) if base is not None else None)
    result = merge(base_values, theirs, typed, keep_mine=set(keep_mine))

    def keep(keys, reason, revision):
        kept = _not_held(mine, keys, typed, theirs)
        _keep_refused(state, user, kept, {key: base_values[key] for key in kept if key in base_values}, revision,
                      reason, sent=set(typed), theirs=theirs)

    if result.conflicts:
        keep(result.mine_changed | set(keep_mine), RefusalReason.CONFLICT, base_revision)
        return SaveResult(Outcome.CONFLICT, current, state, conflicts=result.conflicts)
    # What the page would show after this save, if nothing else had changed: to tell it what did.
    shown = {**base_values, **typed}
    if result.values == theirs:
        _settle_sent(state, user, set(typed))
        # no revision: nothing new
        return SaveResult(Outcome.SAVED, current, state, current=_news(state, base_revision, shown, theirs, typed))
    _rows_for(assessment, section, result.values)
    rows = current.rows if section != Section.SUPPLIERS else None  # suppliers may have gained a row just above
    forms = SectionForms(section, assessment, questionnaire, values=result.values, rows=rows,
                         only=None if whole else _changing(result.values, theirs))
    refused, errors, key_errors = set(), {}, {}
    if not forms.is_valid():
        changes = {key for key, value in result.values.items() if theirs.get(key, MISSING) != value}
        refused = forms.refused(changes)
        valid = _the_rest(section, assessment, questionnaire, result.values, refused, theirs, whole) \
            if refused and refused != changes else None
        if valid is None:
            if refused == changes:  # every change refused by its own errors: only those are said
                forms.keep_errors_of(refused)
            keep(changes, RefusalReason.INVALID, base_revision)
            return SaveResult(Outcome.INVALID, forms, state, errors=forms.errors_by_field_id(),
                              key_errors=forms.errors_by_key(), refused=changes)
        forms.keep_errors_of(refused)
        errors, key_errors, forms = forms.errors_by_field_id(), forms.errors_by_key(), valid
    forms.save()
    after = forms.values() if whole else {**theirs, **forms.values()}
    merged_in = kind == RevisionKind.SAVE and theirs != base_values
    _record(state, user, RevisionKind.MERGE if merged_in else kind, theirs, after, current)
    news = _news(state, base_revision, shown, after, typed)
    if not refused:
        _settle_sent(state, user, set(typed))
        return SaveResult(Outcome.SAVED, forms, state, changed=True, current=news)
    # Kept from the revision just written: a page showing it again starts from the user's own saved part, so their
    # next save never conflicts with it.
    keep(refused, RefusalReason.INVALID, state.revision)
    return SaveResult(Outcome.PARTIAL, forms, state, errors=errors, changed=True, refused=refused,
                      key_errors=key_errors, current={key: v for key, v in news.items() if key not in refused})


def _news(state, base_revision, shown, now, typed):
    """{key: value} of the section now that the user's page does not show: values that differ from what it sent,
    and the fields colleagues changed since the revision the page last had (a page that sends only the fields it
    changed says nothing of the others)."""
    news = {key: value for key, value in now.items() if shown.get(key, value) != value}
    if base_revision >= 0:
        for changes in SectionRevision.objects.filter(section_state=state, number__gt=base_revision).values_list(
                "changes", flat=True):
            news |= {key: now[key] for key in changes if key in now and key not in typed}
    return news


def conflicting_savers(*, unsaved, keys):
    """Who saved the changes that conflict with `unsaved` (in `keys`), after the revision it started from, and when
    the last of them did: ([users], datetime or None). Never its author: their own saves elsewhere are not a
    colleague's."""
    savers, last = [], None
    for revision in (SectionRevision.objects.filter(section_state=unsaved.section_state_id,
                                                    number__gt=unsaved.base_revision)
                     .exclude(user=unsaved.user_id).select_related("user").order_by("number")):
        if keys & set(revision.changes):
            if revision.user is not None and revision.user not in savers:
                savers.append(revision.user)
            last = revision.at
    return savers, last


def section_discard_unsaved(*, assessment, section, user):
    UnsavedInput.objects.filter(section_state__assessment=assessment, section_state__section=section,
                                user=user).delete()


def conflict_resolve(*, assessment, section, user, choices):
    """The user settled each conflicting field: `choices` is {stable key: "mine" or "theirs"}.

    Their other changes merge as usual; a colleague's newer change to a settled field is a new conflict.
    """
    unsaved = UnsavedInput.objects.get(section_state__assessment=assessment, section_state__section=section,
                                       user=user)
    mine = dict(unsaved.data)
    theirs = SectionForms(section, assessment, assessment.cycle.questionnaire).values()
    for key, choice in choices.items():
        if choice == "theirs":
            if theirs.get(key, MISSING) is MISSING:
                mine.pop(key, None)
            else:
                mine[key] = theirs[key]
    keep = {key for key, choice in choices.items() if choice == "mine"}
    return section_save(assessment=assessment, section=section, mine=mine, base_revision=unsaved.base_revision,
                        base=unsaved.base, user=user, kind=RevisionKind.RESOLVE, keep_mine=keep)


def section_restore(*, assessment, section, user, revision_number, key):
    """Bring back the value a field had before `revision_number` changed it, as a new save (history keeps both)."""
    state = SectionState.objects.get(assessment=assessment, section=section)
    revision = SectionRevision.objects.get(section_state=state, number=revision_number)
    old, _new = revision.changes[key]
    return section_save(assessment=assessment, section=section, mine={key: old}, base_revision=state.revision,
                        user=user, kind=RevisionKind.RESTORE)


def _values(assessment, section):
    return SectionForms(section, assessment, assessment.cycle.questionnaire).values()


@transaction.atomic
def supplier_add(*, assessment, supplier, user):
    """List a supplier in the draft; returns False when it was listed already."""
    assessment = lock_draft(assessment)
    state = SectionState.objects.get(assessment=assessment, section=Section.SUPPLIERS)
    before = _values(assessment, Section.SUPPLIERS)
    _row, created = SupplierPresence.objects.get_or_create(assessment=assessment, version=None, supplier=supplier)
    if created:
        _record(state, user, RevisionKind.SUPPLIER_ADDED, before, _values(assessment, Section.SUPPLIERS))
    return created


@transaction.atomic
def supplier_remove(*, assessment, row, user):
    """Take a supplier out of the draft; its values stay in the section's history, and can be restored."""
    assessment = lock_draft(assessment)
    state = SectionState.objects.get(assessment=assessment, section=Section.SUPPLIERS)
    before = _values(assessment, Section.SUPPLIERS)
    SupplierPresence.objects.filter(pk=row.pk, assessment=assessment, version__isnull=True).delete()
    _record(state, user, RevisionKind.SUPPLIER_REMOVED, before, _values(assessment, Section.SUPPLIERS))
