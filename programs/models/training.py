import uuid

from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models.enrolment import Participant
from programs.models.program import Program

RESOURCE_EXTENSIONS = [
    "pdf",
    "docx",
    "pptx",
    "xlsx",
    "odt",
    "odp",
    "ods",
    "txt",
    "png",
    "jpg",
    "jpeg",
]
RESOURCE_MAX_BYTES = 10 * 1024 * 1024


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Mentors and mentees")
    MENTORS = "mentor", _("Mentors")
    MENTEES = "mentee", _("Mentees")


class AudienceQuerySet(models.QuerySet):
    def for_role(self, role):
        return self.filter(audience__in=[Audience.EVERYONE, role])


class TrainingModule(models.Model):
    """A short course participants take, optionally required before they can be matched."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="training_modules")
    audience = models.CharField(
        _("for"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content (Markdown)"), max_length=50000)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    check_question = models.CharField(
        _("check question"),
        max_length=300,
        help_text=_("An acknowledgement, or a quiz question when you list choices below."),
    )
    check_choices = models.JSONField(_("quiz choices"), default=list, blank=True)
    check_answer = models.PositiveSmallIntegerField(
        _("number of the right choice"), null=True, blank=True, help_text=_("Counting from 1.")
    )
    required = models.BooleanField(_("required before matching"), default=True)

    objects = AudienceQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_quiz(self) -> bool:
        return bool(self.check_choices)


class TrainingCompletion(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="training_completions"
    )
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="completions")
    completed_at = models.DateTimeField(default=timezone.now)
    minutes = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "module"], name="programs_complete_a_module_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module} ({self.completed_at:%Y-%m-%d})"


class Resource(models.Model):
    """A handbook page, guide, link or file of a program's library."""

    class Kind(models.TextChoices):
        HANDBOOK = "handbook", _("Handbook page")
        GUIDE = "guide", _("Guide")
        LINK = "link", _("Link")
        FILE = "file", _("File")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    audience = models.CharField(
        _("for"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), max_length=50000, blank=True)
    url = models.URLField(_("address"), blank=True)
    file = models.FileField(
        _("file"),
        upload_to="resources/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(RESOURCE_EXTENSIONS)],
    )
    file_size = models.PositiveIntegerField(default=0)

    objects = AudienceQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class WeeklyPrompt(models.Model):
    """The discussion guide of one week of the cycle, shown in each pair's workspace."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="weekly_prompts")
    week = models.PositiveSmallIntegerField(
        _("week"), validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    title = models.CharField(_("theme"), max_length=200)
    prompts = models.TextField(_("discussion prompts"), max_length=5000)
    activity = models.TextField(_("suggested activity"), max_length=2000, blank=True)

    class Meta:
        ordering = ["week"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "week"], name="programs_one_prompt_per_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week}. {self.title}"
