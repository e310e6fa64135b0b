"""Requests and proposals: asking, approving (which starts the match), declining, closing."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from matching import emails
from matching.models import (
    Match,
    MatchRequest,
    RequestEvent,
    Side,
    Source,
)
from matching.services.common import (
    MatchingError,
    State,
    Status,
    _check_pair,
    _clean_text,
    _lock_participants,
    _lock_request,
    _log,
    _require_matching_window,
    _require_open,
    _state_error,
    may_initiate,
)
from programs import milestones
from programs.models import Participant, ParticipantEvent
from programs.models.program import touch_pool
from programs.services.errors import require_coordinator

# --- requests ----------------------------------------------------------------------------


@transaction.atomic
def send_request(
    sender: Participant, receiver: Participant, *, by, message: str = ""
) -> MatchRequest:
    """Ask `receiver` for a match on behalf of `sender`; the sender's side is approved."""
    if by.pk != sender.user_id:
        raise MatchingError(_("You can only ask for a match for yourself."))
    message = _clean_text(message, MatchRequest.MESSAGE_MAX, "message")
    if sender.program_id != receiver.program_id or sender.role == receiver.role:
        raise MatchingError(_("Choose a person of the other role in the same program."))
    people = _lock_participants(sender.pk, receiver.pk)
    sender, receiver = people[sender.pk], people.get(receiver.pk)
    if receiver is None:
        raise MatchingError(_("This person is no longer in the program."))
    program = sender.program
    if not may_initiate(program, sender.role):
        raise MatchingError(_("In this program, the other side asks for a match."))
    mentor, mentee = (sender, receiver) if sender.is_mentor else (receiver, sender)
    if sender.cycle_id != receiver.cycle_id:
        raise MatchingError(_("This person takes part in another cycle."))
    _require_open(mentor, mentee)
    now = timezone.now()
    _require_matching_window(sender.cycle, now)
    open_count = MatchRequest.objects.sent_by(sender).pending().count()
    if open_count >= program.max_open_requests:
        raise MatchingError(
            _(
                "You already have %(count)d requests waiting for an answer, the most this "
                "program allows. Withdraw one or wait for an answer."
            )
            % {"count": open_count}
        )
    if MatchRequest.objects.pending().filter(mentor=mentor, mentee=mentee).exists():
        raise MatchingError(_("A request between you two is already waiting for an answer."))
    score = _check_pair(program, mentor, mentee)
    side = sender.role
    request = MatchRequest(
        program=program,
        cycle=sender.cycle,
        mentor=mentor,
        mentee=mentee,
        mentor_user_id=mentor.user_id,
        mentee_user_id=mentee.user_id,
        source=Source.PARTICIPANT,
        sender=side,
        sent_by=by,
        message=message,
        reply_due_at=now + timedelta(days=program.reply_window_days),
        score=score,
        **{f"{side}_approved_at": now},
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:  # matching_one_pending_request_per_pair: sent twice at once
        raise MatchingError(
            _("A request between you two is already waiting for an answer.")
        ) from None
    _log(request, by=by, action="sent", note=message)
    transaction.on_commit(lambda: emails.send_request_received(request.pk))
    return request


@transaction.atomic
def propose_match(
    mentor: Participant,
    mentee: Participant,
    *,
    by,
    message: str = "",
    source: str = Source.COORDINATOR,
) -> MatchRequest:
    """Propose a pair as a coordinator; both sides must approve before the match starts."""
    require_coordinator(mentor.program, by)
    message = _clean_text(message, MatchRequest.MESSAGE_MAX, "message")
    if mentor.program_id != mentee.program_id or not mentor.is_mentor or mentee.is_mentor:
        raise MatchingError(_("Choose a mentor and a mentee of this program."))
    people = _lock_participants(mentor.pk, mentee.pk)
    mentor, mentee = people[mentor.pk], people[mentee.pk]
    if mentor.cycle_id != mentee.cycle_id:
        raise MatchingError(_("These two people take part in different cycles."))
    _require_open(mentor, mentee)
    if MatchRequest.objects.pending().filter(mentor=mentor, mentee=mentee).exists():
        raise MatchingError(_("A request between these two is already waiting for an answer."))
    score = _check_pair(mentor.program, mentor, mentee)
    now = timezone.now()
    request = MatchRequest(
        program=mentor.program,
        cycle=mentee.cycle,
        mentor=mentor,
        mentee=mentee,
        mentor_user_id=mentor.user_id,
        mentee_user_id=mentee.user_id,
        source=source,
        sender=Side.COORDINATOR,
        sent_by=by,
        message=message,
        reply_due_at=now + timedelta(days=mentor.program.reply_window_days),
        score=score,
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise MatchingError(
            _("A request between these two is already waiting for an answer.")
        ) from None
    _log(request, by=by, action="proposed", note=message)
    transaction.on_commit(lambda: emails.send_request_received(request.pk))
    return request


def approve_request(request: MatchRequest, *, by) -> MatchRequest:
    """Record `by`'s approval; start the match once both sides have approved.

    An approval that arrives after the reply window has passed expires the request
    (that change is kept) and is refused.
    """
    with transaction.atomic():
        request, mentor, mentee = _lock_request(request)
        side = request.side_of(by)
        if side is None:
            raise MatchingError(_("This request is not addressed to you."))
        if not request.is_pending:
            raise _state_error(request)
        if request.approved_by(side):
            raise MatchingError(
                _("You have already approved; the request is waiting for the other side.")
            )
        now = timezone.now()
        expired = request.reply_due_at <= now
        if expired:
            _close(request, Status.EXPIRED, by=None, note="", now=now)
            transaction.on_commit(lambda: emails.send_request_closed(request.pk))
        else:
            _require_matching_window(request.cycle, now)
            setattr(request, f"{side}_approved_at", now)
            if request.approved_by(Side.MENTOR) and request.approved_by(Side.MENTEE):
                _require_open(mentor, mentee)
                _start_match(request, mentor, mentee, by=by, now=now)
            else:
                request.save(update_fields=[f"{side}_approved_at"])
                _log(request, by=by, action="approved")
    if expired:
        raise _state_error(request)
    return request


def _start_match(request, mentor, mentee, *, by, now) -> Match:
    # Lock the program row (by raising its pool version) before superseding other
    # requests: pausing or resizing someone locks their program before closing their
    # requests, so taking it later here could deadlock with them.
    touch_pool(request.program_id)
    request.status = Status.APPROVED
    request.closed_at = now
    request.closed_by = by
    request.save(update_fields=["status", "closed_at", "closed_by", *_approvals()])
    started_on = now.date()
    match = Match.objects.create(
        program=request.program,
        cycle=request.cycle,
        mentor=mentor,
        mentee=mentee,
        request=request,
        source=request.source,
        score=request.score,
        started_at=now,
        started_on=started_on,
        ends_on=Match.end_date(request.program, started_on),
    )
    events = []
    for person in (mentor, mentee):
        before = person.state
        Participant.objects.filter(pk=person.pk).update(
            active_matches=F("active_matches") + 1, state=State.MATCHED, updated_at=now
        )
        person.refresh_from_db(fields=["active_matches", "state"])
        events.append(
            ParticipantEvent(
                participant=person,
                actor=by,
                action="matched",
                from_state=before,
                to_state=State.MATCHED,
                note=str(match.code),
                created_at=now,
            )
        )
    milestones.record(events)
    _log(request, by=by, action="approved", note="match_started")
    closed = _supersede(
        MatchRequest.objects.pending().filter(mentee=mentee), "mentee_matched", now=now
    )
    if mentor.free_places <= 0:
        closed += _supersede(
            MatchRequest.objects.pending().filter(mentor=mentor), "mentor_full", now=now
        )
    transaction.on_commit(lambda: emails.send_match_started(match.pk))
    for closed_id in closed:
        transaction.on_commit(lambda pk=closed_id: emails.send_request_closed(pk))
    return match


def _approvals():
    return ["mentor_approved_at", "mentee_approved_at"]


def _supersede(requests, code: str, *, now) -> list[int]:
    """Close pending `requests` that can no longer succeed, for the reason `code` (one of
    models.CLOSE_CODES, translated when shown); return their ids."""
    ids = list(requests.values_list("pk", flat=True))
    if not ids:
        return []
    MatchRequest.objects.filter(pk__in=ids, status=Status.PENDING).update(
        status=Status.SUPERSEDED, closed_at=now, close_code=code
    )
    RequestEvent.objects.bulk_create(
        RequestEvent(request_id=pk, action="superseded", note=code, created_at=now) for pk in ids
    )
    return ids


def _close(request, status, *, by, note, now) -> None:
    request.status = status
    request.closed_at = now
    request.closed_by = by
    request.close_reason = note
    request.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])
    _log(request, by=by, action=status, note=note)


