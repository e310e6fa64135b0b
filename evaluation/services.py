"""Every change of state of the surveys (questions, invitations, reminders and answers)
and of the certificates."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from evaluation import certificates, defaults, emails
from evaluation.models import (
    SCALE_RANGE,
    SCORE_RANGE,
    TEXT_MAX,
    YES_PARTLY_NO,
    AnswerType,
    Certificate,
    QuestionKey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyKind,
    SurveyQuestion,
)
from matching.models import Match
from programs.models import Participant, Program
from programs.models.program import Role
from programs.services.errors import require_coordinator

# A match that finished longer ago than this gets no end survey: it finished before
# surveys existed, or the moment to ask has passed.
END_SURVEY_WINDOW = timedelta(days=30)


class SurveyError(Exception):
    """A refused change, with messages a person can read: one, or one per field."""

    def __init__(self, message: str = "", *, field: str | None = None, errors=None):
        self.errors = dict(errors or {})
        if message:
            self.errors.setdefault(field, message)
        self.message = message or next(iter(self.errors.values()), "")
        super().__init__(self.message)


# ---------------------------------------------------------------- questions


def ensure_questions(program: Program) -> None:
    """Create the built-in questions of `program`'s surveys that do not exist yet.

    Idempotent and safe when two requests or tasks do it at once: the rows are inserted
    with ON CONFLICT DO NOTHING against evaluation_one_builtin_question_per_survey.
    """
    present = set(
        SurveyQuestion.objects.filter(program=program)
        .exclude(key="")
        .values_list("kind", "key")
        .distinct()
    )
    if len(present) == sum(len(defaults.questions(kind)) for kind in SurveyKind.values):
        return
    missing = []
    # Built-in wordings are stored in English, the catalogue's source, and shown in each
    # reader's language (SurveyQuestion.shown_text).
    with translation.override("en"):
        for kind in SurveyKind.values:
            for position, question in enumerate(defaults.questions(kind)):
                if (kind, question["key"]) not in present:
                    missing.append(
                        SurveyQuestion(program=program, kind=kind, position=position, **question)
                    )
    SurveyQuestion.objects.bulk_create(missing, ignore_conflicts=True)


def copy_questions(program: Program, *, source: Program) -> None:
    """Give `program` the survey questions of `source`, as its coordinators left them."""
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(
            program=program,
            kind=question.kind,
            key=question.key,
            text=question.text,
            answer_type=question.answer_type,
            choices=question.choices,
            required=question.required,
            position=question.position,
        )
        for question in SurveyQuestion.objects.filter(program=source).order_by("pk")
    )
    ensure_questions(program)


def questions_for(invitation: SurveyInvitation) -> list[SurveyQuestion]:
    """Return the questions `invitation`'s person answers: the reason for ending early
    only when their match ended early."""
    questions = SurveyQuestion.objects.of_survey(invitation.match.program_id, invitation.kind)
    if invitation.match.status != Match.Status.ENDED:
        questions = questions.exclude(key=QuestionKey.EARLY_END_REASON)
    return list(questions)


def _clean_choices(answer_type: str, choices) -> list[str]:
    if answer_type != AnswerType.CHOICE:
        return []
    cleaned = []
    for choice in choices or []:
        choice = str(choice).strip()[:200]
        if choice and choice not in cleaned:
            cleaned.append(choice)
    if len(cleaned) < 2:
        raise SurveyError(_("Give at least two choices, one per line."), field="choices")
    return cleaned


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise SurveyError(_("Write the question."), field="text")
    return text[:300]


@transaction.atomic
def add_question(
    program: Program, kind: str, *, by, text: str, answer_type: str, required: bool, choices=()
) -> SurveyQuestion:
    """Add a question at the end of one of `program`'s surveys."""
    require_coordinator(program, by)
    if kind not in SurveyKind.values:
        raise SurveyError(_("Choose a survey."))
    if answer_type not in AnswerType.values:
        raise SurveyError(_("Choose a type of answer."), field="answer_type")
    ensure_questions(program)
    last = (
        SurveyQuestion.objects.of_survey(program, kind)
        .select_for_update()
        .values_list("position", flat=True)
    )
    position = max(last, default=-1) + 1
    return SurveyQuestion.objects.create(
        program=program,
        kind=kind,
        text=_clean_text(text),
        answer_type=answer_type,
        required=bool(required),
        choices=_clean_choices(answer_type, choices),
        position=position,
    )


