"""The end of a match: ending early and extending, by the pair or a coordinator."""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from matching import emails
from matching.models import (
    Match,
    MatchEvent,
    Side,
)
from matching.services.common import (
    MatchingError,
    State,
    _clean_text,
    _lock_participants,
)
from programs import milestones
from programs.models import ParticipantEvent
from programs.models.program import touch_pool
from programs.services.errors import require_coordinator

# --- the end of a match ------------------------------------------------------------------


def _lock_match(match: Match):
    people = _lock_participants(match.mentor_id, match.mentee_id)
    locked = (
        Match.objects.select_for_update(of=("self",))
        .select_related("program", "cycle", "mentor__user", "mentee__user")
        .get(pk=match.pk)
    )
    return locked, people[locked.mentor_id], people[locked.mentee_id]


def _require_match_side(match: Match, by) -> str:
    if by.pk == match.mentor.user_id:
        return Side.MENTOR
    if by.pk == match.mentee.user_id:
        return Side.MENTEE
    require_coordinator(match.program, by)
    return Side.COORDINATOR


def _match_ended_error(match: Match) -> MatchingError:
    return MatchingError(
        _("This match has ended (%(state)s).") % {"state": match.get_status_display().lower()}
    )


def end_match(match: Match, *, by, reason: str) -> Match:
    """End an active match early, as one of the pair or a coordinator, with a reason.

    Both places are freed: the mentor can take another mentee and the mentee can be
    matched again. The partner (both, when a coordinator ends it) is told by email.
    """
    reason = _clean_text(reason, Match.REASON_MAX, "reason")
    if not reason:
        raise MatchingError(_("Give a reason: the other person will read it."), field="reason")
    with transaction.atomic():
        match, mentor, mentee = _lock_match(match)
        side = _require_match_side(match, by)
        if match.status != Match.Status.ACTIVE:
            raise _match_ended_error(match)
        now = timezone.now()
        touch_pool(match.program_id)
        match.status = Match.Status.ENDED
        match.ended_at = now
        match.ended_by = by
        match.end_reason = reason
        match.save(update_fields=["status", "ended_at", "ended_by", "end_reason"])
        event = MatchEvent.objects.create(match=match, actor=by, action="ended", note=reason)
        events = []
        for person in (mentor, mentee):
            before = person.state
            person.active_matches -= 1
            if person.state == State.MATCHED:
                person.state = State.MATCHED if person.active_matches else State.READY
            person.save(update_fields=["active_matches", "state", "updated_at"])
            events.append(
                ParticipantEvent(
                    participant=person,
                    actor=by,
                    action="match_ended",
                    from_state=before,
                    to_state=person.state,
                    note=reason,
                    created_at=now,
                )
            )
        milestones.record(events)
        transaction.on_commit(
            lambda: emails.send_match_changed(match.pk, side=side, event_id=event.pk)
        )
    return match


def extend_match(match: Match, *, by, ends_on, reason: str = "") -> Match:
    """Move an active match's end date later, up to the program's maximum extension."""
    reason = _clean_text(reason, Match.REASON_MAX, "reason")
    with transaction.atomic():
        match, _mentor, _mentee = _lock_match(match)
        require_coordinator(match.program, by)
        if match.status != Match.Status.ACTIVE:
            raise _match_ended_error(match)
        latest = match.latest_end_date()
        if ends_on is None or ends_on <= match.ends_on:
            raise MatchingError(
                _("Choose a date after the current end, %(date)s.")
                % {"date": date_format(match.ends_on, "DATE_FORMAT")},
                field="ends_on",
            )
        if ends_on > latest:
            raise MatchingError(
                _("This program allows extensions up to %(date)s.")
                % {"date": date_format(latest, "DATE_FORMAT")},
                field="ends_on",
            )
        before = match.ends_on
        match.ends_on = ends_on
        match.save(update_fields=["ends_on"])
        event = MatchEvent.objects.create(
            match=match,
            actor=by,
            action="extended",
            note=f"{before.isoformat()} → {ends_on.isoformat()}"
            + (f"\n{reason}" if reason else ""),
        )
        transaction.on_commit(
            lambda: emails.send_match_changed(match.pk, side=Side.COORDINATOR, event_id=event.pk)
        )
    return match
