"""Match requests, matches, their audit trail, and auto-match runs."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mentorship_site.notifications import services as notifications
from programs.models import Cycle, Participant, Program


class Side(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")
    COORDINATOR = "coordinator", _("Coordinator")


class Source(models.TextChoices):
    PARTICIPANT = "participant", _("Asked by a participant")
    COORDINATOR = "coordinator", _("Proposed by a coordinator")
    AUTOMATCH = "automatch", _("Proposed by auto-match")


# Why the platform closed a request or what it recorded, stored as a code and put into
# words when shown, in the reader's language.
CLOSE_CODES = {
    "mentee_matched": _("The mentee started a match with someone else."),
    "mentor_full": _("The mentor has no free places left."),
    "paused:mentor": _("%(mentor)s paused their participation."),
    "paused:mentee": _("%(mentee)s paused their participation."),
    "withdrawn:mentor": _("%(mentor)s left the program."),
    "withdrawn:mentee": _("%(mentee)s left the program."),
    "match_started": _("The match started."),
}


# A reminder goes out when the reply window closes within this, or within half the
# window if that is shorter.
REMINDER_LEAD = timedelta(hours=48)


def _someone_not_told(kind: str, *, occasion: str = "", awaiting: bool = True) -> Q:
    """Return a filter on requests: a side (one still to answer, when `awaiting`) has no
    `kind` notice on `occasion`, so a run stopped between two emails is finished later."""
    told = notifications.told(kind, MatchRequest, occasion=occasion)
    mentor = ~Exists(told.filter(recipient=OuterRef("mentor_user")))
    mentee = ~Exists(told.filter(recipient=OuterRef("mentee_user")))
    if awaiting:
        mentor &= Q(mentor_approved_at=None)
        mentee &= Q(mentee_approved_at=None)
    return mentor | mentee


class PairQuerySet(models.QuerySet):
    """Read rules shared by requests and matches: both join one mentor and one mentee."""

    def involving(self, user):
        """Return the rows where `user` is the mentor or the mentee."""
        return self.filter(Q(mentor__user=user) | Q(mentee__user=user))

    def of_participant(self, participant):
        if participant.is_mentor:
            return self.filter(mentor=participant)
        return self.filter(mentee=participant)


class MatchRequestQuerySet(PairQuerySet):
    def pending(self):
        return self.filter(status=MatchRequest.Status.PENDING)

    def awaiting(self, participant):
        """Return the pending requests waiting for `participant`'s answer."""
        side = "mentor" if participant.is_mentor else "mentee"
        return self.pending().filter(**{side: participant, f"{side}_approved_at": None})

    def sent_by(self, participant):
        """Return the requests `participant` asked for (their side approved from the start)."""
        side = "mentor" if participant.is_mentor else "mentee"
        return self.filter(**{side: participant, "source": Source.PARTICIPANT, "sender": side})

    def with_people(self):
        return self.select_related(
            "program", "cycle", "mentor__user", "mentee__user", "match", "sent_by"
        )

    def awaiting_expiry_notice(self, since):
        """Return the requests expired since `since` whose people were not all told (a
        worker stopped between the expiry's commit and its emails)."""
        return self.filter(status=MatchRequest.Status.EXPIRED, closed_at__gte=since).filter(
            _someone_not_told("request_closed", occasion="expired", awaiting=False)
        )

    def due_to_expire(self, now=None):
        return self.pending().filter(reply_due_at__lte=now or timezone.now())

    def in_reminder_window(self, now=None):
        """Return the pending requests whose reply window closes within min(48 hours, half
        the window): still open, and at most as much time left as has already gone by."""
        now = now or timezone.now()
        return (
            self.pending()
            .filter(reply_due_at__gt=now, reply_due_at__lte=now + REMINDER_LEAD)
            .alias(
                remaining=ExpressionWrapper(F("reply_due_at") - Value(now), DurationField()),
                elapsed=ExpressionWrapper(Value(now) - F("created_at"), DurationField()),
            )
            .filter(remaining__lte=F("elapsed"))
        )

    def due_for_reminder(self, now=None):
        """Return the requests to remind now: in the reminder window and not reminded yet.
        One query, served by matching_request_pending_due and notifications_by_kind."""
        return self.in_reminder_window(now).filter(_someone_not_told("request_reminder"))


