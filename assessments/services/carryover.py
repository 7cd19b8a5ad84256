"""Starting a draft from the member state's answers of an earlier cycle, and confirming that they still hold.

The answers travel by stable key (assessments/questionnaire/sections.py: "scenarios.R4.likelihood"), so they are matched
by catalogue code, never by database id, and go through the new cycle's own forms: a value the new questionnaire no
longer asks, or no longer accepts (a likelihood beyond a shorter scale, a criterion dropped), stays behind and is
listed with why. Only the member state's own submitted versions can be a source (`earlier_versions`).
"""

from django.db import transaction
from django.utils import timezone

from assessments.editions import ASKED, Lineage
from assessments.models import (
    AssessmentVersion,
    CarriedAnswer,
    LeftBehind,
    Prefill,
    RevisionKind,
    Section,
    SectionRevision,
    SectionState,
    Settled,
    Supplier,
    SupplierPresence,
)
from assessments.questionnaire.sections import PARTS, SectionForms, split_key, stable_key
from assessments.services.locking import lock_draft


def earlier_versions(member_state, cycle):
    """The member state's last submitted version in each other cycle up to this one's year, newest cycle first:
    what its draft of `cycle` may start from, and what its filers see beside each question."""
    found = {}
    for version in (AssessmentVersion.objects
                    .filter(assessment__member_state=member_state, assessment__cycle__year__lte=cycle.year)
                    .exclude(assessment__cycle=cycle)
                    .select_related("assessment__cycle__questionnaire", "submitted_by")
                    .order_by("-assessment__cycle__year", "-assessment__cycle_id", "-number")):
        found.setdefault(version.assessment.cycle_id, version)
    return list(found.values())


def previous_version(assessment):
    """The version a draft's answers are compared with: the one it started from, else its member state's latest in
    an earlier cycle; None when there is none. Never a draft, never another member state's."""
    prefill = Prefill.objects.filter(assessment=assessment).select_related(
        "source__assessment__cycle__questionnaire").first()
    if prefill is not None:
        return prefill.source
    earlier = earlier_versions(assessment.member_state, assessment.cycle)
    return earlier[0] if earlier else None


def version_forms(version, section):
    """A submitted version's answers of one section, read through the forms of the cycle it was submitted in."""
    return SectionForms(section, None, version.assessment.cycle.questionnaire, version=version)


def catalogue_of(part):
    """The catalogue model of a part whose items come in editions (measures, scenarios), else None."""
    model = part.model._meta.get_field(part.item_field).related_model
    return model if part.catalogue is not None and ASKED.get(model) == part.catalogue else None


def across_editions(section, questionnaire, earlier):
    """{part prefix: {code asked now: [codes `earlier` (a questionnaire) asked it as]}} for the codes asked now
    that `earlier` did not ask under the same code: [] when it asked none of the items they continue
    (assessments/editions.py). Three queries per part with editions, whatever the number of items."""
    found = {}
    for part in PARTS[section]:
        model = catalogue_of(part)
        if model is None:
            continue
        now = set(getattr(questionnaire, part.catalogue).values_list("code", flat=True))
        then = set(getattr(earlier, part.catalogue).values_list("code", flat=True))
        lineage = Lineage(model)
        found[part.prefix] = {code: lineage.matched_in(code, then) for code in now - then}
    return found


def _renamed_keys(old, section, questionnaire, source):
    """(values, moved): the source's values with, besides, those of items the source's cycle asked under an earlier
    code under the code asked now (renamed, or split: each part of it), and the keys they moved from. One merged
    from several does not come along (which of their answers would it be?): those stay behind as no longer asked."""
    moved, moved_from = {}, set()
    for prefix, matched in across_editions(section, questionnaire, source.assessment.cycle.questionnaire).items():
        for code, earlier in matched.items():
            if len(earlier) != 1:
                continue
            for key, value in old.items():
                key_prefix, item, name = split_key(key)
                if key_prefix == prefix and item == earlier[0]:
                    moved[stable_key(prefix, code, name)] = value
                    moved_from.add(key)
    return old | moved, moved_from


def _refused_keys(forms, carried):
    """{stable key: message} of carried values the new cycle's forms refuse: the fields in error, or the whole row
    when the error sits elsewhere (a high risk that now needs a justification nobody wrote)."""
    refused = {}
    for prefix, item, form in forms.answer_forms():
        if not form.errors:
            continue
        in_error = {stable_key(prefix, item, name): messages[0] for name, messages in form.errors.items()}
        found = {key: message for key, message in in_error.items() if key in carried}
        if not found:
            message = next(iter(in_error.values()))
            row = [key for key in carried if split_key(key)[:2] == (prefix, item)]
            found = dict.fromkeys(row, message)
        refused |= found
    return refused


