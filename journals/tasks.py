"""The workspace's clock: meeting reminders, weekly prompts, journal nudges, review
reminders and quiet-pair alerts.

Each periodic task scans with one query (plus a constant few) for what is due and not
sent yet, then fans out one small task per id. The small task loads its row again under
the condition that makes the work due, returns if it no longer holds, and sends through
`notify`, whose unique log sends each notice once: running a scan twice, two workers
racing, or a worker killed halfway sends nothing twice.
"""

from datetime import time

from celery import shared_task
from django.db.models import BooleanField, CharField, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from journals.emails import journal as journal_emails
from journals.emails import meetings as meeting_emails
from journals.emails import workspace as workspace_emails
from journals.models import JournalEntry, Meeting
from journals.selectors import WRITER_SIDES, quiet_pairs, with_journal_silence, writer_is_silent
from matching.models import Match, Side
from mentorship_site.notifications import services as notifications
from mentorship_site.notifications.models import Notification
from mentorship_site.notifications.services import local_now, periodic_job
from programs.models import Program, WeeklyPrompt

# Weekly prompts reach each person at this local time on the first day of the week.
PROMPT_TIME = time(8, 0)


def _some_coordinator_not_told(kind: str, model, program: str, since: str) -> Exists:
    """Return a filter: a coordinator of the row's program has no `kind` notice about the
    row created at or after the row's `since` column (the start of the current occasion)."""
    told = notifications.told(
        kind,
        model,
        about=OuterRef(OuterRef("pk")),
        recipient=OuterRef("user"),
        created_at__gte=OuterRef(OuterRef(since)),
    )
    # Only active coordinators are written to: an inactive one must not keep the row due.
    coordinators = Program.coordinators.through.objects.filter(
        program=OuterRef(program), user__is_active=True
    )
    return Exists(coordinators.filter(~Exists(told)))


def _coordinators(program):
    return list(program.coordinators.filter(is_active=True).order_by("pk"))


# --- meetings ---------------------------------------------------------------------------


def _time_occasion() -> Concat:
    """Return, in SQL, the occasion of a meeting's reminders: the time it is set for, as
    "time-" and the number of times it was moved (meeting_emails.time_occasion)."""
    return Concat(Value("time-"), Cast("time_changes", output_field=CharField()))


def _not_both_told(kind: str) -> Q:
    """Return a filter on meetings aliased with `occasion`: someone of the pair has no
    `kind` notice for the meeting's current time (so a reschedule is due again, an
    agenda change is not, and a worker killed between the two emails is finished next
    time)."""
    told = notifications.told(kind, Meeting, occasion=OuterRef("occasion"))
    return ~Exists(told.filter(recipient=OuterRef("match__mentor__user"))) | ~Exists(
        told.filter(recipient=OuterRef("match__mentee__user"))
    )


def meetings_to_remind(now=None):
    """Return the meetings due a reminder that someone of the pair has not had. One query."""
    return (
        Meeting.objects.due_for_reminder(now)
        .alias(occasion=_time_occasion())
        .filter(_not_both_told("meeting_reminder"))
    )


def meetings_to_nudge(now=None):
    """Return the meetings needing an agenda that someone of the pair was not nudged about
    (once per time the meeting is set for). One query."""
    return (
        Meeting.objects.needing_agenda(now)
        .alias(occasion=_time_occasion())
        .filter(_not_both_told("agenda_nudge"))
    )


def _load_meeting(meetings, meeting_id: int):
    return (
        meetings.select_related("match__program", "match__mentor__user", "match__mentee__user")
        .filter(pk=meeting_id)
        .first()
    )


@shared_task
def remind_meeting(meeting_id: int) -> int:
    """Remind both people of one meeting, if it is still due."""
    meeting = _load_meeting(Meeting.objects.due_for_reminder(), meeting_id)
    if meeting is None:  # cancelled, moved, over, or the match ended
        return 0
    return meeting_emails.send_meeting_reminder(meeting)


@shared_task
def nudge_agenda(meeting_id: int) -> int:
    """Ask both people to add the agenda of one meeting, if it still has none."""
    meeting = _load_meeting(Meeting.objects.needing_agenda(), meeting_id)
    if meeting is None:
        return 0
    return meeting_emails.send_agenda_nudge(meeting)


