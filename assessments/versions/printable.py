"""An assessment as one document: a draft (the filers' preview for sign-off) or a submitted version.

One structure for both, read from answer rows (the draft's, or the copies a version holds), so that the HTML page,
the PDF and the version page say the same thing: every section the cycle asks, each answer by its label (catalogue
items by their titles, choices by their labels, dates and numbers as people write them), never a code or a
field name. Reading is a fixed number of queries however many suppliers or measures there are.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from assessments.models import Attachment, CriterionAnswer, ScopeAnswer, Section, SupplierPresence
from assessments.questionnaire.display import display
from assessments.questionnaire.sections import PARTS, SINGLES, item_key, optional_rows
from assessments.services import unsaved_by_section
from assessments.snapshots import draft_content, rows_digests
from portal import markings


@dataclass
class Row:
    key: str  # the item's stable key (R4, SM03, a supplier's name): what a clarification point names
    label: str  # how a person names it: its title
    cells: list


@dataclass
class Table:
    prefix: str
    title: str
    columns: list
    rows: list
    note: str = ""


@dataclass
class SupplierProfile:
    key: str
    name: str
    risk_profile: str
    justification: str
    criteria: list  # [(criterion label, answer label)]


@dataclass
class Chapter:
    section: Section
    number: int
    tables: list = field(default_factory=list)
    facts: list = field(default_factory=list)  # [(label, value)]: scope and method
    shares: list = field(default_factory=list)  # [Table]: suppliers per network segment
    suppliers: list = field(default_factory=list)  # [SupplierProfile]
    unsaved: list = field(default_factory=list)  # [UnsavedInput]: what is typed but not part of the draft

    @property
    def title(self):
        return self.section.label

    @property
    def anchor(self):
        return f"section-{self.section.value}"

    @property
    def lists_attachments(self):
        return self.section == Section.ATTACHMENTS

    @property
    def lists_suppliers(self):
        return self.section == Section.SUPPLIERS


@dataclass
class Document:
    assessment: object
    version: object  # None for the draft
    chapters: list
    attachments: list  # [{"name", "size", "sha256"}]
    sha256: str  # the version's; for a draft, a digest of its answers and attachments (which draft was signed off)
    printed_at: datetime.datetime
    problem: str = ""  # a version whose stored content is no longer what was submitted: said on every rendering
    certifications: list = field(default_factory=list)  # a version's: who certified its content

    @property
    def is_draft(self):
        return self.version is None

    @property
    def unsaved(self):
        return [unsaved for chapter in self.chapters for unsaved in chapter.unsaved]


def document_of_draft(assessment, reader=None):
    """The working draft as it is saved now, with the input typed that is not part of it, as `reader` is told
    about it (assessments/services/submission.py, `unsaved_by_section`)."""
    content = draft_content(assessment)
    return _document(assessment, None, content.rows, content.scope, content.json["attachments"], content.sha256,
                     unsaved_by_section(assessment, reader))


def document_of_version(version):
    """A submitted version from its own rows; its attachments as its hashed snapshot lists them."""
    rows = {part.prefix: list(part.rows(version=version)) for parts in PARTS.values() for part in parts}
    rows |= optional_rows(version=version)
    scope = ScopeAnswer.objects.filter(version=version).first()
    document = _document(version.assessment, version, rows, scope, version.snapshot.get("attachments") or [],
                         version.sha256, {})
    document.certifications = list(version.certifications.select_related("authority"))
    # The document prints the version's rows: they must still be those recorded at submission (one aggregate per
    # answer table, in the database), as the snapshot must still match the SHA-256 printed on every page.
    if not version.snapshot_intact:
        document.problem = _("This version's stored content no longer matches its SHA-256: it was changed after "
                             "submission, outside the portal. Tell the portal's administrators.")
    elif version.rows_digest and rows_digests([version.pk])[version.pk] != version.rows_digest:
        document.problem = _("This version's stored answers differ from those submitted: they were changed after "
                             "submission, outside the portal. Tell the portal's administrators.")
    return document


def _document(assessment, version, rows, scope, attachments, sha256, unsaved):
    questionnaire = assessment.cycle.questionnaire
    chapters = []
    for number, section in enumerate(questionnaire.sections, start=1):
        chapter = Chapter(section, number, unsaved=unsaved.get(section, []))
        single = SINGLES.get(section)
        row = scope if section == Section.SCOPE else next(iter(rows.get(single.prefix) or []), None) if single else None
        if row is not None:  # a section answered in one row: its facts, question by question
            chapter.facts = [(_label(single.model, name), display(single.model, name, getattr(row, name)))
                             for name in single.model.snapshot_fields]
        for part in PARTS[section]:
            if part.model is SupplierPresence:
                chapter.shares = _segment_tables(rows[part.prefix])
                chapter.suppliers = _profiles(rows[part.prefix], questionnaire.asked_criteria)
            else:
                chapter.tables.append(_table(part, rows[part.prefix], questionnaire))
        chapters.append(chapter)
    return Document(assessment, version, chapters, _with_markings(attachments, assessment, version or assessment),
                    sha256, timezone.now())


def _with_markings(attachments, assessment, holder):
    """The attachments listed (as the snapshot writes them: hashed, never changed) each with the marking it carries
    in `holder`, the draft or the version: the stricter of its own and the holder's. One query."""
    own = dict(Attachment.objects.filter(assessment=assessment, sha256__in=[a["sha256"] for a in attachments])
               .values_list("sha256", "marking"))
    return [{**a, "marking": markings.strictest(own.get(a["sha256"]), holder.marking)} for a in attachments]