@transaction.atomic
def decline_request(request: MatchRequest, *, by, reason: str = "") -> MatchRequest:
    """Record that the side `by` answers for does not want this match (reason optional)."""
    reason = _clean_text(reason, MatchRequest.REASON_MAX, "reason")
    request, _mentor, _mentee = _lock_request(request)
    side = request.side_of(by)
    if side is None:
        raise MatchingError(_("This request is not addressed to you."))
    if not request.is_pending:
        raise _state_error(request)
    if not request.awaits(side):
        raise MatchingError(_("You sent this request: withdraw it instead of declining it."))
    _close(request, Status.DECLINED, by=by, note=reason, now=timezone.now())
    transaction.on_commit(lambda: emails.send_request_closed(request.pk))
    return request


@transaction.atomic
def withdraw_request(request: MatchRequest, *, by) -> MatchRequest:
    """Take back a request `by` sent while it is still pending."""
    request, _mentor, _mentee = _lock_request(request)
    if request.is_proposal or request.sent_by_id != by.pk:
        raise MatchingError(_("Only the person who sent a request can withdraw it."))
    if not request.is_pending:
        raise _state_error(request)
    _close(request, Status.WITHDRAWN, by=by, note="", now=timezone.now())
    transaction.on_commit(lambda: emails.send_request_closed(request.pk))
    return request


