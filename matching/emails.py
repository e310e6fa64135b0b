"""The emails of matching: one function each, sent after commit, text and HTML parts.

Every email goes through `notify`, which logs it under (kind, thing, recipient, occasion)
and sends it once: a callback or task that runs twice sends nothing twice, while a
legitimate repeat (each change of a match) has its own occasion. Every link opens a
page; nothing changes until the person presses a button there.
"""

from django.conf import settings
from django.urls import reverse

from mentorship_site.notifications.services import notify


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send_request_received(request_id: int) -> None:
    """Tell whoever must answer a new request or proposal that it is waiting for them."""
    from matching.models import MatchRequest, Side

    request = MatchRequest.objects.with_people().get(pk=request_id)
    link = _absolute(reverse("matching:request", kwargs={"code": request.code}))
    for side in (Side.MENTOR, Side.MENTEE):
        if request.awaits(side):
            user = getattr(request, f"{side}_user")
            partner = request.mentee_user if side == Side.MENTOR else request.mentor_user
            notify(
                "request_received",
                recipient=user,
                about=request,
                email="match_request",
                link=link,
                context={"request": request, "partner": partner, "program": request.program},
            )


def send_request_reminder(request_id: int) -> int:
    """Remind each side that still has to answer a pending request; return how many were
    sent now (0 when they were reminded before)."""
    from matching.models import MatchRequest, Side

    request = MatchRequest.objects.with_people().get(pk=request_id)
    link = _absolute(reverse("matching:request", kwargs={"code": request.code}))
    sent = 0
    for side in (Side.MENTOR, Side.MENTEE):
        if request.awaits(side):
            user = getattr(request, f"{side}_user")
            partner = request.mentee_user if side == Side.MENTOR else request.mentor_user
            notice = notify(
                "request_reminder",
                recipient=user,
                about=request,
                email="request_reminder",
                link=link,
                context={"request": request, "partner": partner, "program": request.program},
            )
            sent += notice is not None
    return sent


def _still_open(participant) -> bool:
    from matching.services import MENTEE_OPEN_STATES, MENTOR_OPEN_STATES

    states = MENTOR_OPEN_STATES if participant.is_mentor else MENTEE_OPEN_STATES
    return participant.state in states and participant.free_places > 0


def _partner(request, user):
    return request.mentee_user if user.pk == request.mentor_user_id else request.mentor_user


def send_request_closed(request_id: int) -> None:
    """Tell the people concerned that a request was declined, withdrawn, expired or closed.

    A request closes once, so its final status is the occasion: the notices go out once
    however often this runs.
    """
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
    own = {request.mentor_user_id: request.mentor, request.mentee_user_id: request.mentee}
    for user in dict.fromkeys(recipients):
        is_coordinator = user.pk not in own
        suggestions = (
            ""
            if is_coordinator
            else _absolute(reverse("matching:suggestions", kwargs={"code": own[user.pk].code}))
        )
        notify(
            "request_closed",
            recipient=user,
            about=request,
            occasion=request.status,
            email="match_request_closed",
            link=link,
            context={
                "request": request,
                "program": request.program,
                "suggestions": suggestions,
                "is_coordinator": is_coordinator,
                "is_requester": request.sent_by_id == user.pk and not request.is_proposal,
                "partner": _partner(request, user),
            },
        )


def send_match_started(match_id: int) -> None:
    """Tell both people (and a proposing coordinator) that their match has started."""
    from matching.models import Match

    match = Match.objects.with_people().select_related("request__sent_by").get(pk=match_id)
    link = _absolute(reverse("journals:workspace", kwargs={"code": match.code}))
    for participant, partner in ((match.mentor, match.mentee), (match.mentee, match.mentor)):
        notify(
            "match_started",
            recipient=participant.user,
            about=match,
            email="match_started",
            link=link,
            context={"match": match, "program": match.program, "partner": partner.user},
        )
    proposer = match.request.sent_by if match.request and match.request.is_proposal else None
    if proposer and proposer.pk not in (match.mentor.user_id, match.mentee.user_id):
        notify(
            "match_started",
            recipient=proposer,
            about=match,
            email="match_started",
            link=_absolute(
                reverse("matching:coordinator_requests", kwargs={"code": match.program.code})
            ),
            context={"match": match, "program": match.program, "is_coordinator": True},
        )


def send_match_changed(match_id: int, *, side: str, event_id: int) -> None:
    """Tell the people of a match that it ended early or was extended.

    When one of the pair ends it, the partner is told; when a coordinator acts, both.
    Each change is its own occasion (the MatchEvent that records it), so a second
    extension is told too, but the same one never twice.
    """
    from matching.models import Match, Side

    match = Match.objects.with_people().get(pk=match_id)
    link = _absolute(reverse("journals:workspace", kwargs={"code": match.code}))
    people = [(match.mentor, match.mentee), (match.mentee, match.mentor)]
    for participant, partner in people:
        if side != Side.COORDINATOR and participant.role == side:
            continue  # the person who ended it knows
        notify(
            "match_changed",
            recipient=participant.user,
            about=match,
            occasion=f"event-{event_id}",
            email="match_changed",
            link=link,
            context={"match": match, "program": match.program, "partner": partner.user},
        )


def send_match_completed(match_id: int) -> int:
    """Thank both people of a completed match; return how many notices were sent now."""
    from matching.models import Match

    match = Match.objects.with_people().get(pk=match_id)
    link = _absolute(reverse("journals:workspace", kwargs={"code": match.code}))
    sent = 0
    for participant, partner in ((match.mentor, match.mentee), (match.mentee, match.mentor)):
        notice = notify(
            "match_completed",
            recipient=participant.user,
            about=match,
            email="match_completed",
            link=link,
            context={"match": match, "program": match.program, "partner": partner.user},
        )
        sent += notice is not None
    return sent
