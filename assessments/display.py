"""Stored answers as a person reads them: labels of choices, a dash for nothing."""

from assessments.sections import PARTS


def _shown(value):
    if value in (None, "", {}):
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {val}" for key, val in value.items())
    return value


def display(model, name, value):
    """A stored answer as a person reads it: the label of a choice, a dash for nothing."""
    choices = dict(model._meta.get_field(name).flatchoices)
    if isinstance(value, (str, int)) and value != "" and value in choices:
        return str(choices[value])
    return _shown(value)


def snapshot_tables(answers):
    """A version's answers as tables to show: [(section, title, [column labels], [[cells]])], one per part."""
    tables = []
    for section, parts in PARTS.items():
        for part in parts:
            rows = answers.get(part.prefix) or []
            if not rows:
                continue
            labels = [str(part.model._meta.get_field(name).verbose_name).capitalize()
                      for name in part.model.snapshot_fields]
            tables.append((section.value, part.title, labels,
                           [[row["item"]] + [display(part.model, name, row.get(name))
                                             for name in part.model.snapshot_fields]
                            for row in rows]))
    return tables
