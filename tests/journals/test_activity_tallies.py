"""Meetings and journal entries are counted in their program's activity tallies as the
services change them, each in the quarter hour of its own date, and rebuilding the
tallies from the rows themselves gives the same counts."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.db.models import Sum

from journals.models import ActivityTally, JournalEntry, Meeting
from journals.services import journal, meetings
from journals.tallies import COLUMNS, rebuild_tallies, slot_of
from tests.evaluation.kpi_builders import START, known_history

pytestmark = pytest.mark.django_db
LATER = START + timedelta(weeks=11, days=2)


def snapshot(program) -> list[tuple]:
    rows = ActivityTally.objects.filter(program=program).order_by("cycle", "slot")
    return [row for row in rows.values_list("cycle", "slot", *COLUMNS) if any(row[2:])]


def totals(program) -> dict:
    return ActivityTally.objects.filter(program=program).aggregate(
        **{column: Sum(column) for column in COLUMNS}
    )


def propose(match, starts_at: datetime):
    return meetings.propose_meeting(
        match,
        by=match.mentee.user,
        starts_at_local=starts_at.replace(tzinfo=None),
        time_zone="UTC",
        duration=60,
        place="The library",
    )


def test_reviews_reopenings_and_meetings_keep_the_tallies_as_a_rebuild_finds_them(coordinator):
    history = known_history(coordinator)
    program, third, fourth = history.program, history.matches[2], history.matches[3]
    entry = JournalEntry.objects.get(match=third)
    with time_machine.travel(LATER, tick=False) as clock:
        journal.review_entry(entry, by=coordinator, feedback="Good start.")
        clock.shift(timedelta(hours=1))
        journal.reopen_entry(entry, by=coordinator, note="Say more about the goals.")
        reopened_minutes = totals(program)["entry_minutes"]
        clock.shift(timedelta(hours=1))
        writer = third.mentor.user
        journal.save_entry(third, by=writer, entry=entry, discussed="Goals", minutes=240)
        assert totals(program)["entry_minutes"] == reopened_minutes - 60
        clock.shift(timedelta(days=1))
        journal.save_entry(
            third, by=writer, entry=entry, discussed="Goals, in depth", minutes=240, submit=True
        )
        clock.shift(timedelta(hours=2))
        journal.review_entry(entry, by=coordinator, feedback="Much clearer.")
        journal.save_entry(fourth, by=fourth.mentee.user, discussed="A draft", minutes=30)

        cancelled = propose(fourth, LATER + timedelta(days=3))
        meetings.cancel_meeting(cancelled, by=fourth.mentee.user, reason="Travelling.")
        held = propose(fourth, LATER + timedelta(days=4))
        missed = propose(fourth, LATER + timedelta(days=5))
        clock.move_to(LATER + timedelta(days=6))
        meetings.mark_meeting(held, by=fourth.mentor.user, held=True, minutes=50)
        meetings.mark_meeting(missed, by=fourth.mentor.user, held=False)

    entry.refresh_from_db()
    counted = totals(program)
    submitted = JournalEntry.objects.filter(match__program=program).exclude(status="draft")
    assert counted["entries_submitted"] == submitted.count() == 4
    assert counted["entry_minutes"] == submitted.aggregate(total=Sum("minutes"))["total"]
    assert counted["entries_reviewed"] == 2  # the first pair's entry, and this one again
    assert counted["meetings_proposed"] == Meeting.objects.filter(match__program=program).count()
    assert counted["meetings_held"] == 3
    # Each in the quarter hour of its own date: the second review, not the first.
    reviewed_here = ActivityTally.objects.get(program=program, slot=slot_of(entry.reviewed_at))
    assert reviewed_here.entries_reviewed == 1
    assert not ActivityTally.objects.filter(
        program=program, slot=slot_of(LATER), entries_reviewed__gt=0
    ).exists()

    incremental = snapshot(program)
    rebuild_tallies([program.pk])
    assert snapshot(program) == incremental
