"""Disclosure control of a published review (reporting/disclosure.py): the rule itself, on random tables."""

from hypothesis import given
from hypothesis import strategies as st

from reporting import disclosure

# The rule itself, on random tables -----------------------------------------------------------------------------

@st.composite
def tables(draw):
    """Random rows of distributions (with an upper-levels count, as risk levels and ratings have) and of suppliers'
    mean shares (overlapping member states), with the groups, summaries and members tables.py would give them."""
    members, values, groups, summaries, partitions = {}, {}, [], {}, []
    for row in range(draw(st.integers(1, 4))):
        cells = [(row, "d", i) for i in range(draw(st.integers(2, 5)))]
        counts = draw(st.lists(st.integers(0, 6), min_size=len(cells), max_size=len(cells)))
        total, top = (row, "n"), (row, "top")
        members |= dict(zip(cells, counts)) | {total: sum(counts), top: sum(counts[-2:])}
        partitions += [disclosure.Group(total, tuple(cells)), disclosure.Group(top, tuple(cells[-2:])),
                       disclosure.Group(total, (*cells[:-2], top))]
        summaries[(row, "mean")] = (*cells, top)
        members[(row, "mean")] = sum(counts)
    groups += partitions
    for segment in range(draw(st.integers(0, 2))):
        reporting = draw(st.integers(1, 12))
        shares = [("share", segment, i) for i in range(draw(st.integers(1, 5)))]
        for share in shares:
            members[share] = draw(st.integers(1, reporting))
            values[share] = draw(st.floats(0.01, 100))
        members[("described", segment)] = reporting
        groups.append(disclosure.Group(("described", segment), tuple(shares), overlapping=True))
    return members, values, groups, summaries, partitions


@given(tables(), st.integers(2, 5))
def test_no_hidden_cell_is_alone_in_a_sum_and_every_hidden_group_stands_for_at_least_k(table, k):
    members, values, groups, summaries, partitions = table
    hidden = disclosure.suppress(members, groups, k, summaries, values)
    assert all(cell in hidden for cell, n in members.items() if 0 < n < k)  # every small figure
    for group in groups:
        concealed = [cell for cell in group.cells if cell in hidden]
        if not concealed:
            continue
        assert len(concealed) >= 2, (group, concealed)
        behind = disclosure.combined(group, concealed, members)
        whole = all(cell in hidden for cell in group.cells)
        assert behind >= k or (whole and members[group.total] < k), (group, concealed, behind)
        parts = [cell for cell in concealed if cell != group.total]
        if group in partitions and group.total not in concealed and all(members[cell] for cell in parts):
            assert behind > len(parts)  # hidden counts, none of them 0, are not all 1
    for summary, cells in summaries.items():
        assert (summary in hidden) == any(cell in hidden for cell in cells)


@given(st.lists(st.integers(0, 4), min_size=4, max_size=4), st.integers(2, 4))
def test_a_levels_hidden_cells_cannot_be_worked_out_from_any_of_its_sums(levels, k):
    """Low, medium, high, critical and "high or critical", as the scenarios table binds them: every assignment a
    reader could make agreeing with the shown cells, n and the sums, leaves each hidden cell two values at least."""
    cells = [("level", i) for i in range(4)]
    n, top = "n", "top"
    members = dict(zip(cells, levels)) | {n: sum(levels), top: levels[2] + levels[3]}
    groups = [disclosure.Group(n, tuple(cells)), disclosure.Group(top, tuple(cells[2:])),
              disclosure.Group(n, (*cells[:2], top))]
    hidden = disclosure.suppress(members, groups, k)
    if not hidden or n in hidden:
        return
    # What the reader knows: the shown cells; a hidden count is at least 1 unless a zero was hidden too.
    low = 0 if any(members[c] == 0 for c in hidden) else 1
    known = {c: members[c] for c in (*cells, top) if c not in hidden}
    readings = []
    for guess in _assignments(members[n], 4):
        found = dict(zip(cells, guess)) | {top: guess[2] + guess[3]}
        if all(found[c] == v for c, v in known.items()) and all(found[c] >= low for c in hidden if c != top):
            readings.append(found)
    for cell in hidden:
        assert len({reading[cell] for reading in readings}) >= 2, (levels, k, hidden, cell)


def _assignments(total, cells):
    if cells == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _assignments(total - first, cells - 1):
            yield (first, *rest)
