"""Taking a program's training."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from programs.models import Participant, TrainingCompletion, TrainingModule
from programs.services.enrolment import refresh_readiness
from programs.services.errors import ProgramError


@transaction.atomic
def complete_training(
    participant: Participant, module: TrainingModule, *, by, answer
) -> TrainingCompletion:
    """Record that the participant finished `module`, after its acknowledgement or quiz."""
    if by != participant.user:
        raise ProgramError(_("Only the participant can complete their training."))
    if module.program_id != participant.program_id or module.audience not in (
        "everyone",
        participant.role,
    ):
        raise ProgramError(_("This module is not part of your training."))
    if participant.state == Participant.State.WITHDRAWN:
        raise ProgramError(_("You have left this program."))
    if module.is_quiz:
        if str(answer) != str(module.check_answer):
            raise ProgramError(
                _("That is not the right answer: read the module again and retry."), field="answer"
            )
    elif answer not in (True, "on", "true", "1"):
        raise ProgramError(_("Tick the box to confirm."), field="answer")
    # Locked, so two modules finished at once both see each other when the last one
    # stamps the training milestone.
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    existing = TrainingCompletion.objects.filter(participant=participant, module=module).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            completion = TrainingCompletion.objects.create(
                participant=participant, module=module, minutes=module.estimated_minutes
            )
    except IntegrityError:  # completed twice at once
        completion = TrainingCompletion.objects.get(participant=participant, module=module)
    refresh_readiness(participant)
    return completion