@transaction.atomic
def close_request(request: MatchRequest, *, by, reason: str) -> MatchRequest:
    """Close a pending request as a coordinator, with a reason both sides will read."""
    require_coordinator(request.program, by)
    reason = _clean_text(reason, MatchRequest.REASON_MAX, "reason")
    if not reason:
        raise MatchingError(_("Give a reason: both people will read it."), field="reason")
    request, _mentor, _mentee = _lock_request(request)
    if not request.is_pending:
        raise _state_error(request)
    _close(request, Status.CLOSED, by=by, note=reason, now=timezone.now())
    transaction.on_commit(lambda: emails.send_request_closed(request.pk))
    return request


def expire_request(request_id: int) -> bool:
    """Expire a pending request whose reply window has passed; return whether it did."""
    request = MatchRequest.objects.due_to_expire().filter(pk=request_id).first()
    if request is None:
        return False
    with transaction.atomic():
        request, _mentor, _mentee = _lock_request(request)
        now = timezone.now()
        if not request.is_pending or request.reply_due_at > now:
            return False
        _close(request, Status.EXPIRED, by=None, note="", now=now)
        transaction.on_commit(lambda: emails.send_request_closed(request.pk))
    return True


def mark_seen(request: MatchRequest, *, by) -> bool:
    """Record that the receiver has opened the request (once); return whether it changed."""
    side = request.side_of(by)
    if side is None or not request.awaits(side):
        return False
    return bool(
        MatchRequest.objects.filter(pk=request.pk, seen_at=None, status=Status.PENDING).update(
            seen_at=timezone.now()
        )
    )


def close_requests_of(participant: Participant, *, change: str, by=None) -> list[int]:
    """Close the pending requests a participant's pause, departure or capacity ends."""
    now = timezone.now()
    if change in {"paused", "withdrawn"}:
        requests = MatchRequest.objects.pending().of_participant(participant)
        closed = _supersede(requests, f"{change}:{participant.role}", now=now)
    elif change == "capacity" and participant.is_mentor and participant.free_places <= 0:
        closed = _supersede(
            MatchRequest.objects.pending().filter(mentor=participant), "mentor_full", now=now
        )
    else:
        return []
    for pk in closed:
        transaction.on_commit(lambda pk=pk: emails.send_request_closed(pk))
    return closed
