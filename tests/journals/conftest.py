"""Workspace tests start at a fixed moment when "today" is the same date in UTC, Toronto
and Auckland (the cast's zones), so dates computed from it mean the same to everyone."""

from datetime import UTC, datetime

import pytest
import time_machine

# 03:00 in Toronto and 21:00 in Auckland: the same 18 November in all three zones.
SAME_DAY_EVERYWHERE = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def same_day_everywhere():
    with time_machine.travel(SAME_DAY_EVERYWHERE, tick=True):
        yield