def _label(model, name):
    return capfirst(str(model._meta.get_field(name).verbose_name))  # not str.capitalize: "Access/RAN", not "/ran"


def shown(model, name, value):
    """A stored answer as a document prints it: the label of a choice, a date or a number as people write it."""
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(format(value.normalize(), "f"))
    return display(model, name, value)


def _table(part, rows, questionnaire):
    names = part.model.snapshot_fields
    note = ""
    if "likelihood" in names:
        note = _("Likelihood on a scale of 1 to %(l)s, impact on a scale of 1 to %(i)s (highest); the risk level "
                 "follows from the cycle's risk matrix.") % {"l": questionnaire.likelihood_levels,
                                                             "i": questionnaire.impact_levels}
    return Table(part.prefix, str(part.title), [_label(part.model, name) for name in names],
                 [Row(item_key(getattr(row, part.item_field)), str(getattr(row, part.item_field)),
                      [shown(part.model, name, getattr(row, name)) for name in names]) for row in rows], note)


def _segment_tables(rows):
    """Per network segment, the suppliers with a share in it (largest first) and what the listed shares leave."""
    tables = []
    for segment in SupplierPresence.SEGMENTS:
        present = sorted((row for row in rows if getattr(row, segment) is not None),
                         key=lambda row: (-getattr(row, segment), row.supplier.name))
        listed = [Row(item_key(row.supplier), row.supplier.name,
                      [shown(SupplierPresence, segment, getattr(row, segment)),
                       display(SupplierPresence, "risk_profile", row.risk_profile)]) for row in present]
        if present:
            rest = max(Decimal(100) - sum(getattr(row, segment) for row in present), Decimal(0))
            listed.append(Row("", _("Other or unknown"), [shown(SupplierPresence, segment, rest), "—"]))
        tables.append(Table(segment, _label(SupplierPresence, segment),
                            [_label(SupplierPresence, segment), _label(SupplierPresence, "risk_profile")], listed))
    return tables


def _profiles(rows, criteria):
    answers = dict(CriterionAnswer.choices)
    return [SupplierProfile(
        item_key(row.supplier), row.supplier.name, display(SupplierPresence, "risk_profile", row.risk_profile),
        display(SupplierPresence, "justification", row.justification),
        [(f"{c.code}: {c.title}", str(answers.get(row.criteria.get(c.code), row.criteria.get(c.code) or "—")))
         for c in criteria],
    ) for row in rows]
