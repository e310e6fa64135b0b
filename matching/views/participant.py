"""The participant's side of matching: suggestions, asking for a match, answering
requests, and the match itself.

Requests and matches are fetched through `involving(request.user)`, so anyone who is
not one of the two people (coordinators included) gets 404.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from matching import pool as pool_module
from matching import reasons, scoring, services
from matching.forms import DeclineForm, RequestForm
from matching.models import Match, MatchRequest, Side
from matching.services import MatchingError
from matching.suggestions import suggestions_for
from programs.access import get_own_participation
from programs.forms.participant import show_error
from programs.models import Answer, Participant, Question

State = Participant.State
PAST_REQUESTS_SHOWN = 20

# The partner's answers shown on the match page: what you will talk about, and in which
# language. Sensitive and free-text answers are never shown to the other participant.
SUMMARY_KINDS = [Question.Kind.TOPICS, Question.Kind.LANGUAGES, Question.Kind.MULTIPLE_CHOICE]

EVENT_LABELS = {
    "sent": gettext_lazy("Request sent"),
    "proposed": gettext_lazy("Match proposed by the coordinators"),
    "approved": gettext_lazy("Approved"),
    "declined": gettext_lazy("Declined"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "expired": gettext_lazy("Expired: no answer in time"),
    "superseded": gettext_lazy("Closed by the platform"),
    "closed": gettext_lazy("Closed by a coordinator"),
}


# --- fetching: strangers get 404 ------------------------------------------------------


def _get_request(user, code) -> MatchRequest:
    return get_object_or_404(MatchRequest.objects.involving(user).with_people(), code=code)


def _get_candidate(participant: Participant, code) -> Participant:
    """Return a person of the other role in the same program; people who left are gone."""
    candidates = (
        Participant.objects.filter(program_id=participant.program_id)
        .exclude(role=participant.role)
        .exclude(state=State.WITHDRAWN)
        .exclude(user_id=participant.user_id)
        .select_related("user", "cycle")
    )
    return get_object_or_404(candidates, code=code)


# --- what the pages show --------------------------------------------------------------


@dataclass
class Card:
    """One suggested person, with the score and the reasons the viewer may read."""

    person: Participant
    score: int
    reasons: list
    free_places: int | None
    requested: MatchRequest | None
    awaits_me: bool
    lowered: bool = False


@dataclass
class Outlook:
    """A pair's current score and reasons; `refusal` says why it cannot be matched now."""

    score: int | None
    reasons: list
    refusal: str = ""


def _outlook(program, mentor, mentee, *, viewer, as_mentor: bool) -> Outlook:
    pool, people = pool_module.build_pool(program, [mentee], [mentor])
    why = reasons.describe(
        scoring.explain(pool, 0, 0), viewer=viewer, as_mentor=as_mentor, pairs=people.pairs
    )
    rule = pool_module.hard_rule_broken(pool, 0, 0)
    if rule is None:
        return Outlook(round(float(scoring.score_matrix(pool)[0, 0])), why)
    return Outlook(None, why, services.refusal_message(rule, mentor, people.pairs))


def _availability(participant: Participant) -> str:
    """Return where `participant` stands for new matches: the key of the page's message."""
    if participant.state in (State.INVITED, State.APPLIED, State.ENROLLED):
        return "not_ready"
    if participant.state == State.PAUSED:
        return "paused"
    if participant.state in (State.WITHDRAWN, State.COMPLETED):
        return "closed"
    if participant.free_places <= 0:
        return "matched"
    return "open"


def _cards(participant: Participant, viewer) -> tuple[list[Card], int]:
    found = suggestions_for(participant)
    side = participant.role
    cards = [
        Card(
            person=suggestion.person,
            score=round(suggestion.score),
            reasons=reasons.describe(
                suggestion.contributions,
                viewer=viewer,
                as_mentor=participant.is_mentor,
                pairs=found.pairs,
            ),
            free_places=suggestion.free_places,
            requested=suggestion.requested,
            awaits_me=bool(suggestion.requested and suggestion.requested.awaits(side)),
            lowered=suggestion.lowered,
        )
        for suggestion in found.suggestions
    ]
    return cards, found.pool_size


