"""Meetings of a pair: proposed by one, answered by the other, marked held or missed after.

Times arrive as the wall-clock time a person typed plus their time zone, and are stored
in UTC. Each change locks the meeting's row, re-checks its state, and tells the other
person by email after commit, with a calendar invitation attached.
"""

import zoneinfo
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from journals import access, tallies
from journals.emails import meetings as emails
from journals.errors import JournalError
from journals.hours import refresh_pair_minutes
from journals.models import JournalEntry, Meeting
from journals.services.activity import record_activity
from mentorship_site.accounts.models import known_time_zones

Status = Meeting.Status
OPEN_STATES = (Status.PROPOSED, Status.ACCEPTED)
HELD_MINUTES_MIN, HELD_MINUTES_MAX = 5, 600
REASON_MAX = 1000
PLACE_MAX = 200
VIDEO_URL_MAX = 500

_http_url = URLValidator(schemes=["http", "https"])


# --- times ------------------------------------------------------------------------------


def to_utc(starts_at_local: datetime, time_zone: str) -> datetime:
    """Return the UTC instant of a wall-clock time in `time_zone`.

    A time skipped when the clocks go forward is refused; a time that happens twice when
    they go back is read as the first of the two (fold=0), as most calendars do.
    """
    if time_zone not in known_time_zones():
        raise JournalError(
            _("%(zone)s is not a known time zone.") % {"zone": time_zone}, field="time_zone"
        )
    zone = zoneinfo.ZoneInfo(time_zone)
    local = starts_at_local.replace(tzinfo=zone, fold=0)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != starts_at_local.replace(tzinfo=None):
        raise JournalError(
            _(
                "%(time)s does not exist in %(zone)s that day: the clocks change. "
                "Choose a time an hour later or earlier."
            )
            % {"time": starts_at_local.strftime("%H:%M"), "zone": time_zone},
            field="time",
        )
    return instant


def _check_time(starts_at: datetime, duration: int) -> None:
    if starts_at <= timezone.now():
        raise JournalError(_("This time has passed: choose a time in the future."), field="date")
    if not Meeting.DURATION_MIN <= duration <= Meeting.DURATION_MAX:
        raise JournalError(
            _("A meeting lasts between %(low)d and %(high)d minutes.")
            % {"low": Meeting.DURATION_MIN, "high": Meeting.DURATION_MAX},
            field="duration",
        )


def _check_agenda(program, starts_at: datetime, agenda: str) -> None:
    """Refuse a meeting without an agenda when it starts within the program's notice."""
    hours = program.agenda_required_hours
    if len(agenda) > Meeting.AGENDA_MAX:
        raise JournalError(
            _("Keep the agenda under %(limit)d characters.") % {"limit": Meeting.AGENDA_MAX},
            field="agenda",
        )
    if hours and not agenda.strip() and starts_at - timezone.now() < timedelta(hours=hours):
        raise JournalError(
            ngettext(
                "The program asks for an agenda %(hours)d hour before a meeting.",
                "The program asks for an agenda %(hours)d hours before a meeting.",
                hours,
            )
            % {"hours": hours},
            field="agenda",
        )


def _check_where(video_url: str, place: str) -> None:
    if video_url:
        try:
            _http_url(video_url)
        except ValidationError:
            raise JournalError(
                _("Enter a video link starting with https:// or http://."), field="video_url"
            ) from None
        if len(video_url) > VIDEO_URL_MAX:
            raise JournalError(_("This video link is too long."), field="video_url")
    if len(place) > PLACE_MAX:
        raise JournalError(
            _("Keep the place under %(limit)d characters.") % {"limit": PLACE_MAX}, field="place"
        )
    if not video_url and not place:
        raise JournalError(_("Give a video link or a place to meet (or both)."), field="place")


# --- helpers ----------------------------------------------------------------------------


def _lock(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("match__program", "match__mentor__user", "match__mentee__user")
        .get(pk=meeting.pk)
    )


def _state_error(meeting: Meeting) -> JournalError:
    return JournalError(
        _("This meeting is %(state)s: it can no longer be changed this way.")
        % {"state": meeting.get_status_display().lower()}
    )


