"""A segment's listed market shares add up to at most 100%: the rule, in one place.

The suppliers' forms apply it across every row of the section on each save, whatever sent it (the page and its
autosave, the workbook, the API, answers carried over from an earlier cycle: all go through `section_save` or the
same forms); the completeness check applies it to the saved draft before a submission
(assessments/questionnaire/sections.py); and the review flags versions submitted before it held everywhere and leaves
their segment out of its figures (reporting/aggregate.py), with `exceeds_whole`.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from assessments.models import SupplierPresence

SEGMENTS = SupplierPresence.SEGMENTS
WHOLE = Decimal(100)
# The code of the error the rule puts beside each share it names: a save refuses only the changed shares it names,
# not their whole rows (assessments/questionnaire/sections.py, `SectionForms.refused`).
OVERRUN = "segment_overrun"


def exceeds_whole(total):
    """Whether the listed shares of a segment, added up exactly (a Decimal), describe more than the whole market."""
    return total is not None and total > WHOLE


def overruns(rows):
    """[(segment, total)] of the segments whose shares add up to more than 100%, in the questionnaire's order.

    `rows` are mappings {segment: share or None}: a form's cleaned data, or a row's saved values.
    """
    totals = {segment: Decimal(0) for segment in SEGMENTS}
    for row in rows:
        for segment in SEGMENTS:
            totals[segment] += row.get(segment) or 0
    return [(segment, total) for segment, total in totals.items() if exceeds_whole(total)]


def plain(total):
    """150, 100.5: a total as a person writes it, without trailing zeros."""
    return format(Decimal(total).normalize(), "f")


def overrun_message(segment, total):
    """What a filer reads beside each share of the segment: which segment, and what total."""
    label = SupplierPresence._meta.get_field(segment).verbose_name
    return _("The %(segment)s of all suppliers adds up to %(total)s%%; it cannot exceed 100%%.") % {
        "segment": label, "total": plain(total)}
