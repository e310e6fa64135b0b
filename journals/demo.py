"""Demo workspaces: an agreement, messages, meetings and journal entries for the demo's
two active matches, and one match that ended early, shown read-only; and the whole
history of every pair of the finished cohorts."""

import uuid
from datetime import datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from journals import tallies
from journals.hours import store_pair_minutes
from journals.models import Agreement, JournalEntry, Meeting, Message, Review
from journals.services import agreement, journal, meetings, messages
from matching import services as matching
from matching.models import Match
from programs.models import Participant

CONVERSATION = [
    ("mentee", "Hello! Thank you for taking me on. When would suit you for a first call?"),
    ("mentor", "Hello and welcome! Tuesday evening works for me. Shall we use the video link?"),
    ("mentee", "Perfect. I wrote down three goals in the agreement, have a look."),
    ("mentor", "Confirmed. Before we meet, think of a negotiation that did not go as planned."),
    ("mentee", "I have one from last month. See you on Tuesday!"),
]


def _backdate(match: Match, days: int) -> Match:
    """Move a demo match's start into the past, so its workspace has a history."""
    started_on = timezone.now().date() - timedelta(days=days)
    Match.objects.filter(pk=match.pk).update(
        started_on=started_on,
        started_at=F("started_at") - timedelta(days=days),
        ends_on=Match.end_date(match.program, started_on),
    )
    return Match.objects.with_people().get(pk=match.pk)


def _live_workspace(match: Match, coordinator) -> None:
    mentor, mentee = match.mentor.user, match.mentee.user
    people = {"mentor": mentor, "mentee": mentee}
    written = agreement.record_agreement(
        match,
        by=mentee,
        goals=[
            "Prepare a salary negotiation",
            "Speak up in leadership meetings",
            "Plan the next two years",
        ],
        frequency="weekly",
        mode="video",
        channel="messages",
    )
    agreement.confirm_agreement(written, by=mentor)
    for minutes_ago, (side, body) in zip(range(5000, 0, -900), CONVERSATION, strict=False):
        message = messages.post_message(match, by=people[side], body=body)
        Message.objects.filter(pk=message.pk).update(
            created_at=timezone.now() - timedelta(minutes=minutes_ago)
        )
    # A meeting last week, held: proposed for the future, then moved back in time, as
    # the services refuse meetings in the past.
    soon = datetime.combine(timezone.now().date() + timedelta(days=2), time(18, 0))
    held = meetings.propose_meeting(
        match,
        by=mentee,
        starts_at_local=soon,
        time_zone=mentee.time_zone,
        duration=60,
        agenda="Goals for the ten weeks; a negotiation that went wrong.",
        video_url="https://meet.example.org/demo-pair",
    )
    meetings.accept_meeting(held, by=mentor)
    Meeting.objects.filter(pk=held.pk).update(starts_at=timezone.now() - timedelta(days=6))
    held = meetings.mark_meeting(Meeting.objects.get(pk=held.pk), by=mentor, held=True, minutes=60)
    # The next meeting, accepted.
    meetings.accept_meeting(
        meetings.propose_meeting(
            match,
            by=mentor,
            starts_at_local=soon + timedelta(days=1),
            time_zone=mentor.time_zone,
            duration=45,
            agenda="Role-play the salary conversation.",
            video_url="https://meet.example.org/demo-pair",
        ),
        by=mentee,
    )
    reviewed = journal.save_entry(
        match,
        by=mentee,
        meeting=held,
        entry_date=held.starts_at.date(),
        discussed="We agreed my goals and went through last month's negotiation.",
        next_topics="Preparing figures before a salary talk.",
        minutes=60,
        observations="I felt more confident after naming what went wrong.",
        submit=True,
    )
    review = journal.review_entry(
        reviewed,
        by=coordinator,
        feedback="A strong start: clear goals, and a concrete case to work on. Keep it up!",
    )
    # Written the evening after the meeting, reviewed the next afternoon.
    submitted = held.starts_at + timedelta(hours=4)
    JournalEntry.objects.filter(pk=reviewed.pk).update(
        created_at=submitted,
        submitted_at=submitted,
        reviewed_at=submitted + timedelta(hours=19),
        first_reviewed_at=submitted + timedelta(hours=19),
    )
    Review.objects.filter(pk=review.pk).update(created_at=submitted + timedelta(hours=19))
    journal.save_entry(
        match,
        by=mentor,
        entry_date=timezone.now().date() - timedelta(days=2),
        discussed="Shared a checklist for preparing a negotiation by message.",
        next_topics="Role-play next week.",
        minutes=20,
        observations="Motivated mentee; wants practical tools.",
        submit=True,
    )


