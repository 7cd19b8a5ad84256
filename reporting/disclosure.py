"""Disclosure control of a published review: which of its figures member states' staff must not see, and why.

Pure functions over named cells; reporting/tables.py says, for each figure of a table, how many member states are
behind it (a count of k member states: those k; a supplier's mean share: the member states where it has a share; a
cell of a distribution: the member states in that cell) and which figures are bound by a sum (a `Group`: a
distribution and its n, a segment's mean described share and its suppliers' mean shares). Then:

1. primary: a figure with fewer than k member states behind it, and more than none, is hidden (zeros may be shown);
2. a group over fewer than k member states altogether (its total) is hidden whole, zeros included: its zeros and the
   fact that the hidden cells are not zero would give the answers away;
3. secondary: where a group has a hidden cell, it never has only one (the total minus the rest would give it), and
   its hidden cells stand together for at least k member states, and for more than their number (a hidden count is
   known not to be 0, zeros being shown, so a sum equal to their number would make each 1): the group's smallest
   other non-zero parts are hidden with it; its zeros only when that is not enough; its total only when no part is
   left;
4. a mean or median of a distribution is hidden as soon as any of its cells is: with the distribution's other cells
   it would give the hidden ones away (a mean of coded levels is their weighted sum).

Steps 2-4 repeat until nothing changes: hiding a cell in one group can leave another with a single hidden cell.
A group's cells that are not published (not in `members`) are left out of it.
"""

from dataclasses import dataclass

# Why a cell is hidden. The note does not say which of a group's hidden cells were small and which were hidden with
# them: with that, "one of 1-2 plus one of 3 or more make 4" would give both away.
PROTECTED = "protected"  # fewer than k member states behind it, or hidden with such a cell (steps 1-3)
SUMMARY = "summary"  # a mean or median of a distribution with a hidden cell (step 4)


@dataclass(frozen=True)
class Group:
    """Cells bound by one sum: `total` is the sum of `parts`, so any one of them follows from all the others.

    The parts of a distribution partition its total's member states; `overlapping` parts (suppliers' mean shares:
    one member state has several suppliers) may share member states, so together they stand for at least as many
    as the largest of them, not their sum.
    """

    total: object
    parts: tuple
    overlapping: bool = False

    @property
    def cells(self):
        return (self.total, *self.parts)


def suppress(members, groups, minimum, summaries=None, values=None):
    """{cell: PROTECTED or SUMMARY} of the cells to hide.

    `members`: {cell: member states behind it} of every published figure the rule weighs; `groups`: the `Group`s
    binding them; `summaries`: {mean or median: the cells of its distribution}; `values`: {cell: value}, to hide a
    group's smallest figures first (its members when not given).
    """
    hidden = {cell: PROTECTED for cell, n in members.items() if 0 < n < minimum}
    values = values or {}
    changed = True
    while changed:
        changed = False
        for group in groups:
            for cell in _to_hide(group, hidden, members, minimum, values):
                hidden[cell] = PROTECTED
                changed = True
        for summary, cells in (summaries or {}).items():
            if summary in members and summary not in hidden and any(cell in hidden for cell in cells):
                hidden[summary] = SUMMARY
                changed = True
    return hidden


def _to_hide(group, hidden, members, minimum, values):
    """The cells of `group` to hide besides those hidden already, so that none of them can be worked out."""
    cells = [cell for cell in group.cells if cell in members]
    concealed = [cell for cell in cells if cell in hidden]
    shown = [cell for cell in cells if cell not in hidden]
    if not concealed or not shown:
        return []
    if group.total in members and members[group.total] < minimum:
        return shown  # the whole group is over fewer than k member states
    # The smallest non-zero parts first; then zeros (only when every hidden part could otherwise be read as 1); the
    # total last, when no part is left (it is the group's headline: the n of a distribution).
    candidates = sorted(shown, key=lambda cell: (cell == group.total, members[cell] == 0,
                                                 values.get(cell, members[cell]), members[cell], str(cell)))
    extra = []
    while not safe(group, concealed + extra, members, minimum):
        if not candidates:
            break
        extra.append(candidates.pop(0))
    return extra


def safe(group, concealed, members, minimum):
    """Whether these hidden cells of the group cannot be worked out one by one from its published cells: at least two,
    standing together for at least `minimum` member states; for a distribution, for more than their number too, unless
    a zero is among them (a hidden count is otherwise known to be at least 1)."""
    concealed = [cell for cell in concealed if cell in members]
    if not concealed:
        return True
    behind = combined(group, concealed, members)
    parts = [cell for cell in concealed if cell != group.total]
    uncertain = group.overlapping or any(members[cell] == 0 for cell in parts) or behind > len(parts)
    return len(concealed) >= 2 and behind >= minimum and uncertain


def combined(group, concealed, members):
    """How many member states the hidden cells of a group stand for together (at least)."""
    if group.total in concealed:
        return members[group.total]
    counts = [members[cell] for cell in concealed]
    return max(counts) if group.overlapping else sum(counts)
