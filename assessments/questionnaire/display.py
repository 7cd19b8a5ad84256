"""Stored answers as a person reads them: labels of choices, a dash for nothing."""

import functools

from assessments.models import CriterionAnswer


def _shown(value):
    if value in (None, "", {}):
        return "—"
    if isinstance(value, dict):
        # A supplier's risk-profile criteria: {criterion code: CriterionAnswer}.
        answers = dict(CriterionAnswer.choices)
        return ", ".join(f"{key}: {answers.get(val, val)}" for key, val in value.items())
    return value


@functools.cache
def _choices(model, name):
    """{stored value: label} of a field (its labels translated when shown: they are lazy)."""
    return dict(model._meta.get_field(name).flatchoices)


def display(model, name, value):
    """A stored answer as a person reads it: the label of a choice, a dash for nothing."""
    choices = _choices(model, name)
    if isinstance(value, (str, int)) and value != "" and value in choices:
        return str(choices[value])
    return _shown(value)