@transaction.atomic
def change_question(
    question: SurveyQuestion, *, by, text: str, answer_type: str, required: bool, choices=()
) -> SurveyQuestion:
    """Change a question's wording, type, choices or whether it must be answered.

    A built-in question keeps its type: the KPIs read its answers. Past answers keep
    the words they were given with.
    """
    require_coordinator(question.program, by)
    if question.is_builtin and answer_type != question.answer_type:
        raise SurveyError(
            _("This question feeds the program's figures: its type of answer cannot change."),
            field="answer_type",
        )
    if answer_type not in AnswerType.values:
        raise SurveyError(_("Choose a type of answer."), field="answer_type")
    text = _clean_text(text)
    # A wording left as shown (the built-in one, in the coordinator's language) stays the
    # built-in one, so each reader keeps getting it in their own language.
    if text != question.shown_text:
        question.text = text
    stored = {label: value for value, label in question.shown_choices}
    choices = _clean_choices(answer_type, choices)
    question.answer_type = answer_type
    question.required = bool(required)
    question.choices = [stored.get(choice, choice) for choice in choices]
    question.save(update_fields=["text", "answer_type", "required", "choices"])
    return question


@transaction.atomic
def move_question(question: SurveyQuestion, *, by, direction: str) -> None:
    """Swap a question with its neighbour above ("up") or below ("down")."""
    require_coordinator(question.program, by)
    if direction not in ("up", "down"):
        raise SurveyError(_("Move a question up or down."))
    # Locked in one fixed order so two moves at once cannot interleave.
    siblings = list(
        SurveyQuestion.objects.of_survey(question.program_id, question.kind).select_for_update()
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == question.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    SurveyQuestion.objects.bulk_update(siblings, ["position"])


def remove_question(question: SurveyQuestion, *, by) -> None:
    """Remove a question added by the coordinators; its answers stay, with its words."""
    require_coordinator(question.program, by)
    if question.is_builtin:
        raise SurveyError(
            _("This question feeds the program's figures: it can be reworded, not removed.")
        )
    question.delete()


# ---------------------------------------------------------------- invitations


def midpoint_week(program: Program) -> int:
    """Return the week of the mid-cycle check-in: week 5 of 10, week 3 of 5."""
    return (program.cycle_weeks + 1) // 2


def due_for_midpoint(today=None):
    """Return the active matches in or past their middle week without a check-in yet.

    The middle week starts (ceil(weeks / 2) - 1) weeks after the match: one plain date
    comparison per cycle length the programs use (one small query finds them), the same
    SQL on every database.
    """
    # The clock's date, whatever time zone a request left active in this thread.
    today = today or timezone.localdate(timezone=timezone.get_default_timezone())
    in_middle_week = Q(pk__in=[])
    for weeks in Program.objects.values_list("cycle_weeks", flat=True).distinct().order_by():
        offset = timedelta(weeks=(weeks + 1) // 2 - 1)
        in_middle_week |= Q(program__cycle_weeks=weeks, started_on__lte=today - offset)
    asked = SurveyInvitation.objects.filter(match=OuterRef("pk"), kind=SurveyKind.MIDPOINT)
    return Match.objects.active().filter(in_middle_week).filter(~Exists(asked))


def due_for_end(now=None):
    """Return the matches completed or ended early recently without an end survey yet."""
    now = now or timezone.now()
    asked = SurveyInvitation.objects.filter(match=OuterRef("pk"), kind=SurveyKind.END)
    return Match.objects.filter(
        status__in=[Match.Status.COMPLETED, Match.Status.ENDED],
        ended_at__gte=now - END_SURVEY_WINDOW,
    ).filter(~Exists(asked))


def open_survey(match: Match, kind: str, now=None) -> list[SurveyInvitation]:
    """Invite both people of `match` to the survey `kind` and email them, once.

    Return the invitations created now: none when the survey is not due (any more) or
    was already opened. The invitations, the notification log and the queued emails
    are written in one transaction, with the match locked, so a task run twice or two
    workers at once invite each person once.
    """
    now = now or timezone.now()
    if kind == SurveyKind.MIDPOINT:
        due = due_for_midpoint(timezone.localdate(now, timezone.get_default_timezone()))
    else:
        due = due_for_end(now)
    with transaction.atomic():
        locked = due.filter(pk=match.pk).select_for_update(of=("self",))
        if not list(locked.values_list("pk", flat=True)):
            return []
        match = Match.objects.with_people().get(pk=match.pk)
        ensure_questions(match.program)
        created = []
        for role, participant in ((Role.MENTOR, match.mentor), (Role.MENTEE, match.mentee)):
            invitation, is_new = SurveyInvitation.objects.get_or_create(
                match=match, user=participant.user, kind=kind, defaults={"role": role}
            )
            if is_new:
                invitation.match = match
                emails.send_survey_invitation(invitation)
                created.append(invitation)
    return created


def remind_invitation(invitation: SurveyInvitation, now=None) -> bool:
    """Remind the person of an unanswered invitation, once; return whether it was sent."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = (
            SurveyInvitation.objects.due_for_reminder(now)
            .filter(pk=invitation.pk)
            .update(reminded_at=now)
        )
        if claimed != 1:  # answered, already reminded, or not due
            return False
        invitation = SurveyInvitation.objects.select_related(
            "user", "match__program", "match__mentor__user", "match__mentee__user"
        ).get(pk=invitation.pk)
        emails.send_survey_reminder(invitation)
    return True


# ---------------------------------------------------------------- answers


def read_answer(question: SurveyQuestion, raw) -> tuple[int | None, str]:
    """Return (number, text) for `raw`, the value typed for `question`; "" or None when
    unanswered. Raise SurveyError with a message about this question otherwise."""
    value = "" if raw is None else str(raw).strip()
    if value == "":
        if question.required:
            raise SurveyError(_("Answer this question."))
        return None, ""
    kind = question.answer_type
    if kind in (AnswerType.SCALE, AnswerType.SCORE):
        low, high = SCALE_RANGE if kind == AnswerType.SCALE else SCORE_RANGE
        message = _("Choose a number from %(low)d to %(high)d.") % {"low": low, "high": high}
        try:
            number = int(value)
        except ValueError:
            raise SurveyError(message) from None
        if not low <= number <= high:
            raise SurveyError(message)
        return number, ""
    if kind == AnswerType.YES_PARTLY_NO:
        if value not in YES_PARTLY_NO:
            raise SurveyError(_("Choose yes, partly or no."))
        return None, value
    if kind == AnswerType.CHOICE:
        if value not in question.choices:
            raise SurveyError(_("Choose one of the answers offered."))
        return None, value
    if len(value) > TEXT_MAX:
        raise SurveyError(_("Keep your answer under %(count)d characters.") % {"count": TEXT_MAX})
    return None, value


def field_name(question: SurveyQuestion) -> str:
    """Return the form field name of `question` (also the key of SurveyError.errors)."""
    return f"question_{question.pk}"


def submit_answers(invitation: SurveyInvitation, *, by, values: dict) -> list[SurveyAnswer]:
    """Record `by`'s answers to their survey, once, in one transaction.

    `values` maps field_name(question) to what was typed. Every answer is checked
    (required, range, choice) before anything is written; all the problems are raised
    together, one per field. A second submission is refused.
    """
    if by.pk != invitation.user_id:
        raise SurveyError(_("Only the person invited can answer this survey."))
    questions = questions_for(invitation)
    errors, read = {}, []
    for question in questions:
        try:
            number, text = read_answer(question, values.get(field_name(question)))
        except SurveyError as error:
            errors[field_name(question)] = error.message
            continue
        if number is not None or text:
            read.append((question, number, text))
    if errors:
        raise SurveyError(errors=errors)
    with transaction.atomic():
        claimed = SurveyInvitation.objects.filter(pk=invitation.pk, answered_at=None).update(
            answered_at=timezone.now()
        )
        if claimed != 1:
            raise SurveyError(_("You have already answered this survey. Thank you!"))
        answers = SurveyAnswer.objects.bulk_create(
            SurveyAnswer(
                invitation=invitation,
                question=question,
                question_text=question.text,
                question_key=question.key,
                answer_type=question.answer_type,
                position=position,
                number=number,
                text=text,
            )
            for position, (question, number, text) in enumerate(read)
        )
    invitation.refresh_from_db(fields=["answered_at"])
    return answers


# ---------------------------------------------------------------- certificates


class CertificateError(Exception):
    """A refused certificate, with a message a person can read."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _snapshot(earned: certificates.Earned, *, by) -> Certificate:
    match, participant = earned.match, earned.participant
    return Certificate(
        participant=participant,
        match=match,
        issued_by=None if by is None or by.pk == participant.user_id else by,
        holder_name=participant.user.display_name or str(participant.user),
        program_name=match.program.name,
        role=earned.role,
        started_on=match.started_on,
        ended_on=certificates.end_date(match, participant),
        mentoring_minutes=earned.mentoring_minutes,
        training_minutes=earned.training_minutes,
    )


def issue_certificate(participant: Participant, match: Match, *, by) -> Certificate:
    """Issue `participant`'s certificate for `match`, or return the one already issued.

    `by` is the participant themselves (a self-service certificate, issued_by stays
    empty) or a coordinator of the program. What it shows is copied now, for good.
    """
    existing = Certificate.objects.filter(participant=participant, match=match).first()
    if existing is not None:
        return existing
    match = Match.objects.with_people().get(pk=match.pk)
    if participant.pk not in (match.mentor_id, match.mentee_id):
        raise CertificateError(_("This person is not part of this match."))
    if by.pk != participant.user_id and not match.program.is_coordinated_by(by):
        raise CertificateError(_("Only the participant or a coordinator can ask for this."))
    participant = match.mentor if participant.pk == match.mentor_id else match.mentee
    earned = next(
        (e for e in certificates.earned_in([match]) if e.participant.pk == participant.pk), None
    )
    if earned is None:
        raise CertificateError(
            _(
                "A certificate comes with a completed match or %(hours)s hours of mentoring "
                "logged in it; this match has neither yet."
            )
            % {"hours": match.program.hours_target}
        )
    certificate = _snapshot(earned, by=by)
    try:
        with transaction.atomic():
            certificate.save(force_insert=True)
    except IntegrityError:  # issued at the same moment by another request
        return Certificate.objects.get(participant=participant, match=match)
    return certificate


def issue_certificates(program: Program, *, by) -> int:
    """Issue every certificate earned in `program` and not issued yet; return how many.

    A fixed number of queries whatever the program's size. Running it twice, or while
    participants ask for theirs, issues each certificate once
    (evaluation_one_certificate_per_match).
    """
    require_coordinator(program, by)
    new = [_snapshot(earned, by=by) for earned in unissued_certificates(program)]
    Certificate.objects.bulk_create(new, ignore_conflicts=True)
    # ignore_conflicts leaves no trace of what was skipped: count what is in the table.
    return Certificate.objects.filter(code__in=[c.code for c in new]).count() if new else 0


def unissued_certificates(program: Program) -> list[certificates.Earned]:
    """Return the certificates earned in `program` and not issued yet."""
    # Active matches count too: a person who reached the hours target has earned one.
    matches = Match.objects.filter(program=program).with_people().order_by("started_on", "pk")
    issued = set(
        Certificate.objects.filter(match__program=program).values_list("participant_id", "match_id")
    )
    return [
        earned
        for earned in certificates.earned_in(matches)
        if (earned.participant.pk, earned.match.pk) not in issued
    ]
