"""Message tallies: every posted message is counted in its program's quarter hour, even
when two people post at the same instant, and a bulk rebuild gives the same counts."""

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, connections
from django.db.models import Sum

from journals.models import ActivityTally, Message
from journals.services import messages
from journals.tallies import rebuild_tallies, slot_of
from matching import services as matching
from tests.journals.builders import active_match
from tests.matching.builders import make_ready

QUARTER = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)


def second_match(match):
    """Return another active match of the same program and cycle."""
    mentor = make_ready(match.program, role="mentor")
    mentee = make_ready(match.program)
    request = matching.send_request(mentee, mentor, by=mentee.user)
    return matching.approve_request(request, by=mentor.user).match


def tallied(program, slot=None) -> int:
    tallies = ActivityTally.objects.filter(program=program)
    if slot is not None:
        tallies = tallies.filter(slot=slot)
    return tallies.aggregate(total=Sum("messages"))["total"] or 0


def test_the_quarter_hour_starts_on_a_multiple_of_fifteen_minutes_in_utc():
    kolkata = datetime(2026, 11, 18, 13, 59, 59, tzinfo=UTC).astimezone(ZoneInfo("Asia/Kolkata"))
    assert slot_of(kolkata) == datetime(2026, 11, 18, 13, 45, tzinfo=UTC)


@pytest.mark.django_db
def test_each_posted_message_is_counted_in_its_quarter_hour(coordinator):
    match = active_match(coordinator)
    with time_machine.travel(QUARTER + timedelta(minutes=3), tick=False) as clock:
        messages.post_message(match, by=match.mentee.user, body="Hello")
        clock.shift(timedelta(minutes=11))
        messages.post_message(match, by=match.mentor.user, body="Hello to you")
        clock.shift(timedelta(minutes=1))  # 08:15: the next quarter hour
        messages.post_message(match, by=match.mentee.user, body="See you")
    tally = ActivityTally.objects.get(program=match.program, slot=QUARTER)
    assert (tally.cycle_id, tally.messages) == (match.cycle_id, 2)
    assert tallied(match.program, QUARTER + timedelta(minutes=15)) == 1


@pytest.mark.django_db
def test_a_refused_message_is_not_counted(coordinator):
    match = active_match(coordinator)
    with pytest.raises(Exception, match="Write a message"):
        messages.post_message(match, by=match.mentee.user, body="  ")
    assert tallied(match.program) == 0


@pytest.mark.django_db
def test_rebuilding_gives_the_counts_of_the_messages(coordinator):
    match = active_match(coordinator)
    for n in range(3):
        messages.post_message(match, by=match.mentee.user, body=f"Hello {n}")
    Message.objects.filter(match=match).update(created_at=QUARTER - timedelta(days=3))
    rebuild_tallies([match.program.pk])
    assert tallied(match.program, QUARTER - timedelta(days=3)) == 3
    assert tallied(match.program) == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_two_people_posting_at_once_in_a_new_quarter_hour_are_both_counted(coordinator):
    first = active_match(coordinator)
    second = second_match(first)
    rounds = 5
    for round_number in range(rounds):
        slot = QUARTER + timedelta(hours=1, minutes=15 * round_number)
        barrier = threading.Barrier(2)
        failures = []

        def post(match, barrier=barrier, failures=failures):
            try:
                barrier.wait(timeout=5)
                messages.post_message(match, by=match.mentee.user, body="At once")
            except Exception as error:  # reported by the assertion below
                failures.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=post, args=(match,)) for match in (first, second)]
        with time_machine.travel(slot + timedelta(minutes=7), tick=False):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=10)
        assert not failures
        assert tallied(first.program, slot) == 2
    assert ActivityTally.objects.filter(program=first.program).count() == rounds
