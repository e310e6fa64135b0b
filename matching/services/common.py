"""What every matching service shares: the error, the locks, the rules of a pair."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.models import (
    MatchRequest,
    RequestEvent,
)
from programs.models import Participant
from programs.models.program import Program, Role
from programs.services.errors import ProgramError

State = Participant.State
Status = MatchRequest.Status

# Who may still take part in a new match: mentors with a free place, waiting mentees.
MENTOR_OPEN_STATES = {State.READY, State.MATCHED}
MENTEE_OPEN_STATES = {State.READY}

HARD_RULE_MESSAGES = {
    "same_person": gettext_lazy("You cannot be matched with yourself."),
    "full": gettext_lazy("%(mentor)s has no free places left."),
    "conflict": gettext_lazy(
        "This pair cannot be matched: one of them manages the other, or they were already "
        "matched in this program."
    ),
    "same_team": gettext_lazy("This program does not pair people from the same team."),
    "languages": gettext_lazy("These two people have no language in common."),
    "must": gettext_lazy("This pair does not meet a rule the program requires: %(rule)s"),
}


class MatchingError(ProgramError):
    """A refused matching action, with a message naming the current state."""


# --- helpers -----------------------------------------------------------------------------


def _lock_participants(*ids) -> dict[int, Participant]:
    rows = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("user", "program", "cycle")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    return {p.pk: p for p in rows}


def _lock_request(request: MatchRequest):
    """Lock a request's two participants, then the request; return (request, mentor, mentee)."""
    people = _lock_participants(request.mentor_id, request.mentee_id)
    locked = (
        MatchRequest.objects.select_for_update(of=("self",))
        .select_related("program", "cycle", "mentor_user", "mentee_user", "sent_by")
        .get(pk=request.pk)
    )
    return locked, people[locked.mentor_id], people[locked.mentee_id]


def _log(request: MatchRequest, *, by, action: str, note: str = "") -> None:
    RequestEvent.objects.create(request=request, actor=by, action=action, note=note)


def _state_error(request: MatchRequest) -> MatchingError:
    return MatchingError(
        _("This request is no longer waiting for an answer: it is %(state)s.")
        % {"state": request.get_status_display().lower()}
    )


def _window_text(cycle) -> str:
    return _("from %(start)s to %(end)s (your time)") % {
        "start": date_format(timezone.localtime(cycle.matching_opens_at), "DATETIME_FORMAT"),
        "end": date_format(timezone.localtime(cycle.matching_closes_at), "DATETIME_FORMAT"),
    }


def _require_matching_window(cycle, now) -> None:
    if cycle is not None and not cycle.matching_is_open(now):
        raise MatchingError(
            _("Matches can only start while matching is open, %(window)s.")
            % {"window": _window_text(cycle)}
        )


def refusal_message(rule: str, mentor: Participant, pairs: dict) -> str:
    """Return why hard rule `rule` (from pool.hard_rule_broken) rules a pair out, in words.

    `pairs` maps criterion keys to their QuestionPair (PoolPeople.pairs). A rule on a
    sensitive question is never named.
    """
    if rule.startswith("must:"):
        key = rule.split(":", 1)[1]
        label = _("a required answer")
        pair = pairs.get(key)
        if key == "topics":
            label = _("a topic in common")
        elif key == "availability":
            label = _("a free hour in common")
        elif pair and not (pair.mentee_question.sensitive or pair.mentor_question.sensitive):
            label = pair.mentee_question.label
        return HARD_RULE_MESSAGES["must"] % {"rule": label}
    return HARD_RULE_MESSAGES[rule] % {"mentor": mentor.user.display_name}


def _check_pair(program, mentor: Participant, mentee: Participant) -> float | None:
    """Refuse a pair a hard rule rules out; return its score otherwise."""
    from matching import pool as pool_module
    from matching import scoring

    if mentor.user_id == mentee.user_id:
        raise MatchingError(str(HARD_RULE_MESSAGES["same_person"]))
    pool, people = pool_module.build_pool(program, [mentee], [mentor])
    rule = pool_module.hard_rule_broken(pool, 0, 0)
    if rule is not None:
        raise MatchingError(refusal_message(rule, mentor, people.pairs))
    return float(scoring.score_matrix(pool)[0, 0])


def _require_open(mentor: Participant, mentee: Participant) -> None:
    """Refuse unless the mentor has a free place and the mentee is waiting for a match."""
    for person, states in ((mentor, MENTOR_OPEN_STATES), (mentee, MENTEE_OPEN_STATES)):
        if person.state not in states:
            raise MatchingError(
                _("%(name)s is %(state)s and cannot start a match.")
                % {"name": person.user.display_name, "state": person.get_state_display().lower()}
            )
    if mentor.free_places <= 0:
        raise MatchingError(str(HARD_RULE_MESSAGES["full"]) % {"mentor": mentor.user.display_name})
    if mentee.active_matches:
        raise MatchingError(
            _("%(name)s already has a mentor.") % {"name": mentee.user.display_name}
        )


def _clean_text(text: str, limit: int, field: str) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise MatchingError(
            _("Keep it under %(limit)d characters (it has %(count)d).")
            % {"limit": limit, "count": len(text)},
            field=field,
        )
    return text


def may_initiate(program: Program, role: str) -> bool:
    """Return whether people in `role` may ask for a match in `program`."""
    allowed = {
        Program.Initiator.MENTEES: {Role.MENTEE},
        Program.Initiator.MENTORS: {Role.MENTOR},
        Program.Initiator.BOTH: {Role.MENTEE, Role.MENTOR},
    }
    return role in allowed[program.request_initiator]