def _prefill_section(assessment, questionnaire, state, source, user):
    """Carry the source's answers of one section into the new draft; its revision 0 records what came."""
    section = Section(state.section)
    old = {key: value for key, value in version_forms(source, section).values().items() if value != ""}
    old, moved_from = _renamed_keys(old, section, questionnaire, source) if section in questionnaire.sections \
        else (old, set())
    if section == Section.SUPPLIERS and section in questionnaire.sections:
        names = {split_key(key)[1] for key in old}
        SupplierPresence.objects.bulk_create(
            [SupplierPresence(assessment=assessment, supplier=supplier)
             for supplier in Supplier.objects.filter(name__in=names)], ignore_conflicts=True)
    asked = SectionForms(section, assessment, questionnaire).values() if section in questionnaire.sections else {}
    carried = {key: value for key, value in old.items() if key in asked}
    left = [{"section": section.value, "key": key, "reason": LeftBehind.NOT_ASKED, "message": ""}
            for key in old if key not in asked and key not in moved_from]
    forms = SectionForms(section, assessment, questionnaire, values=carried)
    while carried and not forms.is_valid():
        refused = _refused_keys(forms, carried) or dict.fromkeys(carried, "")  # unattributable: carry nothing
        left += [{"section": section.value, "key": key, "reason": LeftBehind.REFUSED, "message": str(message)}
                 for key, message in refused.items()]
        carried = {key: value for key, value in carried.items() if key not in refused}
        forms = SectionForms(section, assessment, questionnaire, values=carried)
    if carried:
        forms.save()
    after = forms.values()
    came = {key: value for key, value in after.items() if key in carried and value != ""}
    SectionRevision.objects.create(section_state=state, number=0, kind=RevisionKind.PREFILL, user=user, values=after,
                                   changes={key: ["", value] for key, value in came.items()})
    CarriedAnswer.objects.bulk_create(CarriedAnswer(section_state=state, key=key, item=split_key(key)[1] or "")
                                      for key in came)
    return len(came), left


def assessment_prefill(*, assessment, questionnaire, source, user):
    """Fill a new draft (its rows just made, no revision yet) from `source`. Called by `assessment_start` in the
    transaction that creates the draft; refuses a source that is not one of the member state's earlier versions."""
    if source not in earlier_versions(assessment.member_state, assessment.cycle):
        raise ValueError("a draft starts only from its own member state's earlier versions")
    carried, left = 0, []
    for state in SectionState.objects.filter(assessment=assessment).exclude(section=Section.ATTACHMENTS):
        count, section_left = _prefill_section(assessment, questionnaire, state, source, user)
        carried += count
        left += section_left
    Prefill.objects.create(assessment=assessment, source=source, by=user, carried=carried, left_behind=left)


def carried_settle_edited(state, user, keys):
    """Fields whose value an accepted change just replaced are no longer last cycle's text (called by every write
    of a section's values, under the draft's lock)."""
    if keys:
        CarriedAnswer.objects.unconfirmed().filter(section_state=state, key__in=list(keys)).update(
            settled=Settled.EDITED, settled_by=user, settled_at=timezone.now())


def _confirm(carried, user):
    return carried.unconfirmed().update(settled=Settled.CONFIRMED, settled_by=user, settled_at=timezone.now())


@transaction.atomic
def carried_confirm(*, assessment, user, section, item=None):
    """Someone read the carried-over answers of a section (or of one of its questions: `item`, "" for the scope)
    and says they still hold. Returns how many answers that settled. Refused (AssessmentLocked) once the draft
    cannot be changed."""
    assessment = lock_draft(assessment)
    carried = CarriedAnswer.objects.filter(section_state__assessment=assessment, section_state__section=section)
    if item is not None:
        carried = carried.filter(item=item)
    return _confirm(carried, user)


def unconfirmed_carried(assessment):
    """The carried-over answers nobody has confirmed or edited yet, in the sections the cycle asks: what the submit
    page lists and the lead reporter confirms on submitting."""
    return CarriedAnswer.objects.unconfirmed().filter(
        section_state__assessment=assessment, section_state__section__in=assessment.cycle.questionnaire.sections)


def carried_confirm_all(assessment, user):
    """The lead reporter confirmed, on submitting, every carried-over answer still unconfirmed (under the lock)."""
    return _confirm(CarriedAnswer.objects.filter(section_state__assessment=assessment), user)
