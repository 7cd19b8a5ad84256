"""The three-way merge of a section, field by field. Pure: no database, no forms.

A section's values are a flat dict keyed by stable names ("scope.summary", "scenarios.R4.likelihood",
"suppliers.Huawei.share_core"), never by the position of a row on the page. A save names the revision it started
from (the *base*); the section may have moved on since (*theirs*, saved by colleagues); the user sends *mine*.

For each key: a side that left the base value unchanged yields to the other; both sides agreeing is no conflict;
only a key both changed, differently, is a conflict. A key absent from a side (`MISSING`) is a row that side does
not have: a supplier a colleague removed, or one added since the base. A key absent from *mine* is one the user did
not send: it counts as unchanged.
"""

from dataclasses import dataclass, field


class _Missing:
    def __repr__(self):
        return "MISSING"


MISSING = _Missing()


@dataclass
class Merge:
    values: dict  # the merged section (keys whose result is MISSING are left out)
    conflicts: dict = field(default_factory=dict)  # {key: (base, theirs, mine)}
    mine_changed: set = field(default_factory=set)  # keys the user changed from the base

    @property
    def clean(self):
        return not self.conflicts


def merge(base, theirs, mine, *, keep_mine=()):
    """Merge `mine` into `theirs` against `base`; `keep_mine` are keys whose conflict the user settled for theirs."""
    merged, conflicts, changed = {}, {}, set()
    for key in sorted(set(base) | set(theirs) | set(mine)):
        b, t = base.get(key, MISSING), theirs.get(key, MISSING)
        m = mine.get(key, b)
        if m != b:
            changed.add(key)
        if key in keep_mine:
            result = m
        elif m == b:
            result = t
        elif t == b or t == m:
            result = m
        else:
            conflicts[key] = (b, t, m)
            result = t
        if result is not MISSING:
            merged[key] = result
    return Merge(merged, conflicts, changed)
