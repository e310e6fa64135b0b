import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models.enrolment import Participant
from programs.models.program import Program, Role


class QuestionQuerySet(models.QuerySet):
    def for_role(self, program, role):
        return self.filter(program=program, role=role).order_by("position", "pk")

    def shown(self):
        return self.filter(hidden=False)


class Question(models.Model):
    """One question of a program's questionnaire for mentors or for mentees."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        SINGLE_CHOICE = "single_choice", _("One choice from a list")
        MULTIPLE_CHOICE = "multiple_choice", _("Several choices from a list")
        SCALE = "scale", _("Scale from 1 to 5")
        TOPICS = "topics", _("Topics of the program")
        LANGUAGES = "languages", _("Languages")
        AVAILABILITY = "availability", _("Weekly availability")

    CHOICE_KINDS = {Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE}

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="questions")
    role = models.CharField(_("asked of"), max_length=8, choices=Role.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Seen by coordinators only, never by other participants."),
    )
    hidden = models.BooleanField(_("hidden"), default=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["role", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.label


class QuestionPair(models.Model):
    """A mentor question and a mentee question that matching compares."""

    class Rule(models.TextChoices):
        MUST = "must", _("Must match")
        PREFER = "prefer", _("Prefer a match")
        DIFFERENT = "different", _("Prefer different answers")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="question_pairs")
    mentor_question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    mentee_question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(_("rule"), max_length=12, choices=Rule.choices, default=Rule.PREFER)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mentor_question", "mentee_question"], name="programs_unique_question_pair"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=5), name="programs_pair_weight_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor_question} ↔ {self.mentee_question}"


class Answer(models.Model):
    """A participant's answer to one question; its value's shape depends on the question's type."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField(null=True, blank=True)
    # Edits made while matched wait here for the person's next cycle.
    next_value = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "question"], name="programs_one_answer_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"
