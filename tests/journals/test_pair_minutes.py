"""A match's stored mentoring minutes (Match.minutes_logged) always equal what the rule
of journals.hours computes from its entries and meetings, whatever the services did."""

import contextlib
import random
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from journals.errors import JournalError
from journals.hours import hours_for, with_pair_minutes
from journals.models import JournalEntry, Meeting
from journals.services import journal, meetings
from matching.models import Match
from tests.journals.builders import active_match

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)
Status = JournalEntry.Status


def assert_stored_minutes_are_computed(match):
    stored = Match.objects.get(pk=match.pk).minutes_logged
    computed = with_pair_minutes(Match.objects.filter(pk=match.pk)).get().pair_minutes
    assert stored == computed == hours_for(match).together_minutes


class Pair:
    """Random but valid service calls on one match, as the two people and a coordinator
    would make them."""

    def __init__(self, match, coordinator, rng, clock):
        self.match, self.coordinator, self.rng, self.clock = match, coordinator, rng, clock
        self.people = [match.mentor.user, match.mentee.user]

    def person(self):
        return self.rng.choice(self.people)

    def plan_meeting(self):
        starts = (datetime.now(UTC) + timedelta(hours=2)).replace(tzinfo=None, second=0)
        proposer = self.person()
        meeting = meetings.propose_meeting(
            self.match,
            by=proposer,
            starts_at_local=starts.replace(microsecond=0),
            time_zone="UTC",
            duration=60,
            agenda="Goals",
            video_url="https://meet.example.org/pair",
        )
        other = next(person for person in self.people if person != proposer)
        meetings.accept_meeting(meeting, by=other)
        if self.rng.random() < 0.2:
            meetings.cancel_meeting(meeting, by=other, reason="Ill today")

    def mark_meeting(self):
        self.clock.shift(timedelta(hours=3))
        accepted = list(Meeting.objects.filter(match=self.match, status=Meeting.Status.ACCEPTED))
        if accepted:
            meetings.mark_meeting(
                self.rng.choice(accepted),
                by=self.person(),
                held=self.rng.random() < 0.8,
                minutes=self.rng.choice([None, 5, 45, 90, 600]),
            )

    def write_entry(self, entry=None):
        held = list(Meeting.objects.filter(match=self.match, status=Meeting.Status.HELD))
        by = entry.author.user if entry is not None else self.person()
        journal.save_entry(
            self.match,
            by=by,
            entry=entry,
            meeting=self.rng.choice([None, *held]),
            minutes=self.rng.choice([5, 30, 60, 120, 600]),
            discussed="What we did",
            submit=self.rng.random() < 0.7,
        )

    def edit_entry(self):
        open_entries = list(
            JournalEntry.objects.filter(
                match=self.match, status__in=[Status.DRAFT, Status.REOPENED]
            ).select_related("author__user")
        )
        if open_entries:
            self.write_entry(self.rng.choice(open_entries))

    def review_entry(self):
        waiting = list(JournalEntry.objects.filter(match=self.match, status=Status.SUBMITTED))
        if waiting:
            journal.review_entry(self.rng.choice(waiting), by=self.coordinator, feedback="Good")

    def reopen_entry(self):
        reviewed = list(JournalEntry.objects.filter(match=self.match, status=Status.REVIEWED))
        if reviewed:
            journal.reopen_entry(self.rng.choice(reviewed), by=self.coordinator, note="Add more")

    def act(self):
        actions = [
            self.plan_meeting,
            self.mark_meeting,
            self.write_entry,
            self.edit_entry,
            self.review_entry,
            self.reopen_entry,
        ]
        self.clock.shift(timedelta(minutes=self.rng.randint(10, 600)))
        # A call the services refuse (say, a second entry about one meeting) changes nothing.
        with contextlib.suppress(JournalError):
            self.rng.choice(actions)()


@pytest.mark.parametrize("seed", range(6))
def test_stored_minutes_follow_every_change_of_entries_and_meetings(coordinator, seed):
    with time_machine.travel(START, tick=False) as clock:
        match = active_match(coordinator, journal_writers="both")
        assert Match.objects.get(pk=match.pk).minutes_logged == 0
        pair = Pair(match, coordinator, random.Random(seed), clock)
        for _step in range(40):
            pair.act()
            assert_stored_minutes_are_computed(match)
    assert Match.objects.get(pk=match.pk).minutes_logged > 0


def test_an_entry_about_a_held_meeting_replaces_its_time(coordinator):
    with time_machine.travel(START, tick=False) as clock:
        match = active_match(coordinator, journal_writers="both")
        starts = (START + timedelta(hours=1)).replace(tzinfo=None)
        meeting = meetings.propose_meeting(
            match,
            by=match.mentee.user,
            starts_at_local=starts,
            time_zone="UTC",
            duration=60,
            agenda="Goals",
            video_url="https://meet.example.org/pair",
        )
        meetings.accept_meeting(meeting, by=match.mentor.user)
        clock.shift(timedelta(hours=2))
        meeting = meetings.mark_meeting(meeting, by=match.mentor.user, held=True, minutes=50)
        assert Match.objects.get(pk=match.pk).minutes_logged == 50
        entry = journal.save_entry(
            match, by=match.mentee.user, meeting=meeting, minutes=80, discussed="Goals"
        )
        assert Match.objects.get(pk=match.pk).minutes_logged == 50  # a draft counts nothing
        journal.save_entry(
            match,
            by=match.mentee.user,
            entry=entry,
            meeting=meeting,
            minutes=80,
            discussed="Goals",
            submit=True,
        )
        assert Match.objects.get(pk=match.pk).minutes_logged == 80