def seed_workspaces(program, *, coordinator, extra) -> None:
    """Fill the demo matches' workspaces, and end one match early. Safe to run again."""
    active = list(Match.objects.active().with_people().filter(program=program).order_by("pk"))
    if not active or Message.objects.filter(match__program=program).exists():
        return
    first = _backdate(active[0], days=20)
    _live_workspace(first, coordinator)
    # A pair that went quiet after a welcome: the coordinator's dashboard flags it.
    second = _backdate(active[1], days=30) if len(active) > 1 else None
    if second is not None:
        messages.post_message(second, by=second.mentor.user, body="Welcome! Looking forward.")
        quiet_since = timezone.now() - timedelta(days=program.quiet_days + 4)
        Message.objects.filter(match=second).update(created_at=quiet_since)
        Match.objects.filter(pk=second.pk).update(last_activity_at=quiet_since)
    # A pair that ended early: its workspace stays readable, and nothing can be added.
    mentee = Participant.objects.get(program=program, user=extra[15], role="mentee")
    mentor = Participant.objects.get(program=program, user=extra[6], role="mentor")
    request = matching.send_request(mentee, mentor, by=mentee.user, message="Hello!")
    ended = _backdate(matching.approve_request(request, by=mentor.user).match, days=12)
    messages.post_message(ended, by=mentee.user, body="Thank you for the first session.")
    matching.end_match(ended, by=mentor.user, reason="I am changing roles and cannot continue.")
    # The messages, meetings and entries above were moved back in time after they were
    # written: count them again at their dates.
    tallies.rebuild_tallies([program.pk])


# ---------------------------------------------------------------- finished cohorts

GOALS = [
    "Prepare for my first team lead role",
    "Give difficult feedback with confidence",
    "Speak up in leadership meetings",
    "Negotiate my next salary review",
    "Build a network beyond my department",
    "Plan my next two years",
    "Delegate without losing track",
]
AGENDAS = [
    "Goals for the ten weeks, and how we work together.",
    "A feedback conversation that did not go well: what to try next time.",
    "Role-play: presenting a plan to senior leadership.",
    "Delegation: what to hand over first.",
    "Preparing figures for a salary review.",
    "Looking back: what changed, and what comes next.",
]
DISCUSSED = [
    "We agreed my goals and how often we meet.",
    "We went through last month's feedback conversation and rewrote my opening.",
    "Role-played the presentation twice; the second run was much calmer.",
    "Listed what I could delegate and to whom.",
    "Worked out the figures and the ask for my salary review.",
    "Looked back at the ten weeks and planned the next steps alone.",
]
BETWEEN_MEETINGS = [
    "Read and commented on the mentee's presentation by message.",
    "Sent two articles on delegation, with notes.",
    "Reviewed a draft email to the team before it went out.",
]
FEEDBACK = [
    "Thank you: a clear record, and good next steps.",
    "Great progress. Keep noting what you will try before the next meeting.",
    "Useful detail. Remember to set the next date while you are together.",
]
MESSAGES = {
    "mentee": [
        "Thanks for today! I will try the opening we discussed.",
        "Could we move Thursday's meeting half an hour later?",
        "The feedback conversation went much better this time.",
        "I sent you the slides: any comments welcome.",
        "Quick question before my review tomorrow: how would you open it?",
    ],
    "mentor": [
        "Well done on the presentation! How did the team react?",
        "Here is the checklist I mentioned.",
        "Thursday 18:00 works for me.",
        "Take five minutes before the review to write down your three points.",
        "Looking forward to hearing how it went.",
    ],
}
HELD_MINUTES = [45, 60, 60, 75, 75, 90]
REVIEW_HOURS = [2, 5, 9, 18, 22, 30, 47, 70]


def _spread(rng, start: datetime, end: datetime, count: int) -> list[datetime]:
    """Return `count` instants between `start` and `end`, in order, roughly evenly apart."""
    step = (end - start) / (count + 1)
    return [start + step * (n + 1) + timedelta(hours=rng.uniform(-12, 12)) for n in range(count)]


