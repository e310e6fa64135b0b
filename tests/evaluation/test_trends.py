"""Weekly trends: weeks in the reader's zone, empty weeks kept, a fixed number of queries."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from evaluation import trends
from evaluation.trends import QUERIES, weekly_trends
from journals.models import Message
from journals.tallies import rebuild_tallies
from matching.models import Match
from programs.models import Cycle, Participant
from tests.evaluation.kpi_builders import add_pairs
from tests.factories import UserFactory
from tests.matching.builders import matching_program

pytestmark = pytest.mark.django_db

# A Sunday, half an hour before midnight in UTC: already Monday in Tokyo.
SUNDAY_NIGHT = datetime(2027, 3, 7, 23, 30, tzinfo=UTC)


@pytest.fixture
def program(coordinator):
    program, cycle = matching_program(coordinator)
    add_pairs(program, cycle, 2, start=SUNDAY_NIGHT)
    Message.objects.filter(match__program=program).update(created_at=SUNDAY_NIGHT)
    rebuild_tallies([program.pk])
    return program


def series(result, name):
    values = next(item.values for item in result["series"] if item.name == name)
    return dict(zip(result["weeks"], values, strict=True))


@pytest.mark.parametrize(
    ("zone", "monday"), [("UTC", date(2027, 3, 1)), ("Asia/Tokyo", date(2027, 3, 8))]
)
def test_a_week_starts_on_monday_where_the_reader_is(program, zone, monday):
    with timezone.override(zone):
        result = weekly_trends(program, since=date(2027, 2, 1), until=date(2027, 3, 31))
    messages = series(result, "messages")
    assert messages[monday] == 2
    assert sum(messages.values()) == 2
    assert series(result, "matches_started")[monday] == 2


def test_weeks_without_activity_are_drawn_at_zero(program):
    with timezone.override("UTC"):
        result = weekly_trends(program, since=date(2027, 2, 1), until=date(2027, 3, 31))
    assert result["weeks"][0] == date(2027, 2, 1)
    assert result["weeks"][-1] == date(2027, 3, 29)
    assert series(result, "messages")[date(2027, 2, 8)] == 0
    assert all(week.weekday() == 0 for week in result["weeks"])


def test_journal_hours_add_up_the_minutes_of_submitted_entries(program):
    with timezone.override("UTC"):
        result = weekly_trends(program, since=date(2027, 3, 1), until=date(2027, 3, 14))
    # Two entries of 90 minutes, submitted on the Sunday night.
    assert series(result, "journal_hours")[date(2027, 3, 1)] == 3.0


def test_without_a_range_the_weeks_since_the_program_began_are_drawn(program):
    Cycle.objects.filter(program=program).update(enrolment_opens_on=date(2026, 9, 2))
    result = weekly_trends(program, today=date(2027, 3, 10))
    assert result["weeks"][0] == date(2026, 8, 31)
    assert result["weeks"][-1] == date(2027, 3, 8)


def test_a_long_range_keeps_its_latest_weeks(program):
    result = weekly_trends(program, since=date(2000, 1, 1), until=date(2027, 3, 10))
    assert len(result["weeks"]) == trends.MAX_WEEKS
    assert result["weeks"][-1] == date(2027, 3, 8)


def test_another_program_is_left_out(program, coordinator):
    other, cycle = matching_program(coordinator, name="Another")
    add_pairs(other, cycle, 3, start=SUNDAY_NIGHT)
    with timezone.override("UTC"):
        result = weekly_trends(program, since=date(2027, 3, 1), until=date(2027, 3, 7))
    assert series(result, "matches_started")[date(2027, 3, 1)] == 2
    assert Match.objects.count() == 5


def test_the_query_count_is_fixed(program, django_assert_num_queries):
    with django_assert_num_queries(QUERIES):
        weekly_trends(program)
    add_pairs(program, None, 20)
    with django_assert_num_queries(QUERIES):
        weekly_trends(program)


def test_a_past_cycle_draws_its_own_weeks(coordinator):
    program, cycle = matching_program(coordinator)
    Cycle.objects.filter(pk=cycle.pk).update(
        enrolment_opens_on=date(2027, 1, 4),
        enrolment_closes_on=date(2027, 1, 20),
        matching_opens_on=date(2027, 1, 10),
        matching_closes_on=date(2027, 1, 30),
        starts_on=date(2027, 2, 1),
    )
    cycle.refresh_from_db()
    add_pairs(program, cycle, 2, start=SUNDAY_NIGHT)
    with timezone.override("UTC"):
        result = weekly_trends(program, cycle=cycle, today=date(2028, 6, 1))
    longest = program.cycle_weeks + program.max_extension_weeks
    assert result["weeks"][0] == date(2027, 1, 4)
    assert result["weeks"][-1] == trends.monday_of(date(2027, 2, 1) + timedelta(weeks=longest + 1))
    assert series(result, "matches_started")[date(2027, 3, 1)] == 2


def test_people_who_never_enrolled_are_not_counted_as_joining(program):
    cycle = program.cycles.get()
    for state in (Participant.State.APPLIED, Participant.State.WITHDRAWN):
        Participant.objects.create(
            user=UserFactory(), program=program, cycle=cycle, role="mentee", state=state
        )
    Participant.objects.filter(program=program).update(joined_at=SUNDAY_NIGHT)
    with timezone.override("UTC"):
        result = weekly_trends(program, since=date(2027, 3, 1), until=date(2027, 3, 7))
    # The four people of the two matched pairs joined; the applicant and the refused one did not.
    assert series(result, "joined")[date(2027, 3, 1)] == 4
