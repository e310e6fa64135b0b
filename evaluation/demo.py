"""Demo surveys: a match that ran its ten weeks and was completed by the clock, with both
closing surveys answered, and the closing survey of the match that ended early, answered
by the mentee and still waiting for the mentor. For the finished cohorts: mid-cycle and
closing surveys answered by most people, and certificates for those who completed."""

from datetime import UTC, datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from evaluation import services
from evaluation.models import AnswerType, Certificate, SurveyInvitation, SurveyKind
from matching import services as matching
from matching.demo import EARLY_ENDS
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


def _answer(invitation: SurveyInvitation, planned=None, comment=None) -> None:
    planned = planned or ANSWERS[invitation.role]
    comment = COMMENTS[invitation.role] if comment is None else comment
    values = {}
    for question in services.questions_for(invitation):
        if question.key == "early_end_reason" and question.key in planned:
            value = question.choices[planned[question.key]]
        elif question.key in planned:
            value = planned[question.key]
        elif question.answer_type == AnswerType.TEXT:
            value = comment if question.key == "comment" else ""
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


# ---------------------------------------------------------------- finished cohorts

# The choice of the end survey's reason question (defaults.early_end_reasons, by
# position) that each early end of the matching demo comes down to.
EARLY_END_CHOICES = dict(zip([reason for _side, reason in EARLY_ENDS], [0, 2, 3, 1], strict=True))
PAST_COMMENTS = {
    "mentor": [
        "A motivated mentee; I learnt as much as I taught.",
        "Ten weeks is short: an extra month would have helped.",
        "The journal prompts gave our meetings a good rhythm.",
        "",
    ],
    "mentee": [
        "I led my first team meeting with confidence thanks to these sessions.",
        "My mentor's feedback on my presentation changed how I prepare.",
        "Finding time was hard in the busy weeks, but it was worth it.",
        "",
    ],
}


def _past_opinion(rng, kind: str, completed: bool) -> dict:
    """Return one person's answers by built-in key: most pairs that completed are
    happy, pairs that ended early less so."""
    if kind == SurveyKind.MIDPOINT:
        return {
            "satisfaction": rng.choice([5, 5, 4, 4, 4, 3] if completed else [4, 3, 3, 2]),
            "goals_reached": rng.choice(["yes", "partly", "partly"] if completed else ["partly"]),
        }
    if completed:
        return {
            "satisfaction": rng.choice([5, 5, 5, 4, 4, 4, 4, 5, 3, 4]),
            "recommend": rng.choice([10, 10, 9, 9, 9, 10, 8, 9, 7, 6]),
            "goals_reached": rng.choice(["yes", "yes", "yes", "partly", "partly", "yes", "no"]),
        }
    return {
        "satisfaction": rng.choice([2, 3, 3, 4]),
        "recommend": rng.choice([4, 6, 7, 8]),
        "goals_reached": rng.choice(["partly", "no"]),
    }


def seed_past_surveys(past, matches: list[Match]) -> None:
    """Ask both people of each finished pair the mid-cycle check-in (from its fifth week)
    and the closing survey, at the dates they were due; most answered within days.

    Their invitation emails went out at the time, so the invitations are written with
    their dates rather than opened (and emailed) now; the answers go through the service.
    """
    rng = past.rng
    services.ensure_questions(past.cycle.program)
    invitations = []
    for match in matches:
        midpoint = datetime.combine(
            match.started_on + timedelta(weeks=services.midpoint_week(match.program) - 1),
            time(8, 0),
            tzinfo=UTC,
        )
        due = [(SurveyKind.END, match.ended_at + timedelta(hours=1))]
        if midpoint < match.ended_at:
            due.insert(0, (SurveyKind.MIDPOINT, midpoint))
        for kind, sent in due:
            for role, participant in (("mentor", match.mentor), ("mentee", match.mentee)):
                invitations.append(
                    SurveyInvitation(
                        match=match, user=participant.user, role=role, kind=kind, sent_at=sent
                    )
                )
    SurveyInvitation.objects.bulk_create(invitations)
    for invitation in invitations:
        match = invitation.match
        completed = match.status == Match.Status.COMPLETED
        if rng.random() < (0.85 if completed else 0.6):
            planned = _past_opinion(rng, invitation.kind, completed)
            if not completed:
                planned["early_end_reason"] = EARLY_END_CHOICES.get(match.end_reason, 4)
            _answer(invitation, planned, rng.choice(PAST_COMMENTS[invitation.role]))
            invitation.answered_at = invitation.sent_at + timedelta(hours=rng.uniform(3, 120))
        else:  # reminded once, at the time, and never answered
            invitation.reminded_at = invitation.sent_at + SurveyInvitation.REMIND_AFTER
    SurveyInvitation.objects.bulk_update(invitations, ["answered_at", "reminded_at"])


def seed_past_certificates(past, matches: list[Match]) -> None:
    """Issue the certificates of the finished pairs that completed: about a third asked
    for theirs, and the coordinator issued the others in bulk, in the weeks after the end
    (which also covers the current cohort's completed pair)."""
    rng = past.rng
    for match in matches:
        if match.status != Match.Status.COMPLETED:
            continue
        for participant in (match.mentor, match.mentee):
            if rng.random() < 0.35:
                services.issue_certificate(participant, match, by=participant.user)
    services.issue_certificates(past.cycle.program, by=past.coordinator)
    issued = list(Certificate.objects.filter(match__in=matches).select_related("match"))
    for certificate in issued:
        certificate.issued_at = certificate.match.ended_at + timedelta(days=rng.uniform(1, 20))
    Certificate.objects.bulk_update(issued, ["issued_at"])
