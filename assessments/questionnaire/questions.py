"""Clarification points: which question a reviewer may ask about, which fields that question has, and how a
person names both ("Risk scenarios – R4 Dependency on any single supplier…", "Likelihood"), never by the codes
and field names points are stored with.

A question is a section and, but for the scope, one row of it (its catalogue code, or a supplier's name); its
fields are those of the part the row belongs to (PARTS), which the version snapshot keeps.
"""

from django.utils.text import capfirst

from assessments.models import Section
from assessments.questionnaire.sections import PARTS, SINGLES, item_key, split_key

SCOPE = Section.SCOPE.value
# A section answered in one row is its own question, its prefix its section's code (scope, legislation).
SINGLE_OF_PREFIX = {single.prefix: single for single in SINGLES.values()}
PART_OF_PREFIX = {part.prefix: part for parts in PARTS.values() for part in parts}


def _fields(model):
    return [(name, str(capfirst(model._meta.get_field(name).verbose_name))) for name in model.snapshot_fields]


def part_fields():
    """{part prefix: [(field name, label)]}, the scope's under "scope": the fields a question may be asked about."""
    return {prefix: _fields(single.model) for prefix, single in SINGLE_OF_PREFIX.items()} | {
        part.prefix: _fields(part.model) for parts in PARTS.values() for part in parts}


def part_titles():
    return {prefix: str(single.title) for prefix, single in SINGLE_OF_PREFIX.items()} | {
        part.prefix: str(part.title) for parts in PARTS.values() for part in parts}


def _titles(part, keys):
    """{item key: its title} of the part's catalogue items (or suppliers) named by `keys`, in one query."""
    if not keys:
        return {}
    catalogue = part.model._meta.get_field(part.item_field).related_model
    lookup = {"name__in": keys} if part.catalogue is None else {"code__in": keys}
    return {item_key(item): str(item) for item in catalogue.objects.filter(**lookup)}


def item_titles(answers, also=()):
    """{(section, item key): how a person names the item} for the rows of a version's answers, and for `also`
    ((section, item key) pairs: points asked on another version): one query per catalogue, whatever the rows."""
    titles = {}
    for section, parts in PARTS.items():
        for part in parts:
            keys = {row["item"] for row in answers.get(part.prefix) or []} | {i for s, i in also if s == section}
            titles |= {(section.value, key): title for key, title in _titles(part, keys).items()}
    return titles


def answer_names(keys):
    """{stable key: (question, field)} as a person names them, never by codes: "actors.hacktivist.capability" is
    ("Hacktivists", "Capability"), "scenarios.R4.level" ("R4 Dependency on any single supplier…", "Risk level"),
    "scope.summary" ("Scope and method", "Summary"). An item no catalogue knows keeps its key. One query per
    catalogue named, whatever the number of keys."""
    split = {key: split_key(key) for key in keys}
    wanted = {}
    for prefix, item, _name in split.values():
        if item is not None and prefix in PART_OF_PREFIX:
            wanted.setdefault(prefix, set()).add(item)
    titles = {prefix: _titles(PART_OF_PREFIX[prefix], items) for prefix, items in wanted.items()}
    fields = {prefix: dict(labels) for prefix, labels in part_fields().items()}
    names = {}
    for key, (prefix, item, name) in split.items():
        single = SINGLE_OF_PREFIX.get(prefix)
        question = (str(single.title) if single else prefix) if item is None else titles.get(prefix, {}).get(
            item, item)
        names[key] = (question, fields.get(prefix, {}).get(name, name))
    return names


class Questions:
    """The questions of one version's answers, with the part each belongs to and what a person calls it."""

    def __init__(self, answers, also=()):
        self.titles = item_titles(answers, also)
        self.fields_by_part = part_fields()
        self.part_of = {f"{SCOPE}|": SCOPE}
        self.choices = [(f"{SCOPE}|", str(Section.SCOPE.label))]
        for prefix, single in SINGLE_OF_PREFIX.items():
            if prefix != SCOPE and prefix in answers:  # asked by this version's cycle only
                self.part_of[f"{prefix}|"] = prefix
                self.choices.append((f"{prefix}|", str(single.title)))
        for section, parts in PARTS.items():
            for part in parts:
                for row in answers.get(part.prefix) or []:
                    value = f"{section.value}|{row['item']}"
                    self.part_of[value] = part.prefix
                    self.choices.append((value, self.label(section.value, row["item"])))

    def label(self, section, item):
        """"Risk scenarios – R4 Dependency on any single supplier…"; the section alone for the whole section."""
        section_label = dict(Section.choices).get(section, section)
        if not item:
            return str(section_label)
        return f"{section_label} – {self.titles.get((section, item), item)}"

    def field_choices(self):
        """The fields, grouped by part ([(part title, [(name, label)])]): a page without script shows them all,
        each under its part; the script keeps only the chosen question's."""
        titles = part_titles()
        return [(titles[prefix], fields) for prefix, fields in self.fields_by_part.items()]

    def fields_of(self, question):
        """[(name, label)] of the chosen question; empty for a question the version does not have."""
        return self.fields_by_part.get(self.part_of.get(question), [])


def field_label(section, name):
    """How a person names a point's field: its label in the section's answers (any section's, for a point
    written before fields were checked against their question), the stored name only if no answer has it."""
    prefixes = [section] if section in SINGLE_OF_PREFIX else [part.prefix for part in PARTS.get(section, [])]
    fields = part_fields()
    for prefix in [*prefixes, *fields]:
        label = dict(fields.get(prefix, [])).get(name)
        if label:
            return label
    return name
