"""Taking a program's training."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from programs import milestones
from programs.models import Participant, TrainingCompletion, TrainingModule
from programs.services.enrolment import refresh_readiness, required_modules
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
    if (
        module.required
        and not required_modules(participant).exclude(completions__participant=participant).exists()
    ):
        milestones.stamp_trained([participant.pk], completion.completed_at)
    refresh_readiness(participant)
    return completion
