"""Meetings across time zones: proposing, answering, moving, cancelling and marking them.

Mona mentors from Toronto (Montréal's zone), Mia is mentored from Auckland: in March and
April 2027 both change their clocks, on different Sundays, in opposite directions.
"""

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from journals.errors import JournalError
from journals.models import JournalEntry, Meeting
from journals.services import meetings as services
from matching import services as matching
from tests.journals.builders import active_match

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
AUCKLAND, TORONTO = "Pacific/Auckland", "America/Toronto"


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def match(now, coordinator):
    return active_match(coordinator, agenda_required_hours=0)


def mona(match):
    return match.mentor.user


def mia(match):
    return match.mentee.user


def propose(match, by=None, *, at=datetime(2027, 4, 4, 9, 0), zone=AUCKLAND, **extra):
    """Propose a meeting (by Mia from Auckland unless told otherwise)."""
    fields = {"duration": 60, "video_url": "https://meet.example.org/mona-mia", **extra}
    return services.propose_meeting(
        match, by=by or mia(match), starts_at_local=at, time_zone=zone, **fields
    )


def refusal(call) -> JournalError:
    with pytest.raises(JournalError) as caught:
        call()
    return caught.value


# --- time zones -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_time_after_auckland_leaves_daylight_saving_is_stored_in_utc(match):
    # Sunday 4 April 2027: Auckland is back on standard time (UTC+12) from 03:00.
    meeting = propose(match, at=datetime(2027, 4, 4, 9, 0))
    assert meeting.starts_at == datetime(2027, 4, 3, 21, 0, tzinfo=UTC)
    assert meeting.time_zone == AUCKLAND
    # Toronto is on daylight time (UTC-4) since 14 March: 17:00 on Saturday for Mona.
    toronto = meeting.starts_at.astimezone(zoneinfo.ZoneInfo(TORONTO))
    assert (toronto.date(), toronto.hour) == (date(2027, 4, 3), 17)


