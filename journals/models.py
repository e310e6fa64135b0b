"""The pair workspace: the mentoring agreement, messages, meetings, journal entries, reviews."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.models import Match
from programs.models import Cycle, Participant, Program

# A meeting reminder goes out this long before the meeting starts.
REMINDER_HOURS = 24


def per_program(setting: str, column: str, lookup: str, moment, unit: timedelta) -> Q:
    """Return a filter comparing `column` (with `lookup`, such as "lte") against `moment`
    shifted by the row's own program `setting` times `unit` (a negative unit looks back).

    Programs share few values of a setting, so this is one plain clause per value (one
    small query finds them): the same SQL on PostgreSQL and SQLite, where a number times
    an interval does not exist, and each clause can use the column's index.
    """
    field = setting.rsplit("__", 1)[-1]
    condition = Q(pk__in=[])
    for value in Program.objects.values_list(field, flat=True).distinct().order_by():
        condition |= Q(**{setting: value, f"{column}__{lookup}": moment + value * unit})
    return condition


class Agreement(models.Model):
    """One revision of a pair's mentoring agreement; the latest revision is the one in force.

    The person who writes a revision confirms it by writing it; it holds once the other
    side has confirmed too. Earlier revisions stay, as the agreement's history.
    """

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY = "monthly", _("Every month")
        AS_NEEDED = "as_needed", _("When needed")

    class Mode(models.TextChoices):
        VIDEO = "video", _("Video call")
        PHONE = "phone", _("Phone call")
        IN_PERSON = "in_person", _("In person")
        MIXED = "mixed", _("A mix")

    class Channel(models.TextChoices):
        MESSAGES = "messages", _("Messages on this platform")
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone or text")
        CHAT = "chat", _("A chat app")

    GOALS_MAX = 3
    GOAL_LENGTH = 300

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="agreements")
    revision = models.PositiveSmallIntegerField(default=1)
    goals = models.JSONField(_("goals"), default=list)
    frequency = models.CharField(_("how often you meet"), max_length=16, choices=Frequency.choices)
    mode = models.CharField(_("how you meet"), max_length=16, choices=Mode.choices)
    channel = models.CharField(
        _("how you keep in touch between meetings"), max_length=16, choices=Channel.choices
    )
    notes = models.TextField(_("anything else you agree on"), max_length=2000, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    mentor_confirmed_at = models.DateTimeField(null=True, blank=True)
    mentee_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["match", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "revision"], name="journals_one_agreement_per_revision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.match} (revision {self.revision})"

    @property
    def is_confirmed(self) -> bool:
        return self.mentor_confirmed_at is not None and self.mentee_confirmed_at is not None


class MessageQuerySet(models.QuerySet):
    def in_thread(self, match):
        return self.filter(match=match).select_related("author")


class Message(models.Model):
    """A message of a pair's private thread: plain text, read by the two of them only."""

    BODY_MAX = 5000

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=BODY_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # A thread's page, newest first, and unread counts since a moment.
            models.Index(fields=["match", "created_at"], name="journals_message_thread"),
        ]

    def __str__(self) -> str:
        # Never the body: it is private to the pair, even in logs and the back office.
        return f"{self.author} ({self.created_at:%Y-%m-%d %H:%M})"


