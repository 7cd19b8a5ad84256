"""The three-way merge, by property: for random base, theirs and mine, no change of one side is ever lost."""

import random
import threading

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from assessments import services
from assessments.filing.merge import MISSING, merge
from assessments.models import Section, SectionRevision, SectionState, UnsavedInput
from tests import factories
from tests.assessments import helpers

KEYS = ["scope.summary", "scenarios.R4.likelihood", "suppliers.Nokia.share_core", "suppliers.ZTE.share_core"]
VALUE = st.one_of(st.just(MISSING), st.sampled_from(["", "a", "b", "3", "4"]))
SIDE = st.dictionaries(st.sampled_from(KEYS), VALUE).map(lambda d: {k: v for k, v in d.items() if v is not MISSING})


def by_hand(base, theirs, mine):
    """The rule written as a table, key by key: (merged, conflicts)."""
    merged, conflicts = {}, set()
    for key in KEYS:
        b, t = base.get(key, MISSING), theirs.get(key, MISSING)
        m = mine.get(key, b)
        if m == b:
            result = t  # I did not change it: theirs stands (changed or not)
        elif t == b:
            result = m  # only I changed it
        elif t == m:
            result = m  # we changed it alike
        else:
            conflicts.add(key)
            result = t  # both changed it differently: theirs stays until I choose
        if result is not MISSING:
            merged[key] = result
    return merged, conflicts


@given(base=SIDE, theirs=SIDE, mine=SIDE)
def test_the_merge_equals_the_rule_and_loses_no_ones_change(base, theirs, mine):
    result = merge(base, theirs, mine)
    expected, conflicts = by_hand(base, theirs, mine)
    assert result.values == expected
    assert set(result.conflicts) == conflicts
    for key in KEYS:
        b, t = base.get(key, MISSING), theirs.get(key, MISSING)
        m = mine.get(key, b)
        if m != b and t == b:
            assert result.values.get(key, MISSING) == m  # my change, theirs untouched: mine
        if t != b and m == b:
            assert result.values.get(key, MISSING) == t  # their change, mine untouched: theirs
        if key in result.conflicts:
            assert result.conflicts[key] == (b, t, m)  # both kept, to choose from


@given(base=SIDE, theirs=SIDE, mine=SIDE)
def test_settling_every_conflict_for_mine_gives_mine_there_and_the_merge_elsewhere(base, theirs, mine):
    first = merge(base, theirs, mine)
    settled = merge(base, theirs, mine, keep_mine=set(first.conflicts))
    assert not settled.conflicts
    for key in first.conflicts:
        assert settled.values.get(key, MISSING) == mine.get(key, base.get(key, MISSING))


@pytest.mark.django_db(transaction=True)
def test_two_users_saving_at_once_on_postgresql_lose_nothing():
    """Many rounds: each user saves a random field from the revision it last saw (often stale). Every acknowledged
    value is in the final section or in its history; every refused one is in that user's unsaved input."""
    cycle = helpers.cycle_with_questionnaire(codes=["AT"])
    users = [factories.user("reporter", "AT"), factories.user("reporter", "AT")]
    draft = helpers.start(cycle, users[0])
    fields = ["scope.summary", "scope.method_detail", "scope.operators_consulted", "scope.contributing_authorities"]
    acknowledged, refused_not_kept, errors = [], [], []

    def work(user, seed):
        rng = random.Random(seed)
        try:
            seen = 0
            for round_ in range(40):
                key, value = rng.choice(fields), f"{user.username} round {round_}"
                result = services.section_save(assessment=draft, section=Section.SCOPE, mine={key: value},
                                               base_revision=seen, user=user)
                if result.outcome is services.Outcome.SAVED:
                    acknowledged.append((key, value))
                    seen = result.state.revision
                else:
                    kept = UnsavedInput.objects.filter(user=user, section_state__assessment=draft).first()
                    if kept is None or kept.data.get(key) != value:
                        refused_not_kept.append((key, value))
                    services.section_discard_unsaved(assessment=draft, section=Section.SCOPE, user=user)
                    seen = SectionState.objects.get(assessment=draft, section=Section.SCOPE).revision
        except Exception as exc:  # noqa: BLE001 -- reported below, with the thread's traceback lost otherwise
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(user, n)) for n, user in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    history = [revision.values for revision in SectionRevision.objects.filter(section_state__assessment=draft,
                                                                              section_state__section="scope")]
    lost = [(key, value) for key, value in acknowledged if not any(v.get(key) == value for v in history)]
    assert len(acknowledged) > 40 and lost == [] and refused_not_kept == []