@pytest.mark.django_db
def test_a_time_the_week_before_uses_auckland_daylight_time(match):
    meeting = propose(match, at=datetime(2027, 3, 28, 9, 0))
    assert meeting.starts_at == datetime(2027, 3, 27, 20, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_a_time_right_after_toronto_enters_daylight_saving_is_stored_in_utc(match):
    # Sunday 14 March 2027, 16:00 in Toronto: already UTC-4, Monday 09:00 in Auckland.
    meeting = propose(match, by=mona(match), at=datetime(2027, 3, 14, 16, 0), zone=TORONTO)
    assert meeting.starts_at == datetime(2027, 3, 14, 20, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_a_time_skipped_when_the_clocks_go_forward_is_refused(match):
    error = refusal(
        lambda: propose(match, by=mona(match), at=datetime(2027, 3, 14, 2, 30), zone=TORONTO)
    )
    assert error.field == "time"
    assert "02:30 does not exist in America/Toronto" in error.message
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_a_time_skipped_in_auckland_spring_is_refused(match):
    error = refusal(lambda: propose(match, at=datetime(2027, 9, 26, 2, 15)))
    assert error.field == "time"


@pytest.mark.django_db
def test_a_time_that_happens_twice_is_read_as_the_first(match):
    # 02:30 on 4 April happens first on daylight time (UTC+13), then on standard time.
    meeting = propose(match, at=datetime(2027, 4, 4, 2, 30))
    assert meeting.starts_at == datetime(2027, 4, 3, 13, 30, tzinfo=UTC)


@pytest.mark.django_db
def test_an_unknown_time_zone_is_refused(match):
    error = refusal(lambda: propose(match, zone="Mars/Olympus_Mons"))
    assert error.field == "time_zone"


@pytest.mark.django_db
def test_a_meeting_in_the_past_is_refused(match):
    # 1 March 2027 12:00 UTC is 2 March 01:00 in Auckland: 00:30 has passed.
    error = refusal(lambda: propose(match, at=datetime(2027, 3, 2, 0, 30)))
    assert error.message == "This time has passed: choose a time in the future."
    assert propose(match, at=datetime(2027, 3, 2, 1, 30)).pk


# --- what a proposal needs ------------------------------------------------------------


@pytest.mark.django_db
def test_the_program_asks_for_an_agenda_hours_ahead(now, coordinator):
    match = active_match(coordinator, agenda_required_hours=48)
    soon = datetime(2027, 3, 3, 12, 0)  # Auckland, +13: 2 March 23:00 UTC, 35 hours ahead
    error = refusal(lambda: propose(match, at=soon))
    assert error.message == "The program asks for an agenda 48 hours before a meeting."
    assert error.field == "agenda"
    assert propose(match, at=soon, agenda="Your first negotiation").agenda
    assert propose(match, at=datetime(2027, 3, 10, 12, 0)).agenda == ""


@pytest.mark.django_db
def test_an_agenda_is_optional_when_the_program_does_not_ask(match):
    assert propose(match, at=datetime(2027, 3, 2, 9, 0)).agenda == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "link", ["ftp://files.example.org/call", "javascript:alert(1)", "meet.example.org"]
)
def test_a_video_link_must_be_http(match, link):
    error = refusal(lambda: propose(match, video_url=link))
    assert error.field == "video_url"


@pytest.mark.django_db
def test_a_meeting_needs_a_video_link_or_a_place(match):
    error = refusal(lambda: propose(match, video_url="", place=""))
    assert error.field == "place"
    assert propose(match, video_url="", place="The library café").place == "The library café"


@pytest.mark.django_db
def test_a_duration_out_of_range_is_refused(match):
    assert refusal(lambda: propose(match, duration=10)).field == "duration"
    assert refusal(lambda: propose(match, duration=300)).field == "duration"


# --- who may do what, and when ----------------------------------------------------------


@pytest.mark.django_db
def test_only_the_other_person_accepts(match):
    meeting = propose(match)
    error = refusal(lambda: services.accept_meeting(meeting, by=mia(match)))
    assert "the other person answers" in error.message
    meeting = services.accept_meeting(meeting, by=mona(match))
    assert (meeting.status, meeting.sequence) == (Meeting.Status.ACCEPTED, 1)


@pytest.mark.django_db
def test_an_accepted_meeting_cannot_be_accepted_or_declined_again(match):
    meeting = services.accept_meeting(propose(match), by=mona(match))
    error = refusal(lambda: services.accept_meeting(meeting, by=mona(match)))
    assert "accepted" in error.message
    error = refusal(lambda: services.decline_meeting(meeting, by=mona(match)))
    assert error.message == "This meeting is accepted: it can no longer be changed this way."


@pytest.mark.django_db
def test_a_cancelled_meeting_names_its_state(match):
    meeting = services.cancel_meeting(propose(match), by=mia(match), reason="I am ill.")
    error = refusal(lambda: services.accept_meeting(meeting, by=mona(match)))
    assert "cancelled" in error.message
    error = refusal(lambda: services.update_agenda(meeting, by=mona(match), agenda="Anything"))
    assert "cancelled" in error.message


@pytest.mark.django_db
def test_the_proposer_cannot_decline_their_own_time(match):
    meeting = propose(match)
    assert (
        "You proposed this time"
        in refusal(lambda: services.decline_meeting(meeting, by=mia(match))).message
    )
    meeting = services.decline_meeting(meeting, by=mona(match), reason="  Too early for me. ")
    assert (meeting.status, meeting.reason) == (Meeting.Status.DECLINED, "Too early for me.")


@pytest.mark.django_db
def test_people_outside_the_pair_are_refused(match, coordinator, stranger):
    meeting = propose(match)
    for person in (coordinator, stranger):
        error = refusal(lambda person=person: services.accept_meeting(meeting, by=person))
        assert error.message == "Only the two people of the match can do this."
        error = refusal(lambda person=person: propose(match, by=person))
        assert error.message == "Only the two people of the match can do this."


@pytest.mark.django_db
def test_an_ended_match_refuses_every_change(match):
    meeting = propose(match)
    accepted = services.accept_meeting(
        propose(match, at=datetime(2027, 4, 5, 9, 0)), by=mona(match)
    )
    matching.end_match(match, by=mia(match), reason="Moving abroad.")
    match.refresh_from_db()
    later = datetime(2027, 5, 1, 9, 0)
    changes = [
        lambda: propose(match),
        lambda: services.accept_meeting(meeting, by=mona(match)),
        lambda: services.decline_meeting(meeting, by=mona(match)),
        lambda: services.reschedule_meeting(
            meeting, by=mona(match), starts_at_local=later, time_zone=TORONTO
        ),
        lambda: services.cancel_meeting(accepted, by=mona(match), reason="Over."),
        lambda: services.update_agenda(accepted, by=mona(match), agenda="New"),
        lambda: services.mark_meeting(accepted, by=mona(match), held=True),
    ]
    for change in changes:
        assert refusal(change).message == "This match has ended."


# --- moving, cancelling, the agenda -----------------------------------------------------


@pytest.mark.django_db
def test_a_new_time_comes_from_the_person_who_proposes_it(match):
    meeting = services.accept_meeting(propose(match), by=mona(match))
    moved = services.reschedule_meeting(
        meeting, by=mona(match), starts_at_local=datetime(2027, 4, 3, 18, 0), time_zone=TORONTO
    )
    assert moved.status == Meeting.Status.PROPOSED
    assert moved.proposed_by == mona(match)
    assert moved.time_zone == TORONTO
    assert moved.starts_at == datetime(2027, 4, 3, 22, 0, tzinfo=UTC)
    assert moved.sequence == 2
    assert moved.uid == meeting.uid
    # Now Mia answers.
    assert services.accept_meeting(moved, by=mia(match)).status == Meeting.Status.ACCEPTED


@pytest.mark.django_db
def test_a_reschedule_must_carry_a_new_time(match):
    meeting = propose(match)
    # The same instant typed in Mona's zone is still the same time.
    error = refusal(
        lambda: services.reschedule_meeting(
            meeting, by=mona(match), starts_at_local=datetime(2027, 4, 3, 17, 0), time_zone=TORONTO
        )
    )
    assert error.message == "This is the current time of the meeting: choose a new time."
    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.proposed_by) == (0, mia(match))


