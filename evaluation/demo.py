"""Demo surveys: a match that ran its ten weeks and was completed by the clock, with both
closing surveys answered, and the closing survey of the match that ended early, answered
by the mentee and still waiting for the mentor."""

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from evaluation import services
from evaluation.models import AnswerType, SurveyInvitation, SurveyKind
from matching import services as matching
from matching.models import Match, MatchRequest
from matching.services import MatchingError
from programs.models import Participant

# What each demo person answers, by built-in key; other questions get a plain answer.
ANSWERS = {
    "mentor": {"satisfaction": 5, "recommend": 9, "goals_reached": "yes"},
    "mentee": {"satisfaction": 4, "recommend": 10, "goals_reached": "partly"},
}
COMMENTS = {
    "mentor": "A committed mentee: we met every week but one.",
    "mentee": "I negotiated my first contract with confidence. Thank you!",
}


def _answer(invitation: SurveyInvitation) -> None:
    planned = ANSWERS[invitation.role]
    values = {}
    for question in services.questions_for(invitation):
        if question.key in planned:
            value = planned[question.key]
        elif question.answer_type == AnswerType.TEXT:
            value = COMMENTS[invitation.role] if question.key == "comment" else ""
        elif question.answer_type == AnswerType.SCALE:
            value = 4
        elif question.answer_type == AnswerType.SCORE:
            value = 8
        elif question.answer_type == AnswerType.YES_PARTLY_NO:
            value = "yes"
        else:
            value = question.choices[0] if question.choices else ""
        values[services.field_name(question)] = value
    services.submit_answers(invitation, by=invitation.user, values=values)


def _completed_match(program) -> Match | None:
    """Pair a free mentee with a mentor who has a place, ten weeks ago, and let the clock
    complete the match."""
    # Generated people with no request waiting: the demo log-ins keep their inboxes.
    waiting = MatchRequest.objects.pending().filter(program=program)
    busy = {*waiting.values_list("mentor", flat=True), *waiting.values_list("mentee", flat=True)}
    free = Participant.objects.filter(
        program=program, user__email__endswith="@demo.example.org"
    ).exclude(pk__in=busy)
    mentees = free.filter(role="mentee", state=Participant.State.READY).order_by("pk")
    mentors = (
        free.filter(role="mentor", state__in=["ready", "matched"])
        .filter(active_matches__lt=F("capacity"))
        .order_by("-pk")
    )
    for mentee in mentees:
        for mentor in mentors:
            try:
                request = matching.send_request(mentee, mentor, by=mentee.user)
                match = matching.approve_request(request, by=mentor.user).match
            except MatchingError:
                continue
            started_on = timezone.now().date() - timedelta(weeks=program.cycle_weeks, days=2)
            Match.objects.filter(pk=match.pk).update(
                started_on=started_on,
                started_at=F("started_at") - timedelta(weeks=program.cycle_weeks, days=2),
                ends_on=Match.end_date(program, started_on),
                last_activity_at=timezone.now() - timedelta(days=3),
            )
            matching.complete_due_matches()
            return Match.objects.get(pk=match.pk)
    return None


def seed_surveys(program) -> None:
    """Complete one demo match and fill in closing surveys. Safe to run again."""
    if SurveyInvitation.objects.filter(match__program=program).exists():
        return
    completed = _completed_match(program)
    if completed is not None:
        for invitation in services.open_survey(completed, SurveyKind.END):
            _answer(invitation)
    ended = Match.objects.filter(program=program, status=Match.Status.ENDED).first()
    if ended is not None:
        for invitation in services.open_survey(ended, SurveyKind.END):
            if invitation.role == "mentee":
                _answer(invitation)
