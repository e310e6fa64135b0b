"""Who may have a certificate, and what it shows: reads for the certificate services.

A participant earns one for a match they completed, or for a match in which their own
mentoring hours reached the program's target (even when it ended early). Their hours
follow journals.hours: their own submitted entries plus the held meetings they did not
write about. Training is the estimated minutes of the modules they completed, as each
module stood when they completed it.

Everything here works on many matches at once with a fixed number of queries, so the
coordinators' bulk issue costs the same for ten pairs or a thousand.
"""

import zoneinfo
from dataclasses import dataclass

from django.db.models import Exists, F, IntegerField, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from journals.models import JournalEntry, Meeting
from matching.models import Match
from programs.models import Participant, TrainingCompletion
from programs.models.program import Role


@dataclass(frozen=True)
class Earned:
    """One participant's claim to a certificate for one match, with what it will show."""

    participant: Participant
    match: Match
    mentoring_minutes: int
    training_minutes: int

    @property
    def role(self) -> str:
        return Role.MENTOR if self.participant.pk == self.match.mentor_id else Role.MENTEE

    @property
    def mentoring_hours(self) -> float:
        # Exact: the pages round it for display (half up), as on the issued certificate.
        return self.mentoring_minutes / 60


def _zero(expression):
    return Coalesce(expression, Value(0), output_field=IntegerField())


def own_minutes(match_ids) -> dict[int, tuple[int, int]]:
    """Return {match id: (mentor's minutes, mentee's minutes)}, by the rule of
    journals.hours.hours_for, in two aggregate queries whatever the number of matches."""
    match_ids = list(match_ids)
    minutes = {match_id: [0, 0] for match_id in match_ids}
    if not match_ids:
        return {}
    from_entries = (
        JournalEntry.objects.submitted()
        .filter(match_id__in=match_ids)
        .order_by()
        .values("match_id")
        .annotate(
            mentor=_zero(Sum("minutes", filter=Q(author_id=F("match__mentor_id")))),
            mentee=_zero(Sum("minutes", filter=Q(author_id=F("match__mentee_id")))),
        )
    )
    about = JournalEntry.objects.submitted().filter(meeting=OuterRef("pk"))
    from_meetings = (
        Meeting.objects.filter(match_id__in=match_ids, status=Meeting.Status.HELD)
        .annotate(
            by_mentor=Exists(about.filter(author_id=OuterRef("match__mentor_id"))),
            by_mentee=Exists(about.filter(author_id=OuterRef("match__mentee_id"))),
        )
        .order_by()
        .values("match_id")
        .annotate(
            mentor=_zero(Sum("held_minutes", filter=Q(by_mentor=False))),
            mentee=_zero(Sum("held_minutes", filter=Q(by_mentee=False))),
        )
    )
    for row in [*from_entries, *from_meetings]:
        minutes[row["match_id"]][0] += row["mentor"]
        minutes[row["match_id"]][1] += row["mentee"]
    return {match_id: (mentor, mentee) for match_id, (mentor, mentee) in minutes.items()}


def training_minutes(participant_ids) -> dict[int, int]:
    """Return {participant id: minutes of completed training}, in one query."""
    rows = (
        TrainingCompletion.objects.filter(participant_id__in=list(participant_ids))
        .order_by()
        .values("participant_id")
        .annotate(total=Sum("minutes"))
    )
    return {row["participant_id"]: row["total"] or 0 for row in rows}


def has_earned(match: Match, minutes: int) -> bool:
    """Return whether a person of `match` with `minutes` of their own earned a certificate."""
    if match.status == Match.Status.COMPLETED:
        return True
    target = match.program.hours_target * 60
    return target > 0 and minutes >= target


def earned_in(matches) -> list[Earned]:
    """Return the certificates the people of `matches` (with their program and people
    loaded) have earned, whether issued or not: four queries at most."""
    matches = list(matches)
    minutes = own_minutes(match.pk for match in matches)
    people = [(match, side) for match in matches for side in (match.mentor, match.mentee)]
    earned = [
        (match, side, minutes[match.pk][0 if side.pk == match.mentor_id else 1])
        for match, side in people
    ]
    earned = [(match, side, mins) for match, side, mins in earned if has_earned(match, mins)]
    training = training_minutes({side.pk for _match, side, _mins in earned})
    return [
        Earned(
            participant=side,
            match=match,
            mentoring_minutes=mins,
            training_minutes=training.get(side.pk, 0),
        )
        for match, side, mins in earned
    ]


def end_date(match: Match, participant: Participant):
    """Return the last day the certificate covers, in the holder's own time zone: the
    day the match ended, or, while it runs (hours reached early), the day the
    certificate is issued, as its hours are those logged by then."""
    zone = zoneinfo.ZoneInfo(participant.user.time_zone)
    if match.ended_at is None:
        return max(timezone.localdate(timezone=zone), match.started_on)
    return max(timezone.localtime(match.ended_at, zone).date(), match.started_on)
