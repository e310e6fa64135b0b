"""What evaluation does when programs change: programs sends signals, never imports us."""

from django.dispatch import receiver

from evaluation import services
from programs.signals import program_created


@receiver(program_created, dispatch_uid="evaluation_survey_questions")
def give_program_its_surveys(sender, program, by, copied_from, **kwargs):
    """Write the new program's survey questions: the duplicated program's, or the
    defaults, in its coordinator's language."""
    if copied_from is not None:
        services.copy_questions(program, source=copied_from)
    else:
        services.ensure_questions(program)
