import pytest

from tests.assessments import helpers


@pytest.fixture
def cycle(db):
    return helpers.cycle_with_questionnaire()


@pytest.fixture
def draft(cycle, reporter_at):
    return helpers.start(cycle, reporter_at)