class MatchRequest(models.Model):
    """One side's wish to work with the other; a match starts when both have approved.

    A participant's request is approved by its sender from the start and waits for
    the receiver. A coordinator's or auto-match's proposal waits for both sides.
    Terminal states are final: asking again makes a new request.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        APPROVED = "approved", _("Approved: the match started")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("match request", "Withdrawn")
        EXPIRED = "expired", _("Expired")
        SUPERSEDED = "superseded", _("Closed by the platform")
        CLOSED = "closed", _("Closed by a coordinator")

    TERMINAL = frozenset(Status.values) - {Status.PENDING}
    MESSAGE_MAX = 1000
    REASON_MAX = 1000

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="match_requests")
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="match_requests", null=True, blank=True
    )
    mentor = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    mentee = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    # The two people, kept here so the database itself refuses a request to oneself.
    mentor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    mentee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.PARTICIPANT)
    sender = models.CharField(max_length=16, choices=Side.choices)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(_("message"), max_length=MESSAGE_MAX, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    mentor_approved_at = models.DateTimeField(null=True, blank=True)
    mentee_approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)
    reply_due_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The decline reason or the coordinator's reason, as they wrote it.
    close_reason = models.TextField(max_length=REASON_MAX, blank=True)
    # Why the platform closed it (superseded): a key of CLOSE_CODES.
    close_code = models.CharField(max_length=24, blank=True)
    # The score when the request was made, so the KPIs can compare it with outcomes.
    score = models.FloatField(null=True, blank=True)

    objects = MatchRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("match request")
        verbose_name_plural = _("match requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor_user=F("mentee_user")), name="matching_no_request_to_oneself"
            ),
            models.UniqueConstraint(
                fields=["mentor", "mentee"],
                condition=Q(status="pending"),
                name="matching_one_pending_request_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(closed_at__isnull=False),
                name="matching_closed_requests_have_a_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(mentor_approved_at__isnull=False, mentee_approved_at__isnull=False),
                name="matching_approved_by_both",
            ),
        ]
        indexes = [
            # The expiry scan: pending requests by due date.
            models.Index(
                fields=["reply_due_at"],
                condition=Q(status="pending"),
                name="matching_request_pending_due",
            ),
            # Inboxes and demand counts: pending requests of one mentor or one mentee.
            models.Index(fields=["mentor", "status"], name="matching_request_mentor"),
            models.Index(fields=["mentee", "status"], name="matching_request_mentee"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee_user} → {self.mentor_user} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_proposal(self) -> bool:
        return self.source != Source.PARTICIPANT

    @property
    def reason(self) -> str:
        """Return why the request was closed, in words: what a person wrote, or the
        platform's reason in the current language."""
        if self.close_reason:
            return self.close_reason
        return describe_code(self.close_code, self)

    def side_of(self, user) -> str | None:
        """Return "mentor" or "mentee" for a participant of the request, else None."""
        if user.pk == self.mentor_user_id:
            return Side.MENTOR
        if user.pk == self.mentee_user_id:
            return Side.MENTEE
        return None

    def approved_by(self, side: str) -> bool:
        return getattr(self, f"{side}_approved_at") is not None

    def awaits(self, side: str) -> bool:
        """Return whether `side` still has to answer this pending request."""
        return self.is_pending and side in (Side.MENTOR, Side.MENTEE) and not self.approved_by(side)


def describe_code(code: str, request) -> str:
    """Return the words for a CLOSE_CODES key about `request`, or "" for anything else."""
    text = CLOSE_CODES.get(code)
    if text is None:
        return ""
    return str(text) % {
        "mentor": request.mentor_user.display_name,
        "mentee": request.mentee_user.display_name,
    }


class RequestEvent(models.Model):
    """What happened to a request, by whom and why."""

    request = models.ForeignKey(MatchRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=24)
    note = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} ({self.created_at:%Y-%m-%d})"

    @property
    def text(self) -> str:
        """Return the note as people read it: their own words, or the platform's, translated."""
        if self.note in CLOSE_CODES:
            return describe_code(self.note, self.request)
        return self.note


