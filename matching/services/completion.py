"""The natural end of a match: completed once its end date has passed for both people.

Completing differs from ending early (status "completed", not "ended") but frees the
places the same way end_match does: each person's active_matches drops by one, and a
matched person with no match left has completed the program. Like end_match, it sends no
participant_changed signal: a freed place closes no request.

The clock completes thousands of matches at once with a fixed number of queries; the
single-match path for the admin runs the same function, so the rules live once.
"""

import zoneinfo
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from matching import emails
from matching.models import Match, MatchEvent
from matching.services.common import MatchingError, State
from programs import milestones
from programs.models import Participant, ParticipantEvent
from programs.models.program import touch_pool
from programs.services.errors import require_coordinator

# Completed matches whose notices may still be missing (a worker killed between the
# commit and the fan-out) are looked for this far back.
NOTICE_CATCH_UP = timedelta(days=3)


def is_past_end(ends_on: date, time_zones, now: datetime) -> bool:
    """Return whether `ends_on` is over in every one of `time_zones` at the instant `now`."""
    return all(now.astimezone(zoneinfo.ZoneInfo(zone)).date() > ends_on for zone in time_zones)


def due_match_ids(now: datetime | None = None) -> list[int]:
    """Return the active matches whose end date has passed for both people, in one query.

    Every zone is within a day of UTC, so a match that ended before yesterday (UTC) is
    over everywhere; one that ended yesterday or today is checked in each person's zone.
    """
    now = now or timezone.now()
    utc_today = now.astimezone(zoneinfo.ZoneInfo("UTC")).date()
    sure = utc_today - timedelta(days=1)
    rows = Match.objects.ending_by(utc_today).values_list(
        "pk", "ends_on", "mentor__user__time_zone", "mentee__user__time_zone"
    )
    return [
        pk
        for pk, ends_on, mentor_zone, mentee_zone in rows
        if ends_on < sure or is_past_end(ends_on, (mentor_zone, mentee_zone), now)
    ]


def complete_matches(match_ids, *, by=None, now: datetime | None = None) -> list[int]:
    """Complete the still-active matches among `match_ids`; return the ids completed here.

    Locks, in the order every matching service uses, the participants (by primary key),
    then the matches (re-checking they are active: a concurrent run or an early end wins
    its rows), then the programs. A fixed number of queries whatever the number of
    matches: one per program touched and one per distinct number of places freed.
    """
    now = now or timezone.now()
    match_ids = list(match_ids)
    if not match_ids:
        return []
    with transaction.atomic():
        pairs = Match.objects.filter(pk__in=match_ids, status=Match.Status.ACTIVE).values_list(
            "mentor_id", "mentee_id"
        )
        people_ids = {pk for pair in pairs for pk in pair}
        people = {
            pk: (state, active)
            for pk, state, active in Participant.objects.select_for_update()
            .filter(pk__in=people_ids)
            .order_by("pk")
            .values_list("pk", "state", "active_matches")
        }
        rows = (
            Match.objects.select_for_update(of=("self",))
            .filter(pk__in=match_ids, status=Match.Status.ACTIVE)
            .order_by("pk")
            .values_list(
                "pk",
                "mentor_id",
                "mentee_id",
                "program_id",
                "ends_on",
                "mentor__user__time_zone",
                "mentee__user__time_zone",
            )
        )
        # The end date is read again under the lock: a coordinator may have extended
        # the match since it was found due, and the extension wins.
        locked = [
            (pk, mentor, mentee, program)
            for pk, mentor, mentee, program, ends_on, *zones in rows
            if is_past_end(ends_on, zones, now)
        ]
        # Pairs never change and terminal states are final, so every match locked here
        # had its people read (and locked) above.
        if not locked:
            return []
        done = [pk for pk, _mentor, _mentee, _program in locked]
        for program_id in sorted({program for *_rest, program in locked}):
            touch_pool(program_id)
        Match.objects.filter(pk__in=done, status=Match.Status.ACTIVE).update(
            status=Match.Status.COMPLETED, ended_at=now, ended_by=by
        )
        MatchEvent.objects.bulk_create(
            MatchEvent(match_id=pk, actor=by, action="completed", created_at=now) for pk in done
        )
        _free_places(locked, people, by=by, now=now)
    return done


def _free_places(locked, people, *, by, now) -> None:
    """Give each person back one place per completed match, as end_match does, and mark
    those whose last match this was as having completed the program."""
    freed = Counter()
    codes = defaultdict(list)
    for pk, mentor_id, mentee_id, _program in locked:
        freed[mentor_id] += 1
        freed[mentee_id] += 1
        codes[mentor_id].append(pk)
        codes[mentee_id].append(pk)
    by_count = defaultdict(list)
    for person, count in freed.items():
        by_count[count].append(person)
    for count, persons in sorted(by_count.items()):
        Participant.objects.filter(pk__in=persons).update(
            active_matches=F("active_matches") - count,
            # The old active_matches is read here: a matched person whose last match
            # this was has completed the program (an early end makes them ready again).
            state=Case(
                When(state=State.MATCHED, active_matches=count, then=Value(State.COMPLETED)),
                default=F("state"),
            ),
            updated_at=now,
        )
    events = []
    for person, count in freed.items():
        before, active = people[person]
        after = State.COMPLETED if before == State.MATCHED and active == count else before
        events.append(
            ParticipantEvent(
                participant_id=person,
                actor=by,
                action="match_completed",
                from_state=before,
                to_state=after,
                created_at=now,
            )
        )
    milestones.record(events)


def complete_match(match: Match, *, by=None) -> Match:
    """Complete one active match whose end date has passed for both people.

    `by` is a coordinator of the program (from the admin), or None for the clock. Both
    people are thanked by email after commit.
    """
    match = Match.objects.with_people().get(pk=match.pk)
    if by is not None:
        require_coordinator(match.program, by)
    if match.status != Match.Status.ACTIVE:
        raise MatchingError(
            _("This match has ended (%(state)s).") % {"state": match.get_status_display().lower()}
        )
    zones = (match.mentor.user.time_zone, match.mentee.user.time_zone)
    if not is_past_end(match.ends_on, zones, timezone.now()):
        raise MatchingError(_("This match runs until its end date has passed for both people."))
    with transaction.atomic():
        if not complete_matches([match.pk], by=by):
            match.refresh_from_db()
            raise MatchingError(
                _("This match has ended (%(state)s).")
                % {"state": match.get_status_display().lower()}
            )
        transaction.on_commit(lambda: emails.send_match_completed(match.pk))
    match.refresh_from_db()
    return match


def complete_due_matches(now: datetime | None = None) -> list[int]:
    """Complete every match whose end date has passed for both people; return their ids."""
    return complete_matches(due_match_ids(now), now=now)
