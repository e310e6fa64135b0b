"""The learning journal: writing entries, and the coordinators' reviews.

Concurrency: a change to an entry locks the match row first (so an entry is never
written into a match that is ending at the same moment), then the entry. Reviews lock
the entry only: two coordinators pressing "Mark reviewed" together get one review and
one refusal naming the new state. "One entry per meeting and author" is also a
database constraint.
"""

import zoneinfo
from datetime import UTC, date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from journals import access, tallies
from journals.emails import journal as emails
from journals.errors import JournalError
from journals.hours import refresh_pair_minutes
from journals.models import JournalEntry, Meeting, Review
from journals.services.activity import record_activity
from matching.models import Match, Side

Status = JournalEntry.Status
TEXT_FIELDS = ("discussed", "next_topics", "observations")
FEEDBACK_MAX = Review._meta.get_field("feedback").max_length


def may_write(match: Match, side: str) -> bool:
    """Return whether the person on `side` writes journal entries in this match's program."""
    writers = match.program.journal_writers
    return side in (Side.MENTOR, Side.MENTEE) and writers in (side, "both")


def _writers_error(match: Match) -> JournalError:
    if match.program.journal_writers == Side.MENTOR:
        return JournalError(_("In this program, mentors write the learning journal."))
    return JournalError(_("In this program, mentees write the learning journal."))


def require_may_write(match: Match, side: str, entry: JournalEntry | None = None) -> None:
    """Refuse writing in an ended match, by someone who does not write in this program, or
    into an entry that is waiting for review or reviewed."""
    access.require_active(match)
    if side not in (Side.MENTOR, Side.MENTEE):
        raise JournalError(_("Only the two people of the match can do this."))
    if not may_write(match, side):
        raise _writers_error(match)
    if entry is not None and entry.status not in (Status.DRAFT, Status.REOPENED):
        raise _state_error(entry)


def _clean_text(text: str, limit: int, field: str) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise JournalError(
            _("Keep it under %(limit)d characters (it has %(count)d).")
            % {"limit": limit, "count": len(text)},
            field=field,
        )
    return text


def _state_error(entry: JournalEntry) -> JournalError:
    if entry.status == Status.REVIEWED:
        return JournalError(_("This entry was reviewed: it is locked."))
    if entry.status == Status.SUBMITTED:
        return JournalError(_("This entry is waiting for review: it cannot be changed now."))
    return JournalError(
        _("This entry cannot be changed: it is %(state)s.")
        % {"state": entry.get_status_display().lower()}
    )


def _check_minutes(minutes, *, required: bool) -> None:
    if minutes is None:
        if required:
            raise JournalError(_("Say how many minutes you spent."), field="minutes")
        return
    low, high = JournalEntry.MINUTES_MIN, JournalEntry.MINUTES_MAX
    if not low <= minutes <= high:
        raise JournalError(
            _("Give a time between %(low)d and %(high)d minutes.") % {"low": low, "high": high},
            field="minutes",
        )


def _zone_of(user):
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return UTC


def _check_date(match: Match, entry_date: date, author) -> None:
    """Refuse a date in the future or before the match started, both in the author's zone
    (a match that started on 26 November in UTC started on the 25th in Toronto)."""
    zone = _zone_of(author)
    if entry_date > timezone.localdate(timezone=zone):
        raise JournalError(_("The date cannot be in the future."), field="entry_date")
    started = min(match.started_on, timezone.localtime(match.started_at, zone).date())
    if entry_date < started:
        raise JournalError(
            _("The date cannot be before the match started, on %(date)s.")
            % {"date": date_format(started, "DATE_FORMAT")},
            field="entry_date",
        )


def _check_meeting(match: Match, meeting: Meeting, author, entry: JournalEntry | None) -> None:
    if meeting.match_id != match.pk or meeting.status != Meeting.Status.HELD:
        raise JournalError(_("Choose a meeting of this match that was held."), field="meeting")
    others = JournalEntry.objects.filter(author=author, meeting=meeting)
    if entry is not None:
        others = others.exclude(pk=entry.pk)
    if others.exists():
        raise JournalError(
            _("You already wrote an entry about this meeting: edit that one."), field="meeting"
        )