class ActivityTally(models.Model):
    """What the pairs of a program (and cycle) did in one quarter of an hour, counted
    by the services as it happens (`journals.tallies`): the figures add these rows up
    instead of counting every message, meeting and journal entry.

    `slot` is the UTC instant the quarter hour starts. Every time zone's offset is a
    whole number of quarter hours, so a local midnight or the start of a local week is
    always a slot's start, and a date range or a week adds up whole slots, exactly.
    Each thing is counted in the slot of its own date: a message when it was written, a
    meeting proposed when it was proposed and held when it started, a journal entry
    (and its minutes) when it was last submitted, a review when it was given.
    """

    SLOT_MINUTES = 15

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    slot = models.DateTimeField()
    messages = models.PositiveIntegerField(default=0)
    meetings_proposed = models.PositiveIntegerField(default=0)
    meetings_held = models.PositiveIntegerField(default=0)
    # Submitted entries (reopened ones included) and the minutes they give.
    entries_submitted = models.PositiveIntegerField(default=0)
    entry_minutes = models.PositiveIntegerField(default=0)
    # Entries whose review stands (reviewed, not reopened since).
    entries_reviewed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # One row per program, cycle (or none) and slot, on every database: the
            # cycle is compared through COALESCE, as NULLs are all distinct in a plain
            # unique index. The figures' ranges read this index too.
            models.UniqueConstraint(
                F("program"),
                Coalesce(F("cycle"), Value(0), output_field=models.IntegerField()),
                F("slot"),
                name="journals_one_tally_per_slot",
            ),
        ]
        indexes = [
            # A program's (or a cycle's) activity over a date range, and by week.
            models.Index(fields=["program", "cycle", "slot"], name="journals_tally_by_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.messages} messages from {self.slot:%Y-%m-%d %H:%M}"


class ThreadVisit(models.Model):
    """When a person last read their pair's thread: unread counts are messages after it."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="thread_visits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["match", "user"], name="journals_one_visit_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.match} at {self.last_read_at:%Y-%m-%d %H:%M}"


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        """Return the proposed and accepted meetings that have not started yet."""
        return self.filter(
            status__in=[Meeting.Status.PROPOSED, Meeting.Status.ACCEPTED],
            starts_at__gte=now or timezone.now(),
        )

    def held(self):
        return self.filter(status=Meeting.Status.HELD)

    def accepted_in_active_matches(self, now):
        """Return the accepted meetings of active matches that have not started."""
        return self.filter(
            status=Meeting.Status.ACCEPTED, match__status=Match.Status.ACTIVE, starts_at__gt=now
        )

    def due_for_reminder(self, now=None):
        """Return the accepted meetings of active matches starting within the next day."""
        now = now or timezone.now()
        return self.accepted_in_active_matches(now).filter(
            starts_at__lte=now + timedelta(hours=REMINDER_HOURS)
        )

    def needing_agenda(self, now=None):
        """Return the accepted meetings without an agenda, in programs that require one,
        from a day before the program's notice until they start: time to write one."""
        now = now or timezone.now()
        return (
            self.accepted_in_active_matches(now)
            .filter(agenda="", match__program__agenda_required_hours__gt=0)
            .filter(
                per_program(
                    "match__program__agenda_required_hours",
                    "starts_at",
                    "lte",
                    now + timedelta(hours=REMINDER_HOURS),
                    timedelta(hours=1),
                )
            )
        )


class Meeting(models.Model):
    """A meeting of a pair: proposed by one, accepted by the other, held or missed after.

    Times are stored in UTC with the proposer's time zone, so each person sees them in
    their own zone. `uid` and `sequence` identify the meeting in calendars: every change
    the other person should see raises `sequence`.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")
        MISSED = "missed", _("Missed")

    DURATION_MIN, DURATION_MAX = 15, 240
    AGENDA_MAX = 3000

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    uid = models.CharField(max_length=120, unique=True, editable=False)
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="meetings")
    # Who proposed the current time; the other person answers.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration = models.PositiveSmallIntegerField(
        _("duration in minutes"),
        validators=[MinValueValidator(DURATION_MIN), MaxValueValidator(DURATION_MAX)],
    )
    time_zone = models.CharField(_("time zone"), max_length=64)
    agenda = models.TextField(_("agenda"), max_length=AGENDA_MAX, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    sequence = models.PositiveIntegerField(default=0)
    # Raised only when the meeting is moved: reminders and agenda nudges go out once per
    # time it is set for, while `sequence` also rises with an agenda change.
    time_changes = models.PositiveIntegerField(default=0, editable=False)
    reason = models.TextField(_("reason"), max_length=1000, blank=True)
    held_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gte=15, duration__lte=240),
                name="journals_meeting_duration_in_range",
            ),
            models.CheckConstraint(
                condition=Q(held_minutes__isnull=True)
                | Q(held_minutes__gte=5, held_minutes__lte=600),
                name="journals_held_minutes_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(held_minutes__isnull=False),
                name="journals_held_meetings_have_a_duration",
            ),
        ]
        indexes = [
            # A pair's next meeting, and reminders later: meetings by start time.
            models.Index(fields=["match", "starts_at"], name="journals_meeting_by_start"),
            # Reminder and agenda scans: accepted meetings starting soon.
            models.Index(
                fields=["starts_at"],
                condition=Q(status="accepted"),
                name="journals_meeting_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.match} at {self.starts_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self.uid:
            self.uid = f"{self.code}@mentorship"
        super().save(*args, **kwargs)

    @property
    def ends_at(self):
        return self.starts_at + timezone.timedelta(minutes=self.duration)


class JournalEntryQuerySet(models.QuerySet):
    def submitted(self):
        return self.exclude(status=JournalEntry.Status.DRAFT)

    def waiting_for_review(self):
        return self.filter(status=JournalEntry.Status.SUBMITTED)

    def overdue_for_review(self, now=None):
        """Return the entries waiting for review longer than their program's reminder
        setting (programs with the reminder off are left out)."""
        now = now or timezone.now()
        return self.waiting_for_review().filter(
            per_program(
                "match__program__review_reminder_days",
                "submitted_at",
                "lte",
                now,
                -timedelta(days=1),
            ),
            match__program__review_reminder_days__gt=0,
        )

    def for_review_by(self, user):
        """Return the entries of the programs `user` coordinates (all for a superuser)."""
        if user.is_superuser:
            return self
        return self.filter(match__program__coordinators=user)


class JournalEntry(models.Model):
    """What one person of a pair wrote about a session: read by the coordinator, and by the
    partner for the fields marked shared."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for review")
        REVIEWED = "reviewed", _("Reviewed")
        REOPENED = "reopened", _("Reopened for changes")

    MINUTES_MIN, MINUTES_MAX = 5, 600
    TEXT_MAX = 5000

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="journal_entries")
    author = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="journal_entries"
    )
    entry_date = models.DateField(_("date"))
    discussed = models.TextField(_("what you discussed"), max_length=TEXT_MAX, blank=True)
    next_topics = models.TextField(_("topics for next time"), max_length=TEXT_MAX, blank=True)
    minutes = models.PositiveSmallIntegerField(
        _("time spent, in minutes"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MINUTES_MIN), MaxValueValidator(MINUTES_MAX)],
    )
    observations = models.TextField(_("observations"), max_length=TEXT_MAX, blank=True)
    share_discussed = models.BooleanField(_("the partner sees what you discussed"), default=True)
    share_next_topics = models.BooleanField(
        _("the partner sees the topics for next time"), default=True
    )
    share_observations = models.BooleanField(_("the partner sees your observations"), default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # When a coordinator first reviewed (or reopened) the latest submission: set by the
    # review services, cleared when the entry is sent again (journals.reviews).
    first_reviewed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JournalEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-entry_date", "-pk"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__isnull=True) | Q(minutes__gte=5, minutes__lte=600),
                name="journals_minutes_in_range",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False, minutes__isnull=False),
                name="journals_submitted_entries_are_complete",
            ),
            models.UniqueConstraint(
                fields=["author", "meeting"],
                condition=Q(meeting__isnull=False),
                name="journals_one_entry_per_meeting_and_author",
            ),
        ]
        indexes = [
            # The review queue: submitted entries, oldest first.
            models.Index(
                fields=["submitted_at"],
                condition=Q(status="submitted"),
                name="journals_entry_review_queue",
            ),
            models.Index(fields=["match", "status"], name="journals_entry_by_match"),
            # Pair hours (journals.hours.pair_minutes): the minutes of a pair's
            # submitted entries not about a meeting, read from the index alone.
            models.Index(
                fields=["match", "minutes"],
                condition=Q(meeting__isnull=True) & ~Q(status="draft"),
                name="journals_entry_unlinked",
            ),
            # The median review time (evaluation.kpis): a program's answered entries
            # by submission date, read from the index alone.
            models.Index(
                fields=["match", "submitted_at", "first_reviewed_at"],
                condition=Q(first_reviewed_at__isnull=False),
                name="journals_entry_first_review",
            ),
            # Pair hours: the largest submitted entry about each meeting.
            models.Index(
                fields=["meeting", "minutes"],
                condition=~Q(status="draft"),
                name="journals_entry_meeting_minutes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.entry_date}"

    @property
    def is_locked(self) -> bool:
        """Submitted and reviewed entries cannot be edited (a reopened one can)."""
        return self.status in (self.Status.SUBMITTED, self.Status.REVIEWED)


class Review(models.Model):
    """A coordinator's feedback on a journal entry, or the reopening of one; all are kept."""

    class Action(models.TextChoices):
        REVIEWED = "reviewed", _("Reviewed")
        REOPENED = "reopened", _("Reopened for changes")

    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices, default=Action.REVIEWED)
    feedback = models.TextField(_("feedback"), max_length=5000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} by {self.reviewer} ({self.created_at:%Y-%m-%d})"
