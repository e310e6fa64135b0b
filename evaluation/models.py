"""Surveys: each program's questions, the invitations sent to the pairs, and their answers;
and the certificates participants get for a match.

Answers copy the question's text, type and key when they are given, so a coordinator
changing a question later never rewrites what people answered, and the KPIs read the
built-in questions by key alone. Certificates copy what they show in the same way.
"""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from matching.models import Match
from programs.models import Participant, Program
from programs.models.program import Role


class SurveyKind(models.TextChoices):
    MIDPOINT = "midpoint", _("Mid-cycle check-in")
    END = "end", _("End-of-match survey")


class AnswerType(models.TextChoices):
    SCALE = "scale", _("Scale from 1 to 5")
    SCORE = "score", _("Score from 0 to 10")
    YES_PARTLY_NO = "yes_partly_no", _("Yes, partly or no")
    CHOICE = "choice", _("One choice from a list")
    TEXT = "text", _("Free text")


class QuestionKey(models.TextChoices):
    """The built-in questions whose answers the KPIs read."""

    SATISFACTION = "satisfaction", _("Satisfaction (1 to 5)")
    RECOMMEND = "recommend", _("Would recommend (0 to 10, for the NPS)")
    GOALS_REACHED = "goals_reached", _("Goals reached")
    EARLY_END_REASON = "early_end_reason", _("Why the match ended early")
    COMMENT = "comment", _("Comment")


# The values of a yes/partly/no answer, stored as these codes.
YES_PARTLY_NO = {
    "yes": _("Yes"),
    "partly": _("Partly"),
    "no": _("No"),
}
SCALE_RANGE = (1, 5)
SCORE_RANGE = (0, 10)
TEXT_MAX = 4000


def in_reader_language(text: str, builtin: bool) -> str:
    """Return `text` translated for the reader when it is a built-in wording; the
    catalogue leaves any other text (a coordinator's own) as it is."""
    return gettext(text) if builtin and text else text


class SurveyQuestionQuerySet(models.QuerySet):
    def of_survey(self, program, kind):
        """Return the questions of one survey of `program`, in the order they are asked."""
        return self.filter(program=program, kind=kind).order_by("position", "pk")


