"""Celery tasks of evaluation: surveys, and the weekly digest (in evaluation.digest)."""

from celery import shared_task

from evaluation import services
from evaluation.digest import send_weekly_digest, send_weekly_digests  # noqa: F401  (registers)
from evaluation.models import SurveyInvitation, SurveyKind
from matching.models import Match
from mentorship_site.notifications.services import periodic_job


@shared_task
@periodic_job
def send_surveys() -> int:
    """Open the surveys that are due and send the reminders, one small task per row.

    Three scans of one query each, whatever the number of matches: matches in their
    middle week without a check-in, finished matches without an end survey, and
    invitations unanswered for three days and not reminded.
    """
    midpoint = list(services.due_for_midpoint().values_list("pk", flat=True))
    end = list(services.due_for_end().values_list("pk", flat=True))
    reminders = list(SurveyInvitation.objects.due_for_reminder().values_list("pk", flat=True))
    for match_id in midpoint:
        open_survey.delay(match_id, SurveyKind.MIDPOINT.value)
    for match_id in end:
        open_survey.delay(match_id, SurveyKind.END.value)
    for invitation_id in reminders:
        remind_survey.delay(invitation_id)
    return len(midpoint) + len(end) + len(reminders)


@shared_task
def open_survey(match_id: int, kind: str) -> int:
    """Invite both people of a match to a survey, if it is still due; return how many."""
    match = Match.objects.filter(pk=match_id).first()
    if match is None:
        return 0
    return len(services.open_survey(match, kind))


@shared_task
def remind_survey(invitation_id: int) -> bool:
    """Remind the person of an unanswered survey, if still due."""
    invitation = SurveyInvitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        return False
    return services.remind_invitation(invitation)