def _pair_of(participant: Participant, other: Participant) -> tuple[Participant, Participant]:
    """Return (mentor, mentee) of a pair."""
    return (participant, other) if participant.is_mentor else (other, participant)


# --- suggestions and asking -------------------------------------------------------------


@login_required
def suggestions(request, code):
    participant = get_own_participation(request.user, code)
    program = participant.program
    availability = _availability(participant)
    context = {
        "participant": participant,
        "program": program,
        "availability": availability,
        "matches": list(Match.objects.of_participant(participant).active().with_people()),
    }
    if availability == "open":
        cards, pool_size = _cards(participant, request.user)
        cycle = participant.cycle
        context.update(
            cards=cards,
            pool_size=pool_size,
            may_ask=services.may_initiate(program, participant.role),
            open_requests=MatchRequest.objects.sent_by(participant).pending().count(),
            matching_closed=cycle is not None and not cycle.matching_is_open(),
        )
    return render(request, "matching/participant/suggestions.html", context)


@login_required
def request_new(request, code, other):
    participant = get_own_participation(request.user, code)
    candidate = _get_candidate(participant, other)
    program = participant.program
    form = RequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.send_request(
                participant, candidate, by=request.user, message=form.cleaned_data["message"]
            )
        except MatchingError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("Your request is sent to %(name)s.") % {"name": candidate.user.display_name},
            )
            return redirect("matching:request", code=sent.code)
    mentor, mentee = _pair_of(participant, candidate)
    outlook = _outlook(
        program, mentor, mentee, viewer=request.user, as_mentor=participant.is_mentor
    )
    pending = MatchRequest.objects.pending().filter(mentor=mentor, mentee=mentee).first()
    if _availability(participant) != "open":
        blocker = _("You cannot ask for a new match at the moment: see your suggestions page.")
    elif not services.may_initiate(program, participant.role):
        blocker = _("In this program, the other side asks for a match.")
    elif candidate.state not in (services.MENTOR_OPEN_STATES | services.MENTEE_OPEN_STATES):
        blocker = _("%(name)s is not taking new matches at the moment.") % {
            "name": candidate.user.display_name
        }
    else:
        blocker = outlook.refusal
    context = {
        "participant": participant,
        "program": program,
        "candidate": candidate,
        "outlook": outlook,
        "pending": pending,
        "blocker": blocker,
        "form": form,
    }
    return render(request, "matching/participant/request_new.html", context)


# --- the inbox and one request ----------------------------------------------------------


def _with_partner(requests, participant: Participant) -> list[MatchRequest]:
    requests = list(requests)
    for match_request in requests:
        match_request.partner = (
            match_request.mentee if participant.is_mentor else match_request.mentor
        )
    return requests


@login_required
def requests_inbox(request, code):
    participant = get_own_participation(request.user, code)
    mine = MatchRequest.objects.of_participant(participant).with_people()
    approved_by_me = {f"{participant.role}_approved_at__isnull": False}
    awaiting = MatchRequest.objects.awaiting(participant).with_people().order_by("reply_due_at")
    context = {
        "participant": participant,
        "program": participant.program,
        "awaiting": _with_partner(awaiting, participant),
        "waiting": _with_partner(mine.pending().filter(**approved_by_me), participant),
        "past": _with_partner(
            mine.exclude(status=MatchRequest.Status.PENDING)[:PAST_REQUESTS_SHOWN], participant
        ),
        "past_shown": PAST_REQUESTS_SHOWN,
        "matches": list(Match.objects.of_participant(participant).active().with_people()),
    }
    return render(request, "matching/participant/requests.html", context)


