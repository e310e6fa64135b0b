"""Demo matching: requests in every state, two active matches, and a pool for auto-match;
and for each finished cohort, its requests and matches at the dates they happened."""

from datetime import UTC, datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from matching import services
from matching.models import Match, MatchEvent, MatchRequest, RequestEvent, Source
from programs.models import Participant, ParticipantEvent


def _person(program, user, role) -> Participant | None:
    return (
        Participant.objects.select_related("user", "program", "cycle")
        .filter(program=program, user=user, role=role)
        .first()
    )


def seed_matching(program, *, coordinator, mentors, mentees, extra) -> None:
    """Give `program` pending, declined, withdrawn, expired and superseded requests and two
    active matches, leaving most ready people unmatched for auto-match. Safe to run again."""
    if MatchRequest.objects.filter(program=program).exists():
        return

    def mentor(user):
        return _person(program, user, "mentor")

    def mentee(user):
        return _person(program, user, "mentee")

    def ask(sender, receiver, message=""):
        return services.send_request(sender, receiver, by=sender.user, message=message)

    # A match the mentor approved; the mentee's second request is superseded by it.
    first = ask(mentee(extra[10]), mentor(extra[0]), "Your negotiation experience is what I need.")
    ask(mentee(extra[10]), mentor(extra[5]), "I would love to learn about hiring.")
    services.approve_request(first, by=extra[0])
    # A coordinator's proposal both sides approved.
    proposal = services.propose_match(
        mentor(extra[1]), mentee(extra[11]), by=coordinator, message="You share three topics."
    )
    services.approve_request(proposal, by=extra[1])
    services.approve_request(proposal, by=extra[11])
    # Declined, withdrawn and expired requests.
    declined = ask(mentee(extra[12]), mentor(extra[2]), "Could you help me with public speaking?")
    services.decline_request(declined, by=extra[2], reason="My calendar is full this quarter.")
    withdrawn = ask(mentee(extra[14]), mentor(extra[4]))
    services.withdraw_request(withdrawn, by=extra[14])
    expired = ask(mentee(extra[13]), mentor(extra[3]), "Hello! Would you mentor me?")
    MatchRequest.objects.filter(pk=expired.pk).update(
        created_at=F("created_at") - timezone.timedelta(days=10),
        reply_due_at=timezone.now() - timezone.timedelta(days=3),
    )
    services.expire_request(expired.pk)
    # Requests waiting for the demo mentors, so their inboxes have something in them.
    ask(mentee(mentees[0]), mentor(mentors[0]), "I am preparing my first team lead role.")
    ask(mentee(mentees[2]), mentor(mentors[1]), "Your time zone suits me well.")


# ---------------------------------------------------------------- finished cohorts

# What a mentee's first message says, and what a mentor answers when they decline.
ASKING = [
    "Your experience leading a team is exactly what I hope to learn from.",
    "I am preparing for my first management role: could we work on it together?",
    "We share three topics, and your time zone suits me well.",
    "I would value your advice on giving feedback to senior colleagues.",
    "",
]
DECLINING = [
    "My calendar is full this quarter, sorry.",
    "I think another mentor would suit your goals better.",
    "I already said yes to two people.",
]
# Why a match of a finished cohort ended early, as the person ending it wrote it; the
# evaluation demo answers the end survey's reason question from these.
EARLY_ENDS = [
    ("mentee", "My team was reorganised and I could not find time to meet."),
    ("mentor", "I am moving to another company next month."),
    ("mentee", "We reached what I wanted to work on sooner than planned."),
    ("mentor", "Our expectations turned out to be too different."),
]
# How each mentee of a finished cohort found a mentor, in turn.
PATTERN = [
    "request",
    "proposal",
    "declined_first",
    "request",
    "two_at_once",
    "withdrawn_first",
    "automatch",
    "request",
    "expired_first",
    "request",
    "proposal",
    "declined_first",
    "two_at_once",
    "request",
]


def _place_request(past, request: MatchRequest, sent, answered) -> None:
    """Move a request of a finished cohort, its history and the match it started to when
    they happened: sent at `sent`, answered (or closed) at `answered`."""
    program = past.cycle.program
    request = MatchRequest.objects.get(pk=request.pk)
    changes = {
        "created_at": sent,
        "reply_due_at": sent + timedelta(days=program.reply_window_days),
    }
    for side in ("mentor", "mentee"):
        if getattr(request, f"{side}_approved_at") is not None:
            changes[f"{side}_approved_at"] = sent if request.sender == side else answered
    if request.closed_at is not None:
        changes["closed_at"] = answered
    MatchRequest.objects.filter(pk=request.pk).update(**changes)
    events = RequestEvent.objects.filter(request=request)
    events.filter(action__in=["sent", "proposed"]).update(created_at=sent)
    events.exclude(action__in=["sent", "proposed"]).update(created_at=answered)
    match = Match.objects.filter(request=request).first()
    if match is not None:
        Match.objects.filter(pk=match.pk).update(
            started_at=answered,
            started_on=answered.date(),
            ends_on=Match.end_date(program, answered.date()),
            last_activity_at=answered,
        )
        ParticipantEvent.objects.filter(action="matched", note=str(match.code)).update(
            created_at=answered
        )