def _past_workspace(match: Match, rng, coordinator) -> tuple[list, list, list, list]:
    """Return the meetings, entries, reviews and messages of a finished pair (unsaved),
    and write its agreement."""
    start, end = match.started_at, match.ended_at
    mentor, mentee = match.mentor, match.mentee
    people = {"mentor": mentor.user, "mentee": mentee.user}
    agreed = start + timedelta(days=rng.uniform(1, 4))
    Agreement.objects.create(
        match=match,
        goals=rng.sample(GOALS, k=rng.choice([2, 3, 3])),
        frequency=rng.choice(["weekly", "weekly", "fortnightly"]),
        mode=rng.choice(["video", "video", "in_person", "mixed"]),
        channel="messages",
        written_by=mentee.user,
        created_at=agreed,
        mentee_confirmed_at=agreed,
        mentor_confirmed_at=agreed + timedelta(hours=rng.uniform(2, 30)),
    )
    completed = match.status == Match.Status.COMPLETED
    count = rng.choice([7, 8, 9, 9, 10, 10, 11, 12]) if completed else rng.choice([1, 2, 3])
    meetings, entries, reviews = [], [], []
    for n, starts_at in enumerate(_spread(rng, agreed, end - timedelta(days=1), count)):
        proposer = people["mentee" if n % 2 == 0 else "mentor"]
        missed = completed and n == 2 and rng.random() < 0.3
        code = uuid.uuid4()
        meeting = Meeting(
            code=code,
            uid=f"{code}@mentorship",
            match=match,
            proposed_by=proposer,
            starts_at=starts_at.replace(minute=0, second=0, microsecond=0),
            duration=60,
            time_zone=proposer.time_zone,
            agenda=AGENDAS[min(n, len(AGENDAS) - 1)] if n < count - 1 else AGENDAS[-1],
            video_url="https://meet.example.org/demo-pair",
            status=Meeting.Status.MISSED if missed else Meeting.Status.HELD,
            held_minutes=None if missed else rng.choice(HELD_MINUTES),
            marked_by=people["mentor"],
            created_at=max(start, starts_at - timedelta(days=rng.uniform(2, 6))),
        )
        meetings.append(meeting)
        if missed:
            continue
        for author, chance in ((mentee, 0.85), (mentor, 0.35)):
            if rng.random() >= chance:
                continue
            entries.append(
                JournalEntry(
                    match=match,
                    author=author,
                    meeting=meeting,
                    entry_date=meeting.starts_at.date(),
                    discussed=DISCUSSED[min(n, len(DISCUSSED) - 1)],
                    next_topics=AGENDAS[min(n + 1, len(AGENDAS) - 1)],
                    minutes=meeting.held_minutes,
                    status=JournalEntry.Status.SUBMITTED,
                    submitted_at=min(
                        meeting.starts_at + timedelta(hours=rng.uniform(2, 40)),
                        end - timedelta(minutes=30),
                    ),
                )
            )
    for _n in range(rng.choice([0, 0, 1, 2]) if completed else 0):
        written = start + (end - start) * rng.uniform(0.2, 0.9)
        entries.append(
            JournalEntry(
                match=match,
                author=mentor,
                entry_date=written.date(),
                discussed=rng.choice(BETWEEN_MEETINGS),
                minutes=rng.choice([20, 30, 30, 45]),
                status=JournalEntry.Status.SUBMITTED,
                submitted_at=written,
            )
        )
    for entry in entries:
        entry.created_at = entry.submitted_at - timedelta(minutes=20)
        # The coordinator reviewed every entry of a finished cohort, some faster than others.
        entry.status = JournalEntry.Status.REVIEWED
        entry.reviewed_at = entry.submitted_at + timedelta(
            hours=rng.choice(REVIEW_HOURS) + rng.uniform(0, 2)
        )
        entry.first_reviewed_at = entry.reviewed_at
        reviews.append(
            Review(
                entry=entry,
                reviewer=coordinator,
                action=Review.Action.REVIEWED,
                feedback=rng.choice(FEEDBACK),
                created_at=entry.reviewed_at,
            )
        )
    messages = []
    count = rng.randint(6, 14) if completed else rng.randint(2, 5)
    for n, written in enumerate(_spread(rng, start, end - timedelta(hours=12), count)):
        side = "mentee" if n % 2 == 0 else "mentor"
        messages.append(
            Message(
                match=match,
                author=people[side],
                body=MESSAGES[side][n % len(MESSAGES[side])],
                created_at=written,
            )
        )
    return meetings, entries, reviews, messages


def seed_past_workspaces(past, matches: list[Match]) -> None:
    """Write the history of each pair of a finished cohort: agreement, meetings held and
    missed, journal entries (all reviewed) and messages, at the dates they happened.

    The services only accept meetings in the future and entries dated until today, so
    history this old is written as rows with their own dates, in a few bulk inserts.
    """
    meetings, entries, reviews, messages = [], [], [], []
    for match in matches:
        parts = _past_workspace(match, past.rng, past.coordinator)
        for collected, part in zip((meetings, entries, reviews, messages), parts, strict=True):
            collected.extend(part)
    Meeting.objects.bulk_create(meetings)
    for entry in entries:
        entry.meeting_id = entry.meeting.pk if entry.meeting is not None else None
    JournalEntry.objects.bulk_create(entries)
    for review in reviews:
        review.entry_id = review.entry.pk
    Review.objects.bulk_create(reviews)
    store_pair_minutes(Match.objects.filter(pk__in=[match.pk for match in matches]))
    Message.objects.bulk_create(messages)
    tallies.add_written(matches)
    for match in matches:
        last = max(
            [m.starts_at for m in meetings if m.match_id == match.pk]
            + [m.created_at for m in messages if m.match_id == match.pk],
            default=match.started_at,
        )
        Match.objects.filter(pk=match.pk).update(last_activity_at=min(last, match.ended_at))