def save_entry(
    match: Match,
    *,
    by,
    entry: JournalEntry | None = None,
    meeting: Meeting | None = None,
    entry_date: date | None = None,
    discussed: str = "",
    next_topics: str = "",
    minutes: int | None = None,
    observations: str = "",
    share_discussed: bool = True,
    share_next_topics: bool = True,
    share_observations: bool = False,
    submit: bool = False,
) -> JournalEntry:
    """Write a new journal entry or change a draft or reopened one; `submit` sends it for
    review, which needs what was discussed, the time spent and a date that has passed."""
    texts = {
        name: _clean_text(value, JournalEntry.TEXT_MAX, name)
        for name, value in (
            ("discussed", discussed),
            ("next_topics", next_topics),
            ("observations", observations),
        )
    }
    entry_date = entry_date or timezone.localdate(timezone=_zone_of(by))
    _check_minutes(minutes, required=submit)
    if submit and not texts["discussed"]:
        raise JournalError(_("Say what you discussed."), field="discussed")
    with transaction.atomic():
        match = (
            Match.objects.select_for_update(of=("self",))
            .select_related("program", "mentor", "mentee")
            .get(pk=match.pk)
        )
        access.require_active(match)
        side = access.require_participant(match, by)
        require_may_write(match, side)
        author = match.mentor if side == Side.MENTOR else match.mentee
        if entry is None:
            entry = JournalEntry(match=match, author=author)
        else:
            entry = JournalEntry.objects.select_for_update().get(pk=entry.pk, match=match)
            if entry.author_id != author.pk:
                raise JournalError(_("Only the person who wrote this entry can change it."))
            require_may_write(match, side, entry)
        # What the entry counted in the tallies before this change.
        counted = tallies.of_entry(entry)
        if submit:
            _check_date(match, entry_date, by)
        if meeting is not None:
            _check_meeting(match, meeting, author, entry if entry.pk else None)
        entry.meeting = meeting
        entry.entry_date = entry_date
        entry.minutes = minutes
        entry.discussed = texts["discussed"]
        entry.next_topics = texts["next_topics"]
        entry.observations = texts["observations"]
        entry.share_discussed = share_discussed
        entry.share_next_topics = share_next_topics
        entry.share_observations = share_observations
        if submit:
            entry.status = Status.SUBMITTED
            entry.submitted_at = timezone.now()
            # A new submission waits for its own first review.
            entry.first_reviewed_at = None
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError as error:
            # Two saves about the same meeting at once: the constraint keeps one.
            raise JournalError(
                _("You already wrote an entry about this meeting: edit that one."),
                field="meeting",
            ) from error
        tallies.count_change(match, counted, tallies.of_entry(entry))
        # Drafts count nothing; a submitted entry, and a reopened one being edited, do.
        if entry.status != Status.DRAFT:
            refresh_pair_minutes(match.pk)
        if submit:
            record_activity(match, entry.submitted_at)
    return entry


def _lock_for_review(entry: JournalEntry, by) -> JournalEntry:
    entry = (
        JournalEntry.objects.select_for_update(of=("self",))
        .select_related("match__program")
        .get(pk=entry.pk)
    )
    if not entry.match.program.is_coordinated_by(by):
        raise JournalError(_("Only this program's coordinators can review journal entries."))
    return entry


def review_entry(entry: JournalEntry, *, by, feedback: str) -> Review:
    """Record a coordinator's feedback on a submitted entry, which locks it; tell the author.

    Entries of a match that has ended can still be reviewed: they were written in time.
    """
    feedback = _clean_text(feedback, FEEDBACK_MAX, "feedback")
    if not feedback:
        raise JournalError(_("Write a few words of feedback for the author."), field="feedback")
    with transaction.atomic():
        entry = _lock_for_review(entry, by)
        if entry.status != Status.SUBMITTED:
            raise JournalError(
                _("This entry is not waiting for review: it is %(state)s.")
                % {"state": entry.get_status_display().lower()}
            )
        now = timezone.now()
        counted = tallies.of_entry(entry)
        review = Review.objects.create(
            entry=entry, reviewer=by, action=Review.Action.REVIEWED, feedback=feedback
        )
        entry.status = Status.REVIEWED
        entry.reviewed_at = now
        entry.first_reviewed_at = entry.first_reviewed_at or review.created_at
        entry.save(update_fields=["status", "reviewed_at", "first_reviewed_at", "updated_at"])
        tallies.count_change(entry.match, counted, tallies.of_entry(entry))
        transaction.on_commit(lambda: emails.send_entry_reviewed(review.pk))
    return review


def reopen_entry(entry: JournalEntry, *, by, note: str) -> Review:
    """Give a reviewed entry back to its author for changes, saying why; tell the author."""
    note = _clean_text(note, FEEDBACK_MAX, "note")
    if not note:
        raise JournalError(_("Say what the author should change."), field="note")
    with transaction.atomic():
        entry = _lock_for_review(entry, by)
        access.require_active(entry.match)
        if entry.status != Status.REVIEWED:
            raise JournalError(
                _("Only reviewed entries can be reopened: this one is %(state)s.")
                % {"state": entry.get_status_display().lower()}
            )
        counted = tallies.of_entry(entry)
        review = Review.objects.create(
            entry=entry, reviewer=by, action=Review.Action.REOPENED, feedback=note
        )
        entry.status = Status.REOPENED
        entry.first_reviewed_at = entry.first_reviewed_at or review.created_at
        entry.save(update_fields=["status", "first_reviewed_at", "updated_at"])
        tallies.count_change(entry.match, counted, tallies.of_entry(entry))
        transaction.on_commit(lambda: emails.send_entry_reopened(review.pk))
    return review
