"""The emails of matching: one function each, sent after commit, text and HTML parts.

Every link opens a page; nothing changes until the person presses a button there.
"""

from django.conf import settings
from django.urls import reverse

from mentorship_site.mail.compose import send_templated_email


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(name: str, user, context: dict) -> None:
    send_templated_email(
        name,
        to=user.email,
        language=user.preferred_language,
        context={"recipient": user, **context},
    )


def send_request_received(request_id: int) -> None:
    """Tell whoever must answer a new request or proposal that it is waiting for them."""
    from matching.models import MatchRequest, Side

    request = MatchRequest.objects.with_people().get(pk=request_id)
    link = _absolute(reverse("matching:request", kwargs={"code": request.code}))
    for side in (Side.MENTOR, Side.MENTEE):
        if request.awaits(side):
            user = getattr(request, f"{side}_user")
            partner = request.mentee_user if side == Side.MENTOR else request.mentor_user
            _send(
                "match_request",
                user,
                {"request": request, "partner": partner, "link": link, "program": request.program},
            )


def _still_open(participant) -> bool:
    from matching.services import MENTEE_OPEN_STATES, MENTOR_OPEN_STATES

    states = MENTOR_OPEN_STATES if participant.is_mentor else MENTEE_OPEN_STATES
    return participant.state in states and participant.free_places > 0


def _partner(request, user):
    return request.mentee_user if user.pk == request.mentor_user_id else request.mentor_user


def send_request_closed(request_id: int) -> None:
    """Tell the people concerned that a request was declined, withdrawn, expired or closed."""
    from matching.models import MatchRequest, Side

    request = MatchRequest.objects.with_people().get(pk=request_id)
    Status = MatchRequest.Status
    sides = {Side.MENTOR: request.mentor, Side.MENTEE: request.mentee}
    recipients = []
    if request.status == Status.DECLINED:
        # The sender (or, for a proposal, the coordinator and the side that did not decline).
        decliner = request.closed_by_id
        recipients = [p.user for p in sides.values() if p.user_id != decliner]
        if request.is_proposal:
            if request.sent_by:
                recipients.append(request.sent_by)
        else:
            recipients = [sides[request.sender].user]
    elif request.status == Status.WITHDRAWN:
        recipients = [p.user for side, p in sides.items() if side != request.sender]
    elif request.status in (Status.EXPIRED, Status.CLOSED):
        recipients = [p.user for p in sides.values()]
    elif request.status == Status.SUPERSEDED:
        # Whoever can still be matched hears that this one will not happen.
        recipients = [p.user for p in sides.values() if _still_open(p)]
    link = _absolute(reverse("matching:request", kwargs={"code": request.code}))
    for user in dict.fromkeys(recipients):
        own = {request.mentor_user_id: request.mentor, request.mentee_user_id: request.mentee}
        is_coordinator = user.pk not in own
        suggestions = (
            ""
            if is_coordinator
            else _absolute(reverse("matching:suggestions", kwargs={"code": own[user.pk].code}))
        )
        _send(
            "match_request_closed",
            user,
            {
                "request": request,
                "program": request.program,
                "link": link,
                "suggestions": suggestions,
                "is_coordinator": is_coordinator,
                "partner": _partner(request, user),
            },
        )


def send_match_started(match_id: int) -> None:
    """Tell both people (and a proposing coordinator) that their match has started."""
    from matching.models import Match

    match = Match.objects.with_people().select_related("request__sent_by").get(pk=match_id)
    link = _absolute(reverse("journals:workspace", kwargs={"code": match.code}))
    for participant, partner in ((match.mentor, match.mentee), (match.mentee, match.mentor)):
        _send(
            "match_started",
            participant.user,
            {"match": match, "program": match.program, "partner": partner.user, "link": link},
        )
    proposer = match.request.sent_by if match.request and match.request.is_proposal else None
    if proposer and proposer.pk not in (match.mentor.user_id, match.mentee.user_id):
        _send(
            "match_started",
            proposer,
            {
                "match": match,
                "program": match.program,
                "link": _absolute(
                    reverse("matching:coordinator_requests", kwargs={"code": match.program.code})
                ),
                "is_coordinator": True,
            },
        )


def send_match_changed(match_id: int, *, side: str) -> None:
    """Tell the people of a match that it ended early or was extended.

    When one of the pair ends it, the partner is told; when a coordinator acts, both.
    """
    from matching.models import Match, Side

    match = Match.objects.with_people().get(pk=match_id)
    link = _absolute(reverse("journals:workspace", kwargs={"code": match.code}))
    people = [(match.mentor, match.mentee), (match.mentee, match.mentor)]
    for participant, partner in people:
        if side != Side.COORDINATOR and participant.role == side:
            continue  # the person who ended it knows
        _send(
            "match_changed",
            participant.user,
            {"match": match, "program": match.program, "partner": partner.user, "link": link},
        )