@pytest.mark.django_db
def test_a_reschedule_into_the_past_is_refused(match):
    meeting = propose(match)
    error = refusal(
        lambda: services.reschedule_meeting(
            meeting, by=mona(match), starts_at_local=datetime(2027, 2, 1, 9, 0), time_zone=TORONTO
        )
    )
    assert "has passed" in error.message


@pytest.mark.django_db
def test_a_cancellation_needs_a_reason(match):
    meeting = propose(match)
    error = refusal(lambda: services.cancel_meeting(meeting, by=mona(match), reason="   "))
    assert error.field == "reason"
    meeting = services.cancel_meeting(meeting, by=mona(match), reason="A family matter.")
    assert (meeting.status, meeting.sequence) == (Meeting.Status.CANCELLED, 1)


@pytest.mark.django_db
def test_either_person_changes_the_agenda_before_the_meeting(match):
    meeting = propose(match)
    meeting = services.update_agenda(meeting, by=mona(match), agenda="Salary talks")
    meeting = services.update_agenda(meeting, by=mia(match), agenda="Salary talks, then CV")
    assert (meeting.agenda, meeting.sequence) == ("Salary talks, then CV", 2)
    error = refusal(
        lambda: services.update_agenda(meeting, by=mia(match), agenda="Salary talks, then CV")
    )
    assert error.message == "The agenda is unchanged."


@pytest.mark.django_db
def test_the_agenda_cannot_be_emptied_within_the_programs_notice(now, coordinator):
    match = active_match(coordinator, agenda_required_hours=24)
    meeting = propose(match, at=datetime(2027, 3, 3, 9, 0), agenda="Introductions")
    with time_machine.travel(datetime(2027, 3, 2, 0, 0, tzinfo=UTC), tick=False):
        error = refusal(lambda: services.update_agenda(meeting, by=mona(match), agenda=""))
    assert error.message == "The program asks for an agenda 24 hours before a meeting."


# --- after the meeting ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_meeting_is_marked_only_after_it_starts(match):
    meeting = services.accept_meeting(propose(match), by=mona(match))
    error = refusal(lambda: services.mark_meeting(meeting, by=mia(match), held=True))
    assert error.message == "This meeting has not started yet."
    with time_machine.travel(meeting.starts_at + timedelta(minutes=70), tick=False):
        assert refusal(lambda: services.accept_meeting(meeting, by=mona(match)))
        marked = services.mark_meeting(meeting, by=mia(match), held=True)
    assert (marked.status, marked.held_minutes, marked.marked_by) == (
        Meeting.Status.HELD,
        60,
        mia(match),
    )
    error = refusal(lambda: services.mark_meeting(marked, by=mona(match), held=False))
    assert "held" in error.message


@pytest.mark.django_db
def test_a_held_meeting_records_the_minutes_given(match):
    meeting = services.accept_meeting(propose(match), by=mona(match))
    with time_machine.travel(meeting.ends_at, tick=False):
        error = refusal(
            lambda: services.mark_meeting(meeting, by=mona(match), held=True, minutes=700)
        )
        assert error.field == "minutes"
        assert (
            services.mark_meeting(meeting, by=mona(match), held=True, minutes=45).held_minutes == 45
        )


@pytest.mark.django_db
def test_a_missed_meeting_has_no_minutes(match):
    meeting = propose(match)
    with time_machine.travel(meeting.ends_at, tick=False):
        marked = services.mark_meeting(meeting, by=mona(match), held=False)
    assert (marked.status, marked.held_minutes) == (Meeting.Status.MISSED, None)


@pytest.mark.django_db
def test_held_minutes_not_covered_leave_out_meetings_with_a_submitted_entry(
    match, django_assert_num_queries
):
    held = []
    for day, minutes in ((5, 30), (6, 45), (7, 50)):
        meeting = propose(match, at=datetime(2027, 3, day, 9, 0))
        with time_machine.travel(meeting.ends_at, tick=False):
            held.append(services.mark_meeting(meeting, by=mia(match), held=True, minutes=minutes))
    missed = propose(match, at=datetime(2027, 3, 8, 9, 0))
    with time_machine.travel(missed.ends_at, tick=False):
        services.mark_meeting(missed, by=mia(match), held=False)

    def entry(meeting, status):
        return JournalEntry.objects.create(
            match=match,
            author=match.mentee,
            meeting=meeting,
            entry_date=date(2027, 3, 5),
            minutes=30,
            status=status,
            submitted_at=None if status == JournalEntry.Status.DRAFT else NOW,
        )

    entry(held[0], JournalEntry.Status.SUBMITTED)
    entry(held[1], JournalEntry.Status.DRAFT)
    with django_assert_num_queries(1):
        assert services.held_minutes_not_covered(match) == 45 + 50