def _require_open(meeting: Meeting, *, before_start: bool = True) -> None:
    if meeting.status not in OPEN_STATES:
        raise _state_error(meeting)
    if before_start and meeting.starts_at <= timezone.now():
        raise JournalError(
            _("This meeting has started: mark it held or missed instead."),
        )


def _partner_of(meeting: Meeting, user):
    match = meeting.match
    return match.mentee.user if user.pk == match.mentor.user_id else match.mentor.user


def _notify(meeting: Meeting, by, send) -> None:
    """Tell the other person of the pair, once the change is committed."""
    recipient_id = _partner_of(meeting, by).pk
    transaction.on_commit(lambda: send(meeting.pk, recipient_id=recipient_id))


def _changeable(meeting: Meeting, by) -> Meeting:
    """Lock the meeting and refuse anyone but the pair, and an ended match."""
    meeting = _lock(meeting)
    access.require_active(meeting.match)
    access.require_participant(meeting.match, by)
    return meeting


# --- changes ----------------------------------------------------------------------------


def propose_meeting(
    match,
    *,
    by,
    starts_at_local: datetime,
    time_zone: str,
    duration: int,
    agenda: str = "",
    video_url: str = "",
    place: str = "",
) -> Meeting:
    """Propose a meeting at a wall-clock time in the proposer's `time_zone`."""
    access.require_active(match)
    access.require_participant(match, by)
    agenda, video_url, place = agenda.strip(), video_url.strip(), place.strip()
    starts_at = to_utc(starts_at_local, time_zone)
    _check_time(starts_at, duration)
    _check_agenda(match.program, starts_at, agenda)
    _check_where(video_url, place)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            match=match,
            proposed_by=by,
            starts_at=starts_at,
            duration=duration,
            time_zone=time_zone,
            agenda=agenda,
            video_url=video_url,
            place=place,
        )
        tallies.count_change(match, tallies.Counts(), tallies.of_meeting(meeting))
        record_activity(match)
        _notify(meeting, by, emails.send_meeting_proposed)
    return meeting


def accept_meeting(meeting: Meeting, *, by) -> Meeting:
    """Accept the proposed time: only the person who did not propose it can."""
    with transaction.atomic():
        meeting = _changeable(meeting, by)
        _require_open(meeting)
        if meeting.status != Status.PROPOSED:
            raise _state_error(meeting)
        if meeting.proposed_by_id == by.pk:
            raise JournalError(_("You proposed this time: the other person answers."))
        meeting.status = Status.ACCEPTED
        meeting.sequence += 1
        meeting.save(update_fields=["status", "sequence", "updated_at"])
        record_activity(meeting.match)
        _notify(meeting, by, emails.send_meeting_accepted)
    return meeting


def decline_meeting(meeting: Meeting, *, by, reason: str = "") -> Meeting:
    """Decline the proposed time; the meeting will not happen (propose another to move it)."""
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise JournalError(
            _("Keep the reason under %(limit)d characters.") % {"limit": REASON_MAX},
            field="reason",
        )
    with transaction.atomic():
        meeting = _changeable(meeting, by)
        if meeting.status != Status.PROPOSED:
            raise _state_error(meeting)
        if meeting.proposed_by_id == by.pk:
            raise JournalError(
                _("You proposed this time: cancel the meeting or propose another time.")
            )
        meeting.status = Status.DECLINED
        meeting.reason = reason
        meeting.sequence += 1
        meeting.save(update_fields=["status", "reason", "sequence", "updated_at"])
        _notify(meeting, by, emails.send_meeting_declined)
    return meeting


def reschedule_meeting(
    meeting: Meeting, *, by, starts_at_local: datetime, time_zone: str, duration=None
) -> Meeting:
    """Propose another time for a meeting; the other person answers it."""
    with transaction.atomic():
        meeting = _changeable(meeting, by)
        _require_open(meeting)
        duration = duration or meeting.duration
        starts_at = to_utc(starts_at_local, time_zone)
        if starts_at == meeting.starts_at:
            raise JournalError(
                _("This is the current time of the meeting: choose a new time."), field="time"
            )
        _check_time(starts_at, duration)
        _check_agenda(meeting.match.program, starts_at, meeting.agenda)
        meeting.starts_at = starts_at
        meeting.time_zone = time_zone
        meeting.duration = duration
        meeting.proposed_by = by
        meeting.status = Status.PROPOSED
        meeting.sequence += 1
        meeting.time_changes += 1
        meeting.save(
            update_fields=[
                "starts_at",
                "time_zone",
                "duration",
                "proposed_by",
                "status",
                "sequence",
                "time_changes",
                "updated_at",
            ]
        )
        _notify(meeting, by, emails.send_meeting_rescheduled)
    return meeting


