"""The message figures come from the quarter-hour tallies: they must equal a count of
the messages themselves, for the whole history, a date range or a week, in any zone."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import timezone

from evaluation.kpis import day_bounds, program_figures
from evaluation.organization import COLUMNS, organization_figures
from evaluation.trends import weekly_trends
from journals.models import Message
from journals.services import messages
from programs.models import Program
from tests.evaluation.kpi_builders import add_pairs
from tests.journals.builders import active_match

pytestmark = pytest.mark.django_db

# Midnight in Kolkata (UTC+5:30) is 18:30 UTC; Monday 8 March 2027 starts there at
# 18:30 UTC on Sunday the 7th.
KOLKATA_MONDAY = datetime(2027, 3, 7, 18, 30, tzinfo=UTC)
# Minutes around that instant at which messages are posted: on both sides of it, on it,
# and on both sides of the quarter hours next to it.
OFFSETS = [-16, -15, -1, 0, 1, 14, 15, 29, 60 * 24 * 3, -60 * 24 * 3]


@pytest.fixture
def pair(coordinator):
    with time_machine.travel(KOLKATA_MONDAY - timedelta(days=10), tick=False):
        match = active_match(coordinator)
    for offset in OFFSETS:
        with time_machine.travel(KOLKATA_MONDAY + timedelta(minutes=offset), tick=False):
            messages.post_message(match, by=match.mentee.user, body=f"At {offset}")
    add_pairs(match.program, match.cycle, 3, start=KOLKATA_MONDAY - timedelta(hours=2))
    return match


def counted(program, since=None, until=None) -> int:
    start, end = day_bounds(since, until)
    written = Message.objects.filter(match__program=program)
    if start is not None:
        written = written.filter(created_at__gte=start)
    if end is not None:
        written = written.filter(created_at__lt=end)
    return written.count()


def test_the_known_history_counts_its_messages(kpi_history):
    program = kpi_history.program
    figures = program_figures(program)
    assert figures["activity"]["messages"] == counted(program) == 3
    cycle_figures = program_figures(program, cycle=kpi_history.cycle)
    assert cycle_figures["activity"]["messages"] == 3


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns"])
@pytest.mark.parametrize(
    ("since", "until"),
    [
        (None, None),
        (date(2027, 3, 8), None),
        (None, date(2027, 3, 7)),
        (date(2027, 3, 8), date(2027, 3, 8)),
        (date(2027, 3, 5), date(2027, 3, 9)),
    ],
)
def test_a_date_range_counts_exactly_the_messages_written_in_it(pair, zone, since, until):
    with timezone.override(zone):
        figures = program_figures(pair.program, since=since, until=until)
        expected = counted(pair.program, since, until)
        (row,) = organization_figures(
            Program.objects.filter(pk=pair.program.pk), since=since, until=until
        )
    assert figures["activity"]["messages"] == expected
    assert (
        dict(zip([name for name, *_ in COLUMNS], row.values, strict=True))["messages"] == expected
    )


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "Asia/Tokyo", "America/Toronto"])
def test_messages_by_week_equal_a_count_of_the_messages(pair, zone):
    with timezone.override(zone):
        since, until = date(2027, 2, 22), date(2027, 3, 21)
        result = weekly_trends(pair.program, since=since, until=until)
        start, end = day_bounds(since, until)
        rows = (
            Message.objects.filter(
                match__program=pair.program, created_at__gte=start, created_at__lt=end
            )
            .annotate(week=TruncWeek("created_at", tzinfo=timezone.get_current_timezone()))
            .values("week")
            .annotate(total=Count("pk"))
        )
        expected = {
            row["week"].astimezone(timezone.get_current_timezone()).date(): row["total"]
            for row in rows
        }
    values = next(series.values for series in result["series"] if series.name == "messages")
    by_week = {week: value for week, value in zip(result["weeks"], values, strict=True) if value}
    assert by_week == expected
    if zone == "Asia/Kolkata":
        # A minute before Monday's midnight is still the week before: the messages at
        # -16, -15 and -1 minutes, and three days before.
        assert by_week[date(2027, 3, 1)] == 4
