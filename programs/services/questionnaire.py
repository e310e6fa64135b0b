"""Answering a program's questionnaire."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Answer, Participant, Question
from programs.models.program import touch_pool
from programs.services.enrolment import refresh_readiness
from programs.services.errors import ProgramError

State = Participant.State
EDITABLE = {State.APPLIED, State.ENROLLED, State.READY, State.PAUSED}
LATER = {State.MATCHED, State.COMPLETED}


class MissingAnswers(ProgramError):
    """Required questions left empty on submit; `missing` holds their ids."""

    def __init__(self, missing: list[int]):
        super().__init__(_("Answer the questions marked as required before you submit."))
        self.missing = missing


def is_empty(value) -> bool:
    if isinstance(value, dict):
        return not value.get("slots")
    return value in (None, "", [], {})


@transaction.atomic
def save_answers(
    participant: Participant, values: dict[int, object], *, by, submit: bool
) -> Participant:
    """Store answers (already cleaned by the form); on submit, require the required ones.

    A draft can be saved half-done at any time. While matched, changes are kept
    for the person's next cycle and the current match goes on with the old ones.
    """
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if by != participant.user:
        raise ProgramError(_("Only the participant can answer their questionnaire."))
    if participant.state == State.WITHDRAWN:
        raise ProgramError(_("You have left this program."))
    questions = {
        q.pk: q for q in Question.objects.for_role(participant.program_id, participant.role).shown()
    }
    unknown = set(values) - set(questions)
    if unknown:
        raise ProgramError(_("Some questions no longer exist: reload the page."))
    later = participant.state in LATER
    # Once submitted, every save is checked like a submission: a ready person cannot
    # empty a required answer through "Save draft".
    submit = submit or (participant.questionnaire_submitted_at is not None and not later)
    if submit:
        existing = dict(
            Answer.objects.filter(participant=participant).values_list("question_id", "value")
        )
        merged = {**existing, **values}
        missing = [pk for pk, q in questions.items() if q.required and is_empty(merged.get(pk))]
        if missing:
            raise MissingAnswers(missing)
    for question_id, value in values.items():
        field = "next_value" if later else "value"
        Answer.objects.update_or_create(
            participant=participant, question_id=question_id, defaults={field: value}
        )
    if not later and participant.state in (State.READY, State.PAUSED):
        touch_pool(participant.program_id)  # the scores of a person in the pool changed
    if submit and not later:
        participant.questionnaire_submitted_at = timezone.now()
        participant.save(update_fields=["questionnaire_submitted_at", "updated_at"])
        refresh_readiness(participant)
    return participant