def cancel_meeting(meeting: Meeting, *, by, reason: str) -> Meeting:
    """Cancel a meeting that has not happened, saying why."""
    reason = reason.strip()
    if not reason:
        raise JournalError(_("Say why you cancel: the other person reads it."), field="reason")
    if len(reason) > REASON_MAX:
        raise JournalError(
            _("Keep the reason under %(limit)d characters.") % {"limit": REASON_MAX},
            field="reason",
        )
    with transaction.atomic():
        meeting = _changeable(meeting, by)
        _require_open(meeting, before_start=False)
        if meeting.ends_at <= timezone.now():
            raise JournalError(_("This meeting is over: mark it held or missed instead."))
        meeting.status = Status.CANCELLED
        meeting.reason = reason
        meeting.sequence += 1
        meeting.save(update_fields=["status", "reason", "sequence", "updated_at"])
        _notify(meeting, by, emails.send_meeting_cancelled)
    return meeting


def update_agenda(meeting: Meeting, *, by, agenda: str) -> Meeting:
    """Change the agenda of a meeting that has not started."""
    agenda = agenda.strip()
    with transaction.atomic():
        meeting = _changeable(meeting, by)
        _require_open(meeting)
        if agenda == meeting.agenda:
            raise JournalError(_("The agenda is unchanged."), field="agenda")
        _check_agenda(meeting.match.program, meeting.starts_at, agenda)
        meeting.agenda = agenda
        meeting.sequence += 1
        meeting.save(update_fields=["agenda", "sequence", "updated_at"])
        _notify(meeting, by, emails.send_meeting_agenda_changed)
    return meeting


def mark_meeting(meeting: Meeting, *, by, held: bool, minutes=None) -> Meeting:
    """Record, after its start, whether the meeting was held (and how long) or missed."""
    with transaction.atomic():
        meeting = _changeable(meeting, by)
        _require_open(meeting, before_start=False)
        counted = tallies.of_meeting(meeting)
        if meeting.starts_at > timezone.now():
            raise JournalError(_("This meeting has not started yet."))
        if held:
            minutes = minutes or meeting.duration
            if not HELD_MINUTES_MIN <= minutes <= HELD_MINUTES_MAX:
                raise JournalError(
                    _("Give the time you met, between %(low)d and %(high)d minutes.")
                    % {"low": HELD_MINUTES_MIN, "high": HELD_MINUTES_MAX},
                    field="minutes",
                )
        meeting.status = Status.HELD if held else Status.MISSED
        meeting.held_minutes = minutes if held else None
        meeting.marked_by = by
        meeting.save(update_fields=["status", "held_minutes", "marked_by", "updated_at"])
        # The match's minutes: a held meeting counts unless an entry about it does.
        refresh_pair_minutes(meeting.match_id)
        if held:  # a missed meeting is no sign of life
            record_activity(meeting.match)
        # Last, as every writer does: the match's row is locked before the tally's.
        tallies.count_change(meeting.match, counted, tallies.of_meeting(meeting))
        _notify(meeting, by, emails.send_meeting_marked)
    return meeting


# --- reads ------------------------------------------------------------------------------


def held_minutes_not_covered(match) -> int:
    """Return the minutes of held meetings that no submitted journal entry points to.

    The journal counts hours from entries; these minutes come on top, without counting a
    meeting twice.
    """
    covered = JournalEntry.objects.submitted().filter(meeting=OuterRef("pk"))
    total = (
        Meeting.objects.held()
        .filter(match=match)
        .exclude(Exists(covered))
        .aggregate(minutes=Sum("held_minutes"))["minutes"]
    )
    return total or 0