class SurveyQuestion(models.Model):
    """One question of a program's mid-cycle check-in or end-of-match survey."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="survey_questions")
    kind = models.CharField(_("survey"), max_length=12, choices=SurveyKind.choices)
    key = models.CharField(max_length=20, choices=QuestionKey.choices, blank=True, editable=False)
    text = models.CharField(_("question"), max_length=300)
    answer_type = models.CharField(_("type of answer"), max_length=16, choices=AnswerType.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SurveyQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "position", "pk"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        constraints = [
            # Defaults are created with ON CONFLICT DO NOTHING against this: two first
            # uses at once leave one set of built-in questions.
            models.UniqueConstraint(
                fields=["program", "kind", "key"],
                condition=~Q(key=""),
                name="evaluation_one_builtin_question_per_survey",
            ),
            models.CheckConstraint(
                condition=~Q(answer_type="choice") | ~Q(choices=[]),
                name="evaluation_choice_questions_have_choices",
            ),
        ]
        indexes = [
            # The survey form and the editor: one program's questions of one survey, in order.
            models.Index(fields=["program", "kind", "position"], name="evaluation_question_order"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_builtin(self) -> bool:
        return bool(self.key)

    @property
    def shown_text(self) -> str:
        """Return the question in the reader's language while it keeps its built-in
        wording (stored in English, the catalogue's source); a coordinator's own wording
        is shown as written."""
        return in_reader_language(self.text, self.is_builtin)

    @property
    def shown_choices(self) -> list[tuple[str, str]]:
        """Return (stored value, label in the reader's language) for each choice."""
        return [(choice, in_reader_language(choice, self.is_builtin)) for choice in self.choices]


class SurveyInvitationQuerySet(models.QuerySet):
    def of_user(self, user):
        """Return `user`'s invitations, newest first, with what the list shows."""
        return (
            self.filter(user=user)
            .select_related("match__program", "match__mentor__user", "match__mentee__user")
            .order_by("-sent_at", "-pk")
        )

    def unanswered(self):
        return self.filter(answered_at=None)

    def due_for_reminder(self, now=None):
        """Return the invitations unanswered for REMIND_AFTER and not reminded yet; a
        check-in is not worth a reminder once its match is over (the end survey follows)."""
        now = now or timezone.now()
        return self.filter(
            answered_at=None, reminded_at=None, sent_at__lte=now - SurveyInvitation.REMIND_AFTER
        ).exclude(Q(kind=SurveyKind.MIDPOINT) & ~Q(match__status=Match.Status.ACTIVE))


class SurveyInvitation(models.Model):
    """One person asked to answer one survey about one match."""

    # One reminder, this long after the invitation, if still unanswered.
    REMIND_AFTER = timedelta(days=3)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    match = models.ForeignKey(Match, on_delete=models.PROTECT, related_name="survey_invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_invitations"
    )
    role = models.CharField(max_length=8, choices=Role.choices)
    kind = models.CharField(max_length=12, choices=SurveyKind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = SurveyInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            # Also serves the scans for matches without an invitation (match comes first).
            models.UniqueConstraint(
                fields=["match", "user", "kind"], name="evaluation_one_invitation_per_survey"
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="evaluation_invitation_role_is_a_side"
            ),
            models.CheckConstraint(
                condition=Q(reminded_at__isnull=True) | Q(reminded_at__gte=models.F("sent_at")),
                name="evaluation_reminded_after_sent",
            ),
        ]
        indexes = [
            # "My surveys": one person's invitations, newest first.
            models.Index(fields=["user", "-sent_at"], name="evaluation_invitation_user"),
            # The reminder scan: unanswered, unreminded invitations by sending time.
            models.Index(
                fields=["sent_at"],
                condition=Q(answered_at__isnull=True, reminded_at__isnull=True),
                name="evaluation_invitation_remind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} ({self.match_id})"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def partner(self):
        """The other participant of the match."""
        return self.match.mentee if self.role == Role.MENTOR else self.match.mentor


class SurveyAnswer(models.Model):
    """One answer to one question, as the question stood when it was answered."""

    invitation = models.ForeignKey(
        SurveyInvitation, on_delete=models.PROTECT, related_name="answers"
    )
    # Kept when the question is removed later: the copy below is the record.
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="answers"
    )
    question_text = models.CharField(max_length=300)
    question_key = models.CharField(max_length=20, choices=QuestionKey.choices, blank=True)
    answer_type = models.CharField(max_length=16, choices=AnswerType.choices)
    position = models.PositiveSmallIntegerField(default=0)
    number = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(max_length=TEXT_MAX, blank=True)

    class Meta:
        ordering = ["invitation", "position", "pk"]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "question"], name="evaluation_one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=~Q(answer_type="scale") | Q(number__gte=1, number__lte=5),
                name="evaluation_scale_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(answer_type="score") | Q(number__gte=0, number__lte=10),
                name="evaluation_score_0_to_10",
            ),
            models.CheckConstraint(
                condition=~Q(answer_type="yes_partly_no") | Q(text__in=list(YES_PARTLY_NO)),
                name="evaluation_yes_partly_or_no",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=False) | ~Q(text=""),
                name="evaluation_answer_has_a_value",
            ),
        ]
        indexes = [
            # KPIs: the answers to one built-in question (satisfaction, recommend, …).
            models.Index(
                fields=["question_key"], condition=~Q(question_key=""), name="evaluation_answer_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_text}: {self.shown_value}"

    @property
    def shown_value(self) -> str:
        """Return the answer as people read it (yes/partly/no in the reader's language)."""
        if self.answer_type == AnswerType.YES_PARTLY_NO:
            return str(YES_PARTLY_NO.get(self.text, self.text))
        if self.number is not None:
            return str(self.number)
        if self.answer_type == AnswerType.CHOICE:
            return in_reader_language(self.text, bool(self.question_key))
        return self.text

    @property
    def shown_question(self) -> str:
        return in_reader_language(self.question_text, bool(self.question_key))


# Verification codes: no 0/O, 1/I/L look-alikes, so a code read off paper is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31**12, about 59 bits: not guessable, short enough to type


def new_verification_code() -> str:
    """Return a fresh random verification code (secrets, never `random`)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """Return `typed` as stored: capitals, without the spaces and dashes people add."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())[: CODE_LENGTH * 2]


class CertificateQuerySet(models.QuerySet):
    def of_user(self, user):
        """Return `user`'s own certificates, newest first."""
        return self.filter(participant__user=user).order_by("-issued_at", "-pk")

    def of_program(self, program):
        return (
            self.filter(match__program=program)
            .select_related("participant__user", "issued_by")
            .order_by("-issued_at", "-pk")
        )


class Certificate(models.Model):
    """A participant's certificate for one match, as it stood when it was issued.

    The name, program, dates and minutes are copied at issue: renaming the program or
    logging more hours later never changes a certificate someone has printed.
    """

    code = models.CharField(
        max_length=CODE_LENGTH, unique=True, default=new_verification_code, editable=False
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="certificates"
    )
    match = models.ForeignKey(Match, on_delete=models.PROTECT, related_name="certificates")
    issued_at = models.DateTimeField(default=timezone.now)
    # None when the participant asked for it themselves.
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    holder_name = models.CharField(_("name"), max_length=200)
    program_name = models.CharField(_("program"), max_length=200)
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    started_on = models.DateField(_("mentoring started on"))
    ended_on = models.DateField(_("mentoring ended on"))
    mentoring_minutes = models.PositiveIntegerField(_("minutes of mentoring"))
    training_minutes = models.PositiveIntegerField(_("minutes of training"))

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            # Issuing twice at once (a double click, a coordinator's bulk issue) leaves one.
            models.UniqueConstraint(
                fields=["participant", "match"], name="evaluation_one_certificate_per_match"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__gte=models.F("started_on")),
                name="evaluation_certificate_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="evaluation_certificate_role_is_a_side"
            ),
        ]
        indexes = [
            # The coordinators' list and bulk issue: one program's certificates by match.
            models.Index(fields=["match"], name="evaluation_certificate_match"),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} · {self.program_name} ({self.shown_code})"

    @property
    def shown_code(self) -> str:
        """Return the code in groups of four, as printed: ABCD-EFGH-JKMN."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    @property
    def mentoring_hours(self) -> float:
        # Exact: the pages round it for display (half up).
        return self.mentoring_minutes / 60

    @property
    def training_hours(self) -> float:
        return self.training_minutes / 60
