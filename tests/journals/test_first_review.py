"""An entry keeps when a coordinator first answered its latest submission: set by the
first review, kept when it is reopened, cleared when it is sent again."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from journals.models import JournalEntry
from journals.reviews import store_first_reviews
from journals.services import journal
from tests.journals.builders import active_match

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)


def first_reviewed_at(entry):
    return JournalEntry.objects.get(pk=entry.pk).first_reviewed_at


def test_the_first_review_of_each_submission_is_kept(coordinator):
    with time_machine.travel(START, tick=False) as clock:
        match = active_match(coordinator)
        entry = journal.save_entry(
            match, by=match.mentee.user, minutes=60, discussed="Goals", submit=True
        )
        assert first_reviewed_at(entry) is None
        clock.shift(timedelta(hours=3))
        journal.review_entry(entry, by=coordinator, feedback="Well observed.")
        assert first_reviewed_at(entry) == START + timedelta(hours=3)
        clock.shift(timedelta(hours=1))
        journal.reopen_entry(entry, by=coordinator, note="Add the next steps.")
        assert first_reviewed_at(entry) == START + timedelta(hours=3)
        clock.shift(timedelta(hours=1))
        entry = journal.save_entry(
            match, by=match.mentee.user, entry=entry, minutes=60, discussed="Goals, next steps"
        )
        assert first_reviewed_at(entry) == START + timedelta(hours=3)  # not sent again yet
        clock.shift(timedelta(hours=1))
        journal.save_entry(
            match,
            by=match.mentee.user,
            entry=entry,
            minutes=60,
            discussed="Goals, next steps",
            submit=True,
        )
        assert first_reviewed_at(entry) is None
        clock.shift(timedelta(hours=10))
        journal.review_entry(entry, by=coordinator, feedback="Thank you.")
        assert first_reviewed_at(entry) == START + timedelta(hours=16)


def test_storing_again_from_the_reviews_gives_what_the_services_stored(coordinator):
    with time_machine.travel(START, tick=False) as clock:
        match = active_match(coordinator)
        entries = [
            journal.save_entry(
                match, by=match.mentee.user, minutes=30, discussed=f"Session {n}", submit=True
            )
            for n in range(3)
        ]
        for hours, entry in zip((2, 5), entries, strict=False):
            clock.shift(timedelta(hours=hours))
            journal.review_entry(entry, by=coordinator, feedback="Good.")
        clock.shift(timedelta(hours=1))
        journal.reopen_entry(entries[0], by=coordinator, note="More, please.")
    stored = dict(JournalEntry.objects.values_list("pk", "first_reviewed_at"))
    JournalEntry.objects.update(first_reviewed_at=None)
    store_first_reviews(JournalEntry.objects.all())
    assert dict(JournalEntry.objects.values_list("pk", "first_reviewed_at")) == stored
    assert stored[entries[2].pk] is None