@shared_task
@periodic_job
def remind_meetings() -> int:
    """Fan out a reminder per accepted meeting starting within a day, and an agenda nudge
    per accepted meeting still without the agenda its program requires."""
    now = timezone.now()
    reminders = list(meetings_to_remind(now).values_list("pk", flat=True))
    nudges = list(meetings_to_nudge(now).values_list("pk", flat=True))
    for meeting_id in reminders:
        remind_meeting.delay(meeting_id)
    for meeting_id in nudges:
        nudge_agenda.delay(meeting_id)
    return len(reminders) + len(nudges)


# --- weekly prompts ---------------------------------------------------------------------


def prompt_week(started_on, time_zone: str, now) -> int | None:
    """Return the week of a match whose prompt is due now for a person in `time_zone`:
    the current week once 08:00 of its first day has passed there, else None.

    Only the current week: after an outage, last week's prompt is not sent late.
    """
    today = local_now(time_zone, now).date()
    days = (today - started_on).days
    if days < 0:
        return None
    week = days // 7 + 1
    first_day = started_on + timezone.timedelta(days=7 * (week - 1))
    if first_day == today and local_now(time_zone, now).time() < PROMPT_TIME:
        return None
    return week


def prompts_due(now=None) -> list[tuple[int, int, int]]:
    """Return (match id, user id, week) for each person of an active match whose week's
    prompt is due and not sent. Three queries whatever the number of matches: the active
    matches with their people's zones, the programs' prompt weeks, and the prompts sent."""
    now = now or timezone.now()
    rows = Match.objects.active().values_list(
        "pk",
        "program_id",
        "started_on",
        "mentor__user_id",
        "mentor__user__time_zone",
        "mentee__user_id",
        "mentee__user__time_zone",
    )
    candidates = []
    for match_id, program_id, started_on, *people in rows:
        for user_id, zone in (people[:2], people[2:]):
            week = prompt_week(started_on, zone, now)
            if week is not None:
                candidates.append((match_id, program_id, user_id, week))
    if not candidates:
        return []
    weeks = set(
        WeeklyPrompt.objects.filter(
            program_id__in={program_id for _m, program_id, _u, _w in candidates}
        ).values_list("program_id", "week")
    )
    candidates = [row for row in candidates if (row[1], row[3]) in weeks]
    sent = set(
        Notification.objects.filter(
            kind="weekly_prompt",
            about_type=Match._meta.label_lower,
            about_id__in={match_id for match_id, *_rest in candidates},
            occasion__in={f"week-{week}" for *_rest, week in candidates},
        ).values_list("about_id", "recipient_id", "occasion")
    )
    return [
        (match_id, user_id, week)
        for match_id, _program_id, user_id, week in candidates
        if (match_id, user_id, f"week-{week}") not in sent
    ]


@shared_task
def send_weekly_prompt(match_id: int, user_id: int, week: int) -> bool:
    """Send one person the prompt of `week`, if it is still that week's prompt they are due."""
    match = Match.objects.active().with_people().filter(pk=match_id).first()
    if match is None:
        return False
    person = next((p.user for p in (match.mentor, match.mentee) if p.user_id == user_id), None)
    if person is None or prompt_week(match.started_on, person.time_zone, timezone.now()) != week:
        return False
    prompt = WeeklyPrompt.objects.filter(program_id=match.program_id, week=week).first()
    if prompt is None:
        return False
    return workspace_emails.send_weekly_prompt(match, person, prompt)


@shared_task
@periodic_job
def send_weekly_prompts() -> int:
    """Fan out the week's prompt to each person whose week has begun (08:00 their time)."""
    due = prompts_due()
    for match_id, user_id, week in due:
        send_weekly_prompt.delay(match_id, user_id, week)
    return len(due)


# --- journal nudges ---------------------------------------------------------------------


def _writer_not_nudged(side: str) -> Q:
    nudged = notifications.told(
        "journal_nudge",
        Match,
        recipient=OuterRef(f"{side}__user"),
        created_at__gte=OuterRef(f"{side}_silent_since"),
    )
    return ~Exists(nudged)


