"""A match of a ten-week program, started on START, for the survey tests."""

from datetime import UTC, datetime

import pytest
import time_machine

from tests.journals.builders import active_match

START = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def match(coordinator):
    with time_machine.travel(START, tick=False):
        return active_match(coordinator)
