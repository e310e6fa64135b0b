"""A program with a known history for the KPI tests, built through the real services,
and extra pairs inserted in bulk to grow it."""

import itertools
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import time_machine

from evaluation import services as surveys
from evaluation.models import SurveyInvitation, SurveyKind
from journals import tallies
from journals.hours import store_pair_minutes
from journals.models import JournalEntry, Meeting, Message
from journals.services import journal, messages
from matching import services as matching
from matching.models import Match
from mentorship_site.accounts.models import User
from programs import services as programs
from programs.models import Participant
from tests.matching.builders import make_ready, matching_program

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # a Monday
# Numbers the people add_pairs makes, so it can grow a program more than once.
BULK_PEOPLE = itertools.count()


def held_meeting(match, minutes):
    meeting = Meeting.objects.create(
        match=match,
        proposed_by=match.mentor.user,
        starts_at=match.started_at + timedelta(hours=1),
        duration=60,
        time_zone="UTC",
        status=Meeting.Status.HELD,
        held_minutes=minutes,
    )
    # A meeting held in the past, which the services cannot write: counted as they would.
    tallies.count_change(match, tallies.Counts(), tallies.of_meeting(meeting))
    store_pair_minutes(Match.objects.filter(pk=match.pk))
    return meeting


def write(match, person, minutes, meeting=None):
    return journal.save_entry(
        match, by=person.user, meeting=meeting, minutes=minutes, discussed="Goals", submit=True
    )


def answer(invitation, **values):
    by_key = {q.key: q for q in surveys.questions_for(invitation)}
    typed = {surveys.field_name(by_key[key]): value for key, value in values.items()}
    surveys.submit_answers(invitation, by=invitation.user, values=typed)


def known_history(coordinator, *, name="Leaders of tomorrow"):
    """Build the issue's program: 10 requests (4 approved, 2 declined, 2 withdrawn,
    1 expired, 1 superseded), 4 matches (1 completed, 1 ended early, 2 active), 12 hours.

    Everyone is ready on START; the requests go out two days later; the surveys are
    answered eleven weeks after START, when the active pairs have long gone quiet.
    """
    with time_machine.travel(START, tick=False) as clock:
        program, cycle = matching_program(coordinator, name=name, hours_target=5)
        for email in ("one@example.org", "two@example.org"):
            programs.invite_person(program, by=coordinator, email=email, role="mentor")
        mentors = [make_ready(program, role="mentor") for _ in range(4)]
        mentees = [make_ready(program) for _ in range(8)]

        clock.shift(timedelta(days=2))
        send = matching.send_request
        superseded = send(mentees[0], mentors[1], by=mentees[0].user)
        matches = []
        for mentee, mentor in zip(mentees[:4], mentors, strict=True):
            request = send(mentee, mentor, by=mentee.user)
            matches.append(matching.approve_request(request, by=mentor.user).match)
        for mentee, mentor in ((mentees[4], mentors[0]), (mentees[5], mentors[1])):
            matching.decline_request(send(mentee, mentor, by=mentee.user), by=mentor.user)
        for mentee, mentor in ((mentees[6], mentors[2]), (mentees[7], mentors[3])):
            matching.withdraw_request(send(mentee, mentor, by=mentee.user), by=mentee.user)
        expiring = send(mentees[4], mentors[2], by=mentees[4].user)

        clock.shift(timedelta(days=1))
        first, second, third, _fourth = [
            Match.objects.with_people().get(pk=match.pk) for match in matches
        ]
        # First pair: a held meeting nobody wrote about (2 h) and an entry of 3 h.
        held_meeting(first, 120)
        reviewed = write(first, first.mentee, 180)
        # Second pair: both wrote about one held meeting: it counts once, for 2 h.
        meeting = held_meeting(second, 60)
        write(second, second.mentee, 90, meeting=meeting)
        write(second, second.mentor, 120, meeting=meeting)
        # Third pair: one entry of 5 h. The fourth logged nothing.
        write(third, third.mentor, 300)
        for body in ("Hello!", "See you Tuesday.", "Thanks for today."):
            messages.post_message(first, by=first.mentee.user, body=body)

        clock.shift(timedelta(hours=3))
        journal.review_entry(reviewed, by=coordinator, feedback="Well observed.")

        clock.shift(timedelta(days=1))
        matching.end_match(second, by=second.mentee.user, reason="We could not find time.")
        surveys.open_survey(second, SurveyKind.END)

        clock.shift(timedelta(days=6))
        assert matching.expire_request(expiring.pk)

        clock.shift(timedelta(weeks=10))
        matching.complete_match(first)
        surveys.open_survey(first, SurveyKind.END)
        invitations = {
            (invitation.match_id, invitation.role): invitation
            for invitation in SurveyInvitation.objects.filter(match__in=[first, second])
        }
        reason = "We could not find time to meet"
        answer(invitations[first.pk, "mentor"], satisfaction=5, recommend=10, goals_reached="yes")
        answer(invitations[first.pk, "mentee"], satisfaction=4, recommend=9, goals_reached="partly")
        answer(
            invitations[second.pk, "mentor"],
            satisfaction=1,
            recommend=3,
            goals_reached="no",
            early_end_reason=reason,
        )
        answer(
            invitations[second.pk, "mentee"],
            satisfaction=3,
            recommend=7,
            goals_reached="partly",
            early_end_reason=reason,
        )
    superseded.refresh_from_db()
    return SimpleNamespace(program=program, cycle=cycle, matches=matches, superseded=superseded)


def add_pairs(program, cycle, count: int, *, start=START) -> None:
    """Insert `count` more active pairs in bulk, each with messages, a held meeting, an
    entry about it and a survey answer: volume for the query-count tests."""
    users = User.objects.bulk_create(
        User(email=f"bulk{next(BULK_PEOPLE)}@example.org", display_name=f"Person {n}")
        for n in range(2 * count)
    )
    people = Participant.objects.bulk_create(
        Participant(
            user=user,
            program=program,
            cycle=cycle,
            role="mentor" if n % 2 == 0 else "mentee",
            state=Participant.State.MATCHED,
            capacity=2 if n % 2 == 0 else None,
            active_matches=1,
        )
        for n, user in enumerate(users)
    )
    matches = Match.objects.bulk_create(
        Match(
            program=program,
            cycle=cycle,
            mentor=people[2 * n],
            mentee=people[2 * n + 1],
            started_at=start,
            started_on=start.date(),
            ends_on=start.date() + timedelta(weeks=10),
            last_activity_at=start,
        )
        for n in range(count)
    )
    Message.objects.bulk_create(
        Message(match=match, author=match.mentee.user, body="Hi") for match in matches
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(
            match=match,
            uid=f"bulk-{match.pk}@mentorship",
            proposed_by=match.mentor.user,
            starts_at=start,
            duration=60,
            time_zone="UTC",
            status=Meeting.Status.HELD,
            held_minutes=60,
        )
        for match in matches
    )
    JournalEntry.objects.bulk_create(
        JournalEntry(
            match=meeting.match,
            author=meeting.match.mentee,
            meeting=meeting,
            entry_date=start.date(),
            minutes=90,
            status=JournalEntry.Status.SUBMITTED,
            submitted_at=start,
        )
        for meeting in meetings
    )
    store_pair_minutes(Match.objects.filter(pk__in=[match.pk for match in matches]))
    # What the services count as they go, for the rows written here in bulk.
    tallies.add_written(matches)
