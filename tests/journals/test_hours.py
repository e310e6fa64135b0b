"""The pair's hours: entries replace the meetings they are about, never both; hand-computed."""

import pytest

from journals.hours import hours_for
from journals.services import journal as services
from tests.journals.builders import active_match
from tests.journals.test_journal_entries import held_meeting, submit


@pytest.fixture
def match(coordinator):
    return active_match(coordinator, hours_target=10)


def test_held_meetings_count_when_nobody_wrote_about_them(match):
    held_meeting(match, minutes=60)
    held_meeting(match, minutes=30)
    hours = hours_for(match)
    assert (hours.together_minutes, hours.mentor_minutes, hours.mentee_minutes) == (90, 90, 90)
    assert hours.target_minutes == 600


def test_an_entry_linked_to_a_held_meeting_replaces_its_time(match):
    meeting = held_meeting(match, minutes=60)
    submit(match, match.mentee, meeting=meeting, minutes=75)
    hours = hours_for(match)
    # Together: 75 (the entry), not 60 + 75. Mentor wrote nothing: the meeting's 60.
    assert hours.together_minutes == 75
    assert hours.mentee_minutes == 75
    assert hours.mentor_minutes == 60


def test_both_writing_about_one_meeting_count_it_once_for_the_larger_time(match):
    meeting = held_meeting(match, minutes=60)
    submit(match, match.mentee, meeting=meeting, minutes=50)
    submit(match, match.mentor, meeting=meeting, minutes=70)
    hours = hours_for(match)
    assert hours.together_minutes == 70
    assert (hours.mentor_minutes, hours.mentee_minutes) == (70, 50)


def test_unlinked_entries_are_added_one_by_one(match):
    held_meeting(match, minutes=60)
    submit(match, match.mentee, minutes=20)
    submit(match, match.mentor, minutes=25)
    hours = hours_for(match)
    assert hours.together_minutes == 60 + 20 + 25
    assert hours.mentee_minutes == 60 + 20
    assert hours.mentor_minutes == 60 + 25


def test_drafts_count_nothing(match):
    meeting = held_meeting(match, minutes=60)
    services.save_entry(match, by=match.mentee.user, meeting=meeting, minutes=200)
    services.save_entry(match, by=match.mentor.user, minutes=300)
    hours = hours_for(match)
    assert (hours.together_minutes, hours.mentor_minutes, hours.mentee_minutes) == (60, 60, 60)


def test_a_mixed_journal_adds_up_by_hand(match, coordinator):
    first = held_meeting(match, minutes=60)  # both write: 45 and 90 → 90
    second = held_meeting(match, minutes=40)  # mentee writes 30 → 30 (mentor: 40)
    held_meeting(match, minutes=25)  # nobody writes → 25
    reviewed = submit(match, match.mentee, meeting=first, minutes=45)
    services.review_entry(reviewed, by=coordinator, feedback="Thanks")
    submit(match, match.mentor, meeting=first, minutes=90)
    submit(match, match.mentee, meeting=second, minutes=30)
    submit(match, match.mentee, minutes=15)  # unlinked
    services.save_entry(match, by=match.mentor.user, minutes=500)  # a draft
    hours = hours_for(match)
    assert hours.together_minutes == 90 + 30 + 25 + 15
    assert hours.mentee_minutes == 45 + 30 + 25 + 15
    assert hours.mentor_minutes == 90 + 40 + 25
    assert hours.together_percent == round(100 * 160 / 600)


def test_other_matches_do_not_count(match, coordinator):
    other = active_match(coordinator)
    held_meeting(other, minutes=120)
    submit(other, other.mentee, minutes=60)
    assert hours_for(match).together_minutes == 0


@pytest.mark.parametrize("size", [1, 20])
def test_hours_take_two_queries_whatever_the_size(match, django_assert_num_queries, size):
    for _number in range(size):
        meeting = held_meeting(match)
        submit(match, match.mentee, meeting=meeting)
        submit(match, match.mentor, minutes=10)
    with django_assert_num_queries(2):
        hours_for(match)
