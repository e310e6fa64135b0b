import uuid
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A window "closes on" a date when that date has ended everywhere on earth: the last
# time zone to finish a day is UTC-12, so the day ends at 12:00 UTC the next day.
LAST_TIME_ZONE_OFFSET = timedelta(hours=12)


def end_of_day_anywhere(day: date) -> datetime:
    """Return the instant `day` is over in every time zone."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC) + (LAST_TIME_ZONE_OFFSET)


def start_of_day_anywhere(day: date) -> datetime:
    """Return the instant `day` has begun somewhere (UTC+14)."""
    return datetime.combine(day, time(0), tzinfo=UTC) - timedelta(hours=14)


class Role(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


class ProgramQuerySet(models.QuerySet):
    def coordinated_by(self, user):
        """Return the programs `user` coordinates (all of them for a superuser)."""
        if user.is_superuser:
            return self
        return self.filter(coordinators=user)

    def visible_to_staff(self, user):
        """Return the programs `user` may read as coordinator, staff viewer or admin."""
        if user.is_superuser or getattr(user, "is_staff_viewer", False):
            return self
        return self.filter(coordinators=user)

    def joinable(self):
        return self.filter(status__in=[Program.Status.OPEN, Program.Status.RUNNING])


class Program(models.Model):
    """A mentoring program an organization runs, cycle after cycle."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for enrolment")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    class EnrolmentMode(models.TextChoices):
        OPEN_LINK = "open", _("Anyone with the link")
        INVITATION = "invitation", _("Invitation only")
        APPLICATION = "application", _("Application approved by a coordinator")

    class Initiator(models.TextChoices):
        MENTEES = "mentees", _("Mentees")
        MENTORS = "mentors", _("Mentors")
        BOTH = "both", _("Both")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    join_code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    objectives = models.TextField(
        _("objectives"),
        max_length=5000,
        blank=True,
        help_text=_("The goals your organization sets for the program, one per line."),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="coordinated_programs",
        verbose_name=_("coordinators"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    cycle_weeks = models.PositiveSmallIntegerField(
        _("cycle length in weeks"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    hours_target = models.PositiveSmallIntegerField(
        _("hours of mentoring per pair"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), default=18, validators=[MinValueValidator(13), MaxValueValidator(99)]
    )
    enrolment_mode = models.CharField(
        _("how people join"),
        max_length=16,
        choices=EnrolmentMode.choices,
        default=EnrolmentMode.INVITATION,
    )
    request_initiator = models.CharField(
        _("who may ask for a match"),
        max_length=16,
        choices=Initiator.choices,
        default=Initiator.MENTEES,
    )
    max_open_requests = models.PositiveSmallIntegerField(
        _("open requests per person"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    reply_window_days = models.PositiveSmallIntegerField(
        _("days to answer a request"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    default_mentor_capacity = models.PositiveSmallIntegerField(
        _("mentees per mentor (default)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    max_mentor_capacity = models.PositiveSmallIntegerField(
        _("mentees per mentor (maximum)"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    allow_dual_role = models.BooleanField(
        _("one person may be both mentor and mentee"), default=False
    )
    avoid_same_team = models.BooleanField(
        _("never pair people from the same team"),
        default=False,
        help_text=_("Matching leaves out a mentor and a mentee of the same department or team."),
    )
    journal_writers = models.CharField(
        _("who writes the learning journal"),
        max_length=8,
        choices=[("mentor", _("Mentors")), ("mentee", _("Mentees")), ("both", _("Both"))],
        default="both",
    )
    agenda_required_hours = models.PositiveSmallIntegerField(
        _("agenda required before a meeting (hours)"),
        default=24,
        validators=[MaxValueValidator(168)],
        help_text=_("0: an agenda is welcome but not required."),
    )
    max_extension_weeks = models.PositiveSmallIntegerField(
        _("a match can be extended by up to (weeks)"),
        default=4,
        validators=[MaxValueValidator(26)],
    )
    journal_nudge_days = models.PositiveSmallIntegerField(
        _("remind journal writers after (days without an entry)"),
        default=14,
        validators=[MaxValueValidator(90)],
        help_text=_("0: no reminders."),
    )
    review_reminder_days = models.PositiveSmallIntegerField(
        _("remind coordinators of entries waiting for review after (days)"),
        default=7,
        validators=[MaxValueValidator(90)],
        help_text=_("0: no reminders."),
    )
    quiet_days = models.PositiveSmallIntegerField(
        _("flag a pair as at risk after (days without activity)"),
        default=21,
        validators=[MaxValueValidator(90)],
        help_text=_("No message, meeting or journal entry for this long. 0: never flag."),
    )
    languages = models.JSONField(
        _("languages offered"),
        default=list,
        blank=True,
        help_text=_("Language codes, such as en or fr."),
    )
    target_mentors = models.PositiveIntegerField(_("target: mentors"), default=0)
    target_mentees = models.PositiveIntegerField(_("target: mentees"), default=0)
    target_match_rate = models.PositiveSmallIntegerField(
        _("target: share of mentees matched (%)"), default=80, validators=[MaxValueValidator(100)]
    )
    target_average_hours = models.DecimalField(
        _("target: average hours per pair"), max_digits=5, decimal_places=1, default=10
    )
    target_satisfaction = models.DecimalField(
        _("target: satisfaction (1 to 5)"),
        max_digits=3,
        decimal_places=1,
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Raised whenever something matching reads changes (answers, readiness, capacity,
    # matches): cached score tables carry the version they were computed at.
    pool_version = models.PositiveIntegerField(default=0, editable=False)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=Q(default_mentor_capacity__lte=models.F("max_mentor_capacity")),
                name="programs_default_capacity_within_maximum",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_coordinated_by(self, user) -> bool:
        """Return whether `user` may manage this program (its coordinators, and admins)."""
        return user.is_superuser or self.coordinators.filter(pk=user.pk).exists()

    def clean(self) -> None:
        default, maximum = self.default_mentor_capacity, self.max_mentor_capacity
        if default and maximum and default > maximum:
            raise ValidationError(
                {"default_mentor_capacity": _("The default cannot be above the maximum.")}
            )

    @property
    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    def touch_pool(self) -> None:
        """Mark the program's matching pool as changed, so cached scores are recomputed."""
        touch_pool(self.pk)

    def enrolling_cycle(self, now=None):
        """Return the cycle taking enrolments at `now` (the one closing first), or None."""
        now = now or timezone.now()
        open_cycles = [c for c in self.cycles.all() if c.enrolment_is_open(now)]
        return min(open_cycles, key=lambda c: c.enrolment_closes_on, default=None)


def touch_pool(program_id: int) -> None:
    """Raise the pool version of a program (one UPDATE, safe inside any transaction)."""
    Program.objects.filter(pk=program_id).update(pool_version=models.F("pool_version") + 1)


class Topic(models.Model):
    """A skill or theme of a program, offered by mentors and sought by mentees."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(_("topic"), max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name"], name="programs_unique_topic_per_program"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Cycle(models.Model):
    """One cohort of a program, with its enrolment and matching windows."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cycles")
    name = models.CharField(_("name"), max_length=80)
    enrolment_opens_on = models.DateField(_("enrolment opens on"))
    enrolment_closes_on = models.DateField(_("enrolment closes on"))
    matching_opens_on = models.DateField(_("matching opens on"))
    matching_closes_on = models.DateField(_("matching closes on"))
    starts_on = models.DateField(_("mentoring starts on"))

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="programs_unique_cycle_name"),
            models.CheckConstraint(
                condition=Q(enrolment_opens_on__lte=models.F("enrolment_closes_on")),
                name="programs_enrolment_window_in_order",
            ),
            models.CheckConstraint(
                condition=Q(matching_opens_on__lte=models.F("matching_closes_on")),
                name="programs_matching_window_in_order",
            ),
            models.CheckConstraint(
                condition=Q(matching_opens_on__gte=models.F("enrolment_opens_on")),
                name="programs_matching_opens_after_enrolment",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__gte=models.F("matching_opens_on")),
                name="programs_starts_after_matching_opens",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.name}: {self.name}"

    def clean(self) -> None:
        errors = {}
        opens, closes = self.enrolment_opens_on, self.enrolment_closes_on
        if opens and closes and opens > closes:
            errors["enrolment_closes_on"] = _("Enrolment must close after it opens.")
        opens, closes = self.matching_opens_on, self.matching_closes_on
        if opens and closes and opens > closes:
            errors["matching_closes_on"] = _("Matching must close after it opens.")
        if opens and self.enrolment_opens_on and opens < self.enrolment_opens_on:
            errors["matching_opens_on"] = _("Matching cannot open before enrolment opens.")
        if self.starts_on and opens and self.starts_on < opens:
            errors["starts_on"] = _("Mentoring cannot start before matching opens.")
        if errors:
            raise ValidationError(errors)

    def enrolment_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            start_of_day_anywhere(self.enrolment_opens_on)
            <= now
            < end_of_day_anywhere(self.enrolment_closes_on)
        )

    def matching_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            start_of_day_anywhere(self.matching_opens_on)
            <= now
            < end_of_day_anywhere(self.matching_closes_on)
        )

    @property
    def enrolment_closes_at(self) -> datetime:
        return end_of_day_anywhere(self.enrolment_closes_on)

    @property
    def matching_opens_at(self) -> datetime:
        return start_of_day_anywhere(self.matching_opens_on)

    @property
    def matching_closes_at(self) -> datetime:
        return end_of_day_anywhere(self.matching_closes_on)
