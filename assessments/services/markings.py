"""Handling markings of what a member state shares: its draft's, chosen by its team; each version's, chosen by the
lead reporter at submission and fixed with it. The labels are portal/markings.py's; who reads what they mark is
portal/access.py's."""

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import NationalAssessment
from assessments.sharing import MarkingRefused
from portal import audit, markings
from portal.markings import Marking


def version_mark(*, version, shared_with, user, now):
    """Name the reviewers of a version created with its marking, as it is submitted (never after: a version does
    not change), and put the marking in the audit trail."""
    version.shared_with.set(shared_with)
    audit.record(audit.Event.MARKED, subject=version.assessment, actor=user, assessment=version.assessment, at=now,
                 of="version", version=version.number, marking=version.marking,
                 shared_with=", ".join(sorted(u.get_username() for u in shared_with)) or None)


@transaction.atomic
def draft_marking_change(*, assessment, user, marking):
    """The draft's team changes its marking; the change is in the audit trail. Returns True when it changed."""
    if marking not in Marking.values:
        raise MarkingRefused("marking", _("Choose one of the markings offered."))
    assessment = NationalAssessment.objects.select_for_update().get(pk=assessment.pk)
    before = assessment.marking
    if before == marking:
        return False
    assessment.marking = marking
    assessment.save(update_fields=["marking", "updated_at"])
    audit.record(audit.Event.MARKED, subject=assessment, actor=user, assessment=assessment, of="draft",
                 marking=marking, before=before)
    return True


def part_marked(part, *, within, user, of):
    """An attachment or a clarification thread (`of`) marked stricter than what holds it (`within`: its draft, its
    version) is in the audit trail, with both markings; one marked the same adds nothing to say."""
    if markings.strictest(part.marking, within.marking) == Marking(within.marking):
        return
    assessment = part.assessment
    audit.record(audit.Event.MARKED, subject=assessment, actor=user, assessment=assessment, of=of,
                 marking=part.marking, before=within.marking, part=str(part.name if of == "attachment" else part.pk),
                 version=getattr(within, "number", None))