def writers_to_nudge(now=None) -> list[tuple[int, str]]:
    """Return (match id, side) for each silent journal writer not nudged in this silence.
    One query whatever the number of matches."""
    now = now or timezone.now()
    due = {side: writer_is_silent(side, now) & _writer_not_nudged(side) for side in WRITER_SIDES}
    rows = (
        with_journal_silence(Match.objects.active())
        .filter(due[Side.MENTOR] | due[Side.MENTEE])
        .annotate(
            **{
                f"{side}_due": ExpressionWrapper(due[side], output_field=BooleanField())
                for side in WRITER_SIDES
            }
        )
        .values_list("pk", *(f"{side}_due" for side in WRITER_SIDES))
    )
    return [
        (match_id, str(side))
        for match_id, *flags in rows
        for side, flag in zip(WRITER_SIDES, flags, strict=True)
        if flag
    ]


@shared_task
def nudge_journal_writer(match_id: int, side: str) -> bool:
    """Nudge the writer on `side` of one match, if they are still silent."""
    now = timezone.now()
    match = (
        with_journal_silence(Match.objects.active().with_people())
        .filter(writer_is_silent(side, now), pk=match_id)
        .first()
    )
    if match is None:  # wrote meanwhile, the match ended, or the setting changed
        return False
    writer = getattr(match, side).user
    silent_since = getattr(match, f"{side}_silent_since")
    return journal_emails.send_journal_nudge(match, writer, silent_since=silent_since, now=now)


@shared_task
@periodic_job
def nudge_journals() -> int:
    """Fan out a nudge to each journal writer silent for their program's setting."""
    due = writers_to_nudge()
    for match_id, side in due:
        nudge_journal_writer.delay(match_id, side)
    return len(due)


# --- review reminders -------------------------------------------------------------------


def entries_to_remind(now=None):
    """Return the entries overdue for review that a coordinator of their program has not
    been reminded of since they were (last) submitted. One query."""
    return JournalEntry.objects.overdue_for_review(now).filter(
        _some_coordinator_not_told(
            "review_reminder", JournalEntry, "match__program", "submitted_at"
        )
    )


@shared_task
def remind_review(entry_id: int) -> int:
    """Remind each coordinator of the entry's program that it waits for review."""
    entry = (
        JournalEntry.objects.overdue_for_review()
        .select_related("author__user", "match__program", "match__mentor__user")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:  # reviewed meanwhile, or the setting changed
        return 0
    now = timezone.now()
    return sum(
        journal_emails.send_review_reminder(entry, coordinator, now=now)
        for coordinator in _coordinators(entry.match.program)
    )


@shared_task
@periodic_job
def remind_reviews() -> int:
    """Fan out a reminder per entry waiting for review longer than its program's setting."""
    due = list(entries_to_remind().values_list("pk", flat=True))
    for entry_id in due:
        remind_review.delay(entry_id)
    return len(due)


# --- quiet pairs ------------------------------------------------------------------------


def pairs_to_flag(now=None):
    """Return the quiet pairs that a coordinator of their program has not been told of in
    this quiet spell (a spell starts at the pair's last activity). One query."""
    return quiet_pairs(now=now).filter(
        _some_coordinator_not_told("quiet_pair", Match, "program", "last_activity_at")
    )


@shared_task
def flag_quiet_pair(match_id: int) -> int:
    """Tell each coordinator of the pair's program that the pair has gone quiet."""
    match = quiet_pairs(Match.objects.with_people()).filter(pk=match_id).first()
    if match is None:  # active again, ended, or the setting changed
        return 0
    now = timezone.now()
    return sum(
        workspace_emails.send_quiet_pair(match, coordinator, now=now)
        for coordinator in _coordinators(match.program)
    )


@shared_task
@periodic_job
def flag_quiet_pairs() -> int:
    """Fan out an alert per pair quiet for longer than its program's setting."""
    due = list(pairs_to_flag().values_list("pk", flat=True))
    for match_id in due:
        flag_quiet_pair.delay(match_id)
    return len(due)
