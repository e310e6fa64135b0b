"""Every change of state in matching: requests, proposals, approvals and auto-match runs.

Concurrency: every change to a request or a match locks, inside one transaction,
first the two participants (ordered by primary key, so two transactions never wait
on each other in opposite orders), then the request; a match starting then locks the
program row (its pool version) before it closes any other request, the order
pausing, withdrawing and resizing a participant use too. Capacity, "one active match
per mentee" and "one pending request per pair" are also database constraints,
so even a path that forgot a lock could not break them.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching import emails
from matching.models import AutoMatchRun, Match, MatchRequest, RequestEvent, Side, Source
from programs.models import Participant, ParticipantEvent
from programs.models.program import Program, Role, touch_pool
from programs.services.errors import ProgramError, require_coordinator

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
    for person in (mentor, mentee):
        before = person.state
        Participant.objects.filter(pk=person.pk).update(
            active_matches=F("active_matches") + 1, state=State.MATCHED, updated_at=now
        )
        person.refresh_from_db(fields=["active_matches", "state"])
        ParticipantEvent.objects.create(
            participant=person,
            actor=by,
            action="matched",
            from_state=before,
            to_state=State.MATCHED,
            note=str(match.code),
        )
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


# --- auto-match --------------------------------------------------------------------------


def start_automatch(program: Program, cycle, *, by) -> AutoMatchRun:
    """Queue an auto-match computation for a cycle's pool."""
    require_coordinator(program, by)
    if cycle is not None and cycle.program_id != program.pk:
        raise MatchingError(_("That cycle belongs to another program."))
    run = AutoMatchRun.objects.create(program=program, cycle=cycle, started_by=by)
    from matching import tasks

    transaction.on_commit(lambda: tasks.compute_automatch.delay(run.pk))
    return run


def _editable_run(run: AutoMatchRun, by) -> AutoMatchRun:
    require_coordinator(run.program, by)
    run = AutoMatchRun.objects.select_for_update().select_related("program").get(pk=run.pk)
    if run.status != AutoMatchRun.Status.DONE:
        raise MatchingError(
            _("This auto-match is %(state)s: it can no longer be changed.")
            % {"state": run.get_status_display().lower()}
        )
    return run


@transaction.atomic
def drop_automatch_pair(run: AutoMatchRun, mentee_id: int, *, by) -> AutoMatchRun:
    """Leave one proposed pair out of an auto-match before it is sent."""
    run = _editable_run(run, by)
    pairs = run.result.get("pairs", [])
    kept = [pair for pair in pairs if pair["mentee"] != mentee_id]
    if len(kept) == len(pairs):
        raise MatchingError(_("That pair is not in this auto-match."))
    run.result = {**run.result, "pairs": kept, "edited": True}
    run.save(update_fields=["result"])
    return run


@transaction.atomic
def swap_automatch_mentors(run: AutoMatchRun, first: int, second: int, *, by) -> AutoMatchRun:
    """Exchange the mentors of two proposed pairs, if both new pairs are allowed."""
    run = _editable_run(run, by)
    pairs = {pair["mentee"]: pair for pair in run.result.get("pairs", [])}
    if first == second or first not in pairs or second not in pairs:
        raise MatchingError(_("Choose two different pairs of this auto-match."))
    one, other = pairs[first], pairs[second]
    people = {
        p.pk: p
        for p in Participant.objects.select_related("user").filter(
            pk__in=[first, second, one["mentor"], other["mentor"]]
        )
    }
    from matching import pool as pool_module
    from matching import scoring

    mentees = [people[first], people[second]]
    mentors = [people[other["mentor"]], people[one["mentor"]]]
    for mentor in mentors:
        mentor.active_matches = 0  # their places are held for these very pairs
    pool, pool_people = pool_module.build_pool(run.program, mentees, mentors)
    for index in (0, 1):
        rule = pool_module.hard_rule_broken(pool, index, index)
        if rule is not None:
            raise MatchingError(refusal_message(rule, mentors[index], pool_people.pairs))
    scores = scoring.score_matrix(pool)
    one["mentor"], other["mentor"] = other["mentor"], one["mentor"]
    one["score"], other["score"] = float(scores[0, 0]), float(scores[1, 1])
    run.result = {**run.result, "pairs": list(pairs.values()), "edited": True}
    run.save(update_fields=["result"])
    return run


def send_automatch(run: AutoMatchRun, *, by) -> tuple[int, list[str]]:
    """Turn every kept pair into a proposal both sides must approve.

    Returns how many were sent and, for the others, why they were not (someone was
    matched or paused since the run, say). The run is marked sent once.
    """
    with transaction.atomic():
        run = _editable_run(run, by)
        updated = AutoMatchRun.objects.filter(pk=run.pk, status=AutoMatchRun.Status.DONE).update(
            status=AutoMatchRun.Status.SENT, sent_at=timezone.now(), sent_by=by
        )
        if not updated:
            raise MatchingError(_("This auto-match has already been sent."))
    pairs = run.result.get("pairs", [])
    people = Participant.objects.select_related("user", "program", "cycle").in_bulk(
        [pair["mentee"] for pair in pairs] + [pair["mentor"] for pair in pairs]
    )
    sent, problems = 0, []
    for pair in pairs:
        mentee, mentor = people.get(pair["mentee"]), people.get(pair["mentor"])
        if mentee is None or mentor is None:
            continue
        try:
            propose_match(mentor, mentee, by=by, source=Source.AUTOMATCH)
            sent += 1
        except ProgramError as error:
            problems.append(
                _("%(mentee)s and %(mentor)s: %(reason)s")
                % {
                    "mentee": mentee.user.display_name,
                    "mentor": mentor.user.display_name,
                    "reason": error.message,
                }
            )
    result = {**run.result, "sent": sent, "problems": problems}
    AutoMatchRun.objects.filter(pk=run.pk).update(result=result)
    return sent, problems