class MatchQuerySet(PairQuerySet):
    def active(self):
        return self.filter(status=Match.Status.ACTIVE)

    def with_people(self):
        return self.select_related("program", "cycle", "mentor__user", "mentee__user")

    def ending_by(self, day):
        """Return the active matches whose end date is `day` or earlier (served by
        matching_match_active_end): the candidates for completion."""
        return self.active().filter(ends_on__lte=day)

    def awaiting_completion_notice(self, since):
        """Return the matches completed since `since` whose people were not yet told."""
        told = notifications.told("match_completed", Match)
        return self.filter(status=Match.Status.COMPLETED, ended_at__gte=since).filter(
            ~Exists(told.filter(recipient=OuterRef("mentor__user")))
            | ~Exists(told.filter(recipient=OuterRef("mentee__user")))
        )


class Match(models.Model):
    """A mentor and a mentee working together for one cycle."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        ENDED = "ended", _("Ended early")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="matches")
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="matches", null=True, blank=True
    )
    mentor = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    mentee = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    request = models.OneToOneField(
        MatchRequest, on_delete=models.PROTECT, related_name="match", null=True, blank=True
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.PARTICIPANT)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    score = models.FloatField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    started_on = models.DateField()
    ends_on = models.DateField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_reason = models.TextField(max_length=2000, blank=True)
    # The pair's latest message, meeting or journal entry (the start until then): quiet
    # pairs are found by this column alone.
    last_activity_at = models.DateTimeField(default=timezone.now)
    # The pair's mentoring minutes by the rule of journals.hours, stored again by every
    # journal and meeting service that changes them: the figures add this column up.
    minutes_logged = models.PositiveIntegerField(default=0)
    # Both must ask before a finished pair may be matched again in the same program.
    mentor_asks_again = models.BooleanField(default=False)
    mentee_asks_again = models.BooleanField(default=False)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status="active"),
                name="matching_one_active_match_per_mentee",
            ),
            models.UniqueConstraint(
                fields=["mentor", "mentee"],
                condition=Q(status="active"),
                name="matching_one_active_match_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("started_on")), name="matching_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(ended_at__isnull=False),
                name="matching_finished_matches_have_an_end",
            ),
        ]
        indexes = [
            # Completion scan: active matches by end date.
            models.Index(
                fields=["ends_on"], condition=Q(status="active"), name="matching_match_active_end"
            ),
            # Completion-notice and end-survey scans: finished matches by when they ended.
            models.Index(
                fields=["ended_at"],
                condition=Q(status__in=["completed", "ended"]),
                name="matching_match_finished",
            ),
            # Quiet-pair scan: active matches by their latest activity.
            models.Index(
                fields=["last_activity_at"],
                condition=Q(status="active"),
                name="matching_match_active_quiet",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor.user} & {self.mentee.user}"

    REASON_MAX = 2000

    @staticmethod
    def end_date(program: Program, started_on):
        """Return the day a match started on `started_on` ends: the cycle length later."""
        return started_on + timedelta(weeks=program.cycle_weeks)

    def latest_end_date(self):
        """Return the latest end date an extension may give: the program's maximum."""
        return Match.end_date(self.program, self.started_on) + timedelta(
            weeks=self.program.max_extension_weeks
        )

    def week_of(self, day) -> int:
        """Return the week of the match `day` falls in, from 1 to the cycle length."""
        week = (day - self.started_on).days // 7 + 1
        return max(1, min(week, max(self.program.cycle_weeks, 1)))

    def partner_of(self, user):
        return self.mentee if user.pk == self.mentor.user_id else self.mentor


class MatchEvent(models.Model):
    """What happened to a match after it started (ended early, extended), by whom and why."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=24)
    note = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} ({self.created_at:%Y-%m-%d})"


class AutoMatchRun(models.Model):
    """One auto-match computation for a cycle's pool, its result, and its proposals."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready to review")
        FAILED = "failed", _("Failed")
        SENT = "sent", _("Proposals sent")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="automatch_runs")
    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="automatch_runs", null=True, blank=True
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=80, blank=True)
    # {"pairs": [{"mentee": id, "mentor": id, "score": float}], "figures": {...}}
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="matching_progress_is_a_percentage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} ({self.created_at:%Y-%m-%d %H:%M})"
