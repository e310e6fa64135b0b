"""Demo workspaces: an agreement, messages, meetings and journal entries for the demo's
two active matches, and one match that ended early, shown read-only."""

from datetime import datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from journals.models import Meeting, Message
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
    journal.review_entry(
        reviewed,
        by=coordinator,
        feedback="A strong start: clear goals, and a concrete case to work on. Keep it up!",
    )
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