def _ask(mentee: Participant, mentors: list[Participant], message: str) -> MatchRequest | None:
    """Send `mentee`'s request to the first of `mentors` who can take it."""
    for mentor in mentors:
        try:
            return services.send_request(mentee, mentor, by=mentee.user, message=message)
        except services.MatchingError:
            continue
    return None


def _turn(mentors: list, start: int) -> list:
    return mentors[start % len(mentors) :] + mentors[: start % len(mentors)]


def _noise(past, mentee, kind, others, when):
    """Record a request of `mentee` that led nowhere; return when it was over."""
    rng = past.rng
    request = _ask(mentee, others, rng.choice(ASKING))
    if request is None:
        return when
    if kind == "declined":
        over = when + timedelta(days=rng.uniform(1, 3))
        services.decline_request(request, by=request.mentor_user, reason=rng.choice(DECLINING))
    elif kind == "withdrawn":
        over = when + timedelta(days=rng.uniform(0.5, 2))
        services.withdraw_request(request, by=mentee.user)
    else:
        over = when + timedelta(days=past.cycle.program.reply_window_days)
        MatchRequest.objects.filter(pk=request.pk).update(
            reply_due_at=timezone.now() - timedelta(minutes=1)
        )
        services.expire_request(request.pk)
    _place_request(past, request, when, over)
    return over + timedelta(days=rng.uniform(0.3, 2))


def _matched(past, mentee, kind, candidates, others, when) -> Match | None:
    """Start `mentee`'s match the way `kind` says; return it."""
    rng, coordinator = past.rng, past.coordinator
    superseded = None
    if kind in ("proposal", "automatch"):
        when += timedelta(days=rng.uniform(1, 5))
        for mentor in candidates:
            try:
                request = services.propose_match(
                    mentor,
                    mentee,
                    by=coordinator,
                    message="You share goals and topics: I think you would work well together.",
                    source=Source.AUTOMATCH if kind == "automatch" else Source.COORDINATOR,
                )
            except services.MatchingError:
                continue
            services.approve_request(request, by=mentor.user)
            request = services.approve_request(request, by=mentee.user)
            break
        else:
            return None
    else:
        if kind == "two_at_once":
            superseded = _ask(mentee, others, rng.choice(ASKING))
        request = _ask(mentee, candidates, rng.choice(ASKING))
        if request is None:
            return None
        request = services.approve_request(request, by=request.mentor_user)
    started = when + timedelta(days=rng.uniform(0.5, 4))
    if superseded is not None:
        _place_request(past, superseded, when, started)
    _place_request(past, request, when, started)
    return Match.objects.get(request=request)


def seed_past_matches(past) -> list[Match]:
    """Give a finished cohort its requests (every outcome) and matches, at the dates they
    happened: most mentees matched, two or three not; most matches completed, two ended
    early."""
    rng = past.rng
    mentors, mentees = past.mentors, past.mentees
    number = past.number
    places = {mentor.pk: mentor.capacity for mentor in mentors}
    unmatched = 3 if number == 0 else 2
    matched, ended = [], set()
    for n, mentee in enumerate(mentees):
        when = max(past.ready_at[mentee.pk], past.matching_opens_at) + timedelta(
            days=rng.uniform(0.2, 3)
        )
        candidates = [mentor for mentor in _turn(mentors, n) if places[mentor.pk] > 0]
        others = [mentor for mentor in _turn(mentors, n + 3) if places[mentor.pk] > 0]
        others = [mentor for mentor in others if mentor != candidates[0]] or others
        if n >= len(mentees) - unmatched:  # nobody took them on
            _noise(past, mentee, "expired" if n % 2 else "declined", others, when)
            continue
        kind = PATTERN[(n + number) % len(PATTERN)]
        if kind.endswith("_first"):
            when = _noise(past, mentee, kind.removesuffix("_first"), others, when)
        match = _matched(past, mentee, kind, candidates, others, when)
        if match is not None:
            places[match.mentor_id] -= 1
            matched.append(match)
            if n in ((3, 6), (4, 8))[number % 2]:
                ended.add(match.pk)
    for n, match in enumerate(matched):
        match = Match.objects.with_people().get(pk=match.pk)
        if match.pk in ended:
            side, reason = EARLY_ENDS[(n + number) % len(EARLY_ENDS)]
            before = timezone.now()
            services.end_match(match, by=getattr(match, side).user, reason=reason)
            over = match.started_at + timedelta(weeks=rng.uniform(3, 6))
            Match.objects.filter(pk=match.pk).update(ended_at=over)
            MatchEvent.objects.filter(match=match).update(created_at=over)
            ParticipantEvent.objects.filter(
                participant__in=[match.mentor_id, match.mentee_id],
                action="match_ended",
                created_at__gte=before,
            ).update(created_at=over)
        else:
            finished = datetime.combine(match.ends_on + timedelta(days=1), time(14, 0), tzinfo=UTC)
            services.complete_matches([match.pk], now=finished)
    return list(Match.objects.with_people().filter(cycle=past.cycle).order_by("started_at"))