def _render_request(request, match_request: MatchRequest, *, decline_form=None, status=200):
    side = match_request.side_of(request.user)
    me, partner = (
        (match_request.mentor, match_request.mentee)
        if side == Side.MENTOR
        else (match_request.mentee, match_request.mentor)
    )
    awaits_me = match_request.awaits(side)
    events = list(match_request.events.select_related("actor"))
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    context = {
        "match_request": match_request,
        "program": match_request.program,
        "participant": me,
        "partner": partner,
        "outlook": _outlook(
            match_request.program,
            match_request.mentor,
            match_request.mentee,
            viewer=request.user,
            as_mentor=side == Side.MENTOR,
        ),
        "stored_score": None if match_request.score is None else round(match_request.score),
        "events": events,
        "awaits_me": awaits_me,
        "awaits_partner": match_request.awaits(partner.role),
        "may_withdraw": match_request.is_pending
        and not match_request.is_proposal
        and match_request.sent_by_id == request.user.pk,
        "mark_seen": awaits_me and match_request.seen_at is None,
        "decline_form": decline_form or DeclineForm(),
    }
    return render(request, "matching/participant/request.html", context, status=status)


@login_required
def request_detail(request, code):
    return _render_request(request, _get_request(request.user, code))


@require_POST
@login_required
def request_approve(request, code):
    match_request = _get_request(request.user, code)
    try:
        match_request = services.approve_request(match_request, by=request.user)
    except MatchingError as error:
        messages.error(request, error.message)
        return redirect("matching:request", code=code)
    if match_request.status == MatchRequest.Status.APPROVED:
        messages.success(request, _("You are matched! Your match starts today."))
        return redirect("matching:match", code=match_request.match.code)
    messages.success(
        request, _("You approved. The match starts as soon as the other person approves too.")
    )
    return redirect("matching:request", code=code)


@require_POST
@login_required
def request_decline(request, code):
    match_request = _get_request(request.user, code)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _render_request(request, match_request, decline_form=form)
    try:
        services.decline_request(match_request, by=request.user, reason=form.cleaned_data["reason"])
    except MatchingError as error:
        if error.field == "reason":
            show_error(form, error)
            return _render_request(request, match_request, decline_form=form)
        messages.error(request, error.message)
    else:
        messages.success(request, _("You declined this request. The other person is told."))
    return redirect("matching:request", code=code)


@require_POST
@login_required
def request_withdraw(request, code):
    match_request = _get_request(request.user, code)
    try:
        services.withdraw_request(match_request, by=request.user)
    except MatchingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You withdrew your request."))
    return redirect("matching:request", code=code)


@require_POST
@login_required
def request_seen(request, code):
    """Record that the receiver opened the request; the page posts here once it has loaded."""
    match_request = _get_request(request.user, code)
    services.mark_seen(match_request, by=request.user)
    if request.htmx:
        return HttpResponse(status=204)
    return redirect("matching:request", code=code)


# --- the match ------------------------------------------------------------------------


def _answer_text(question: Question, value) -> str:
    if not isinstance(value, list):
        return ""
    if question.kind == Question.Kind.LANGUAGES:
        return ", ".join(reasons.language_name(str(code)) for code in value)
    return ", ".join(str(item) for item in value)


@login_required
def match_detail(request, code):
    match = get_object_or_404(Match.objects.involving(request.user).with_people(), code=code)
    partner = match.partner_of(request.user)
    me = match.mentee if partner.pk == match.mentor_id else match.mentor
    answers = (
        Answer.objects.filter(
            participant=partner,
            question__sensitive=False,
            question__hidden=False,
            question__kind__in=SUMMARY_KINDS,
        )
        .select_related("question")
        .order_by("question__position", "question__pk")
    )
    summary = [
        (answer.question.label, text)
        for answer in answers
        if (text := _answer_text(answer.question, answer.value))
    ]
    context = {
        "match": match,
        "program": match.program,
        "participant": me,
        "partner": partner,
        "summary": summary,
    }
    return render(request, "matching/participant/match.html", context)
