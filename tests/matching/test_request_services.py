"""The life of a match request and the rules every request and match obeys."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from matching import services
from matching.models import Match, MatchRequest, RequestEvent, Side
from matching.services import MatchingError
from programs import services as programs
from programs.models import Participant, ParticipantEvent, Program
from programs.services.errors import ProgramError
from programs.signals import participant_changed
from tests.factories import UserFactory
from tests.matching.builders import make_ready, matching_program
from tests.programs.builders import enrol

Status = MatchRequest.Status
State = Participant.State


def mentor_of(program, name="Mia Mentor", capacity=2, **answers):
    user = UserFactory(display_name=name)
    return make_ready(program, user, role="mentor", capacity=capacity, **answers)


def mentee_of(program, name="Theo Mentee", **answers):
    return make_ready(program, UserFactory(display_name=name), role="mentee", **answers)


def ask(mentee, mentor, message="Hello!"):
    return services.send_request(mentee, mentor, by=mentee.user, message=message)


def fresh(row):
    row.refresh_from_db()
    return row


# --- lifecycle -------------------------------------------------------------------------


def test_a_mentees_request_waits_for_the_mentor_with_the_mentee_side_approved(program):
    mentor, mentee = mentor_of(program), mentee_of(program)

    request = ask(mentee, mentor, message="  I would love your help.  ")

    request = fresh(request)
    assert request.status == Status.PENDING
    assert request.sender == Side.MENTEE
    assert request.mentee_approved_at is not None
    assert request.mentor_approved_at is None
    assert request.awaits(Side.MENTOR) and not request.awaits(Side.MENTEE)
    assert request.message == "I would love your help."
    assert request.reply_due_at > timezone.now() + timedelta(days=program.reply_window_days - 1)
    assert list(request.events.values_list("action", flat=True)) == ["sent"]


def test_the_mentors_approval_starts_the_match_for_a_cycle(program):
    mentor, mentee = mentor_of(program), mentee_of(program)
    request = ask(mentee, mentor)

    request = services.approve_request(request, by=mentor.user)

    match = request.match
    assert fresh(request).status == Status.APPROVED
    assert request.closed_at is not None and request.closed_by == mentor.user
    assert match.status == Match.Status.ACTIVE
    assert (match.mentor, match.mentee) == (mentor, mentee)
    assert match.ends_on == match.started_on + timedelta(weeks=program.cycle_weeks)
    for person in (fresh(mentor), fresh(mentee)):
        assert person.state == State.MATCHED
        assert person.active_matches == 1
        event = ParticipantEvent.objects.filter(participant=person, action="matched").get()
        assert event.to_state == State.MATCHED
        assert event.from_state == State.READY
        assert event.actor == mentor.user
        assert event.note == str(match.code)
    assert list(request.events.values_list("action", flat=True)) == ["sent", "approved"]


def test_a_match_supersedes_the_mentees_other_requests_with_a_reason(program):
    mentor, other_mentor = mentor_of(program), mentor_of(program, "Olli Other")
    mentee = mentee_of(program)
    chosen, other = ask(mentee, mentor), ask(mentee, other_mentor)

    services.approve_request(chosen, by=mentor.user)

    other = fresh(other)
    assert other.status == Status.SUPERSEDED
    assert other.reason == "The mentee started a match with someone else."
    assert other.closed_at is not None
    assert other.events.filter(action="superseded").exists()


def test_a_mentor_who_becomes_full_has_their_other_requests_superseded(program):
    mentor = mentor_of(program, capacity=1)
    first, second = mentee_of(program), mentee_of(program, "Sam Second")
    chosen, other = ask(first, mentor), ask(second, mentor)

    services.approve_request(chosen, by=mentor.user)

    other = fresh(other)
    assert other.status == Status.SUPERSEDED
    assert other.reason == "The mentor has no free places left."


def test_a_mentor_with_places_left_keeps_their_other_requests(program):
    mentor = mentor_of(program, capacity=2)
    first, second = mentee_of(program), mentee_of(program, "Sam Second")
    chosen, other = ask(first, mentor), ask(second, mentor)

    services.approve_request(chosen, by=mentor.user)

    assert fresh(other).status == Status.PENDING


def test_a_decline_keeps_its_reason(program):
    mentor, mentee = mentor_of(program), mentee_of(program)
    request = ask(mentee, mentor)

    services.decline_request(request, by=mentor.user, reason="  I am away all spring.  ")

    request = fresh(request)
    assert request.status == Status.DECLINED
    assert request.close_reason == "I am away all spring."
    assert request.closed_by == mentor.user
    event = request.events.get(action="declined")
    assert (event.actor, event.note) == (mentor.user, "I am away all spring.")


def test_only_the_sender_can_withdraw_a_request(program):
    mentor, mentee = mentor_of(program), mentee_of(program)
    request = ask(mentee, mentor)

    with pytest.raises(MatchingError, match="Only the person who sent a request"):
        services.withdraw_request(request, by=mentor.user)
    assert fresh(request).status == Status.PENDING

    services.withdraw_request(request, by=mentee.user)
    assert fresh(request).status == Status.WITHDRAWN


def test_a_coordinator_closes_a_request_only_with_a_reason_and_it_is_logged(
    program, coordinator, time_machine
):
    mentor, mentee = mentor_of(program), mentee_of(program)
    request = ask(mentee, mentor)

    with pytest.raises(MatchingError, match="Give a reason") as refused:
        services.close_request(request, by=coordinator, reason="   ")
    assert refused.value.field == "reason"
    assert fresh(request).status == Status.PENDING

    moment = timezone.now().replace(microsecond=0) + timedelta(minutes=5)
    time_machine.move_to(moment, tick=False)
    services.close_request(request, by=coordinator, reason="Mia is leaving the company.")

    request = fresh(request)
    assert request.status == Status.CLOSED
    assert (request.closed_by, request.closed_at) == (coordinator, moment)
    assert request.close_reason == "Mia is leaving the company."
    event = request.events.get(action="closed")
    assert (event.actor, event.created_at, event.note) == (
        coordinator,
        moment,
        "Mia is leaving the company.",
    )


def test_only_a_coordinator_of_the_program_can_close_a_request(program, other_coordinator):
    mentor, mentee = mentor_of(program), mentee_of(program)
    request = ask(mentee, mentor)

    for person in (other_coordinator, mentor.user, mentee.user):
        with pytest.raises(ProgramError):
            services.close_request(request, by=person, reason="No.")
    assert fresh(request).status == Status.PENDING


def _end_in(state, request, *, mentor, mentee, coordinator):
    if state == Status.APPROVED:
        services.approve_request(request, by=mentor.user)
    elif state == Status.DECLINED:
        services.decline_request(request, by=mentor.user, reason="No time.")
    elif state == Status.WITHDRAWN:
        services.withdraw_request(request, by=mentee.user)
    elif state == Status.CLOSED:
        services.close_request(request, by=coordinator, reason="Reorganisation.")
    elif state == Status.EXPIRED:
        MatchRequest.objects.filter(pk=request.pk).update(
            reply_due_at=timezone.now() - timedelta(minutes=1)
        )
        assert services.expire_request(request.pk)
    elif state == Status.SUPERSEDED:
        programs.pause_participant(mentor, by=mentor.user)


@pytest.mark.parametrize("state", sorted(MatchRequest.TERMINAL))
def test_terminal_states_are_final_and_every_action_names_the_state(program, coordinator, state):
    mentor, mentee = mentor_of(program), mentee_of(program)
    request = ask(mentee, mentor)
    _end_in(state, request, mentor=mentor, mentee=mentee, coordinator=coordinator)
    request = fresh(request)
    assert request.status == state
    named = f"it is {request.get_status_display().lower()}"
    before = (request.status, request.closed_at, request.close_reason)

    attempts = [
        lambda: services.approve_request(request, by=mentor.user),
        lambda: services.decline_request(request, by=mentor.user, reason="Changed my mind."),
        lambda: services.withdraw_request(request, by=mentee.user),
        lambda: services.close_request(request, by=coordinator, reason="Tidying up."),
    ]
    for attempt in attempts:
        with pytest.raises(MatchingError) as refused:
            attempt()
        assert named in refused.value.message
    assert not services.expire_request(request.pk)
    request = fresh(request)
    assert (request.status, request.closed_at, request.close_reason) == before


def test_asking_again_after_a_decline_makes_a_new_request_and_keeps_the_old_one(program):
    mentor, mentee = mentor_of(program), mentee_of(program)
    first = ask(mentee, mentor)
    services.decline_request(first, by=mentor.user, reason="Not now.")

    second = ask(mentee, mentor, message="Maybe now?")

    assert second.pk != first.pk
    assert fresh(first).status == Status.DECLINED
    assert fresh(second).status == Status.PENDING
    assert MatchRequest.objects.filter(mentor=mentor, mentee=mentee).count() == 2


def test_nothing_is_deleted_along_the_way(program, coordinator):
    mentor = mentor_of(program, capacity=1)
    first, second, third = (mentee_of(program, name) for name in ("Ann", "Ben", "Cid"))
    withdrawn, declined, closed = ask(first, mentor), ask(second, mentor), ask(third, mentor)
    services.withdraw_request(withdrawn, by=first.user)
    services.decline_request(declined, by=mentor.user)
    services.close_request(closed, by=coordinator, reason="Duplicate.")
    approved, superseded = ask(first, mentor), ask(second, mentor)
    services.approve_request(approved, by=mentor.user)

    assert MatchRequest.objects.filter(mentor=mentor).count() == 5
    assert sorted(MatchRequest.objects.values_list("status", flat=True)) == sorted(
        [Status.WITHDRAWN, Status.DECLINED, Status.CLOSED, Status.APPROVED, Status.SUPERSEDED]
    )
    assert RequestEvent.objects.filter(request=superseded, action="superseded").exists()
    assert Match.objects.count() == 1


# --- rules -----------------------------------------------------------------------------


def test_nobody_can_ask_themselves_in_a_dual_role_program(coordinator):
    program, _cycle = matching_program(coordinator, allow_dual_role=True)
    user = UserFactory(display_name="Dana Dual")
    as_mentor = make_ready(program, user, role="mentor")
    as_mentee = make_ready(program, user, role="mentee")

    with pytest.raises(MatchingError, match="You cannot be matched with yourself."):
        services.send_request(as_mentee, as_mentor, by=user)
    with pytest.raises(MatchingError, match="You cannot be matched with yourself."):
        services.propose_match(as_mentor, as_mentee, by=coordinator)
    assert not MatchRequest.objects.exists()


def test_the_database_refuses_a_request_to_oneself(coordinator):
    program, _cycle = matching_program(coordinator, allow_dual_role=True)
    user = UserFactory()
    as_mentor = make_ready(program, user, role="mentor")
    as_mentee = make_ready(program, user, role="mentee")

    with (
        pytest.raises(IntegrityError, match="matching_no_request_to_oneself"),
        transaction.atomic(),
    ):
        MatchRequest.objects.create(
            program=program,
            mentor=as_mentor,
            mentee=as_mentee,
            mentor_user=user,
            mentee_user=user,
            sender=Side.MENTEE,
            reply_due_at=timezone.now() + timedelta(days=7),
        )


def test_a_pair_has_at_most_one_pending_request(program, coordinator):
    mentor, mentee = mentor_of(program), mentee_of(program)
    request = ask(mentee, mentor)

    with pytest.raises(MatchingError, match="already waiting for an answer"):
        ask(mentee, mentor)
    with pytest.raises(MatchingError, match="already waiting for an answer"):
        services.propose_match(mentor, mentee, by=coordinator)
    with (
        pytest.raises(IntegrityError, match="matching_one_pending_request_per_pair"),
        transaction.atomic(),
    ):
        MatchRequest.objects.create(
            program=program,
            cycle=request.cycle,
            mentor=mentor,
            mentee=mentee,
            mentor_user=mentor.user,
            mentee_user=mentee.user,
            sender=Side.MENTEE,
            reply_due_at=request.reply_due_at,
        )
    assert MatchRequest.objects.count() == 1


def test_a_sender_has_at_most_the_programs_number_of_open_requests(coordinator):
    program, _cycle = matching_program(coordinator, max_open_requests=2)
    mentee = mentee_of(program)
    mentors = [mentor_of(program, f"Mentor {n}") for n in range(3)]
    first, _second = ask(mentee, mentors[0]), ask(mentee, mentors[1])

    with pytest.raises(MatchingError, match="already have 2 requests waiting"):
        ask(mentee, mentors[2])

    services.withdraw_request(first, by=mentee.user)
    assert ask(mentee, mentors[2]).is_pending


def test_the_database_allows_a_mentee_one_active_match(program, coordinator):
    first, second = mentor_of(program, "Ann"), mentor_of(program, "Ben")
    mentee = mentee_of(program)
    match = services.approve_request(ask(mentee, first), by=first.user).match

    with (
        pytest.raises(IntegrityError, match="matching_one_active_match_per_mentee"),
        transaction.atomic(),
    ):
        Match.objects.create(
            program=program,
            mentor=second,
            mentee=mentee,
            started_on=match.started_on,
            ends_on=match.ends_on,
        )
    with (
        pytest.raises(IntegrityError, match="programs_active_matches_within_capacity"),
        transaction.atomic(),
    ):
        Participant.objects.filter(pk=mentee.pk).update(active_matches=2)


def test_a_matched_mentee_cannot_ask_or_be_proposed_again(program, coordinator):
    first, second = mentor_of(program, "Ann"), mentor_of(program, "Ben")
    mentee = mentee_of(program, "Theo Mentee")
    services.approve_request(ask(mentee, first), by=first.user)
    mentee = fresh(mentee)

    with pytest.raises(MatchingError, match="Theo Mentee is matched"):
        ask(mentee, second)
    with pytest.raises(MatchingError, match="Theo Mentee is matched"):
        services.propose_match(second, mentee, by=coordinator)


def test_a_mentor_never_goes_above_capacity(program, coordinator):
    mentor = mentor_of(program, "Mia Mentor", capacity=1)
    first, second = mentee_of(program), mentee_of(program, "Sam Second")
    services.approve_request(ask(first, mentor), by=mentor.user)

    with pytest.raises(MatchingError, match="Mia Mentor has no free places left."):
        ask(second, fresh(mentor))
    with pytest.raises(MatchingError, match="Mia Mentor has no free places left."):
        services.propose_match(fresh(mentor), second, by=coordinator)
    with (
        pytest.raises(IntegrityError, match="programs_active_matches_within_capacity"),
        transaction.atomic(),
    ):
        Participant.objects.filter(pk=mentor.pk).update(active_matches=2)
    assert fresh(mentor).active_matches == 1


def test_only_the_receiver_answers_a_request(program, stranger):
    mentor, mentee = mentor_of(program), mentee_of(program)
    request = ask(mentee, mentor)

    with pytest.raises(MatchingError, match="already approved"):
        services.approve_request(request, by=mentee.user)
    with pytest.raises(MatchingError, match="withdraw it instead"):
        services.decline_request(request, by=mentee.user)
    for action in (services.approve_request, services.decline_request):
        with pytest.raises(MatchingError, match="not addressed to you"):
            action(request, by=stranger)
    assert fresh(request).status == Status.PENDING
    assert not Match.objects.exists()


def test_nobody_asks_for_someone_else(program):
    mentor, mentee = mentor_of(program), mentee_of(program)

    with pytest.raises(MatchingError, match="only ask for a match for yourself"):
        services.send_request(mentee, mentor, by=mentor.user)


def test_only_mentees_ask_when_the_program_says_so(coordinator):
    program, _cycle = matching_program(coordinator, request_initiator=Program.Initiator.MENTEES)
    mentor, mentee = mentor_of(program), mentee_of(program)

    with pytest.raises(MatchingError, match="the other side asks for a match"):
        services.send_request(mentor, mentee, by=mentor.user)
    assert ask(mentee, mentor).is_pending


def test_only_mentors_ask_when_the_program_says_so(coordinator):
    program, _cycle = matching_program(coordinator, request_initiator=Program.Initiator.MENTORS)
    mentor, mentee = mentor_of(program), mentee_of(program)

    with pytest.raises(MatchingError, match="the other side asks for a match"):
        ask(mentee, mentor)
    request = services.send_request(mentor, mentee, by=mentor.user)
    assert request.sender == Side.MENTOR and request.awaits(Side.MENTEE)
    assert services.approve_request(request, by=mentee.user).match.mentor == mentor


def test_both_sides_ask_when_the_program_says_so(coordinator):
    program, _cycle = matching_program(coordinator, request_initiator=Program.Initiator.BOTH)
    mentor, other_mentor, mentee = mentor_of(program), mentor_of(program, "Ola"), mentee_of(program)

    assert ask(mentee, mentor).is_pending
    assert services.send_request(other_mentor, mentee, by=other_mentor.user).is_pending


def test_an_approval_after_matching_closed_is_refused_with_the_window_in_local_time(
    program, time_machine
):
    mentor, mentee = mentor_of(program), mentee_of(program)
    request = ask(mentee, mentor)
    cycle = request.cycle
    MatchRequest.objects.filter(pk=request.pk).update(
        reply_due_at=cycle.matching_closes_at + timedelta(days=30)
    )
    time_machine.move_to(cycle.matching_closes_at + timedelta(hours=1))

    with timezone.override(ZoneInfo("Asia/Tokyo")), pytest.raises(MatchingError) as refused:
        services.approve_request(request, by=mentor.user)

    tokyo = ZoneInfo("Asia/Tokyo")
    message = refused.value.message
    assert "Matches can only start while matching is open" in message
    assert date_format(cycle.matching_opens_at.astimezone(tokyo), "DATETIME_FORMAT") in message
    assert date_format(cycle.matching_closes_at.astimezone(tokyo), "DATETIME_FORMAT") in message
    # Matching closes at 12:00 UTC, which is 21:00 in Tokyo.
    assert "9 p.m." in message and "noon" not in message
    assert "(your time)" in message
    assert fresh(request).status == Status.PENDING
    assert not Match.objects.exists()


def test_an_approval_before_matching_opens_is_refused(program, time_machine):
    mentor, mentee = mentor_of(program), mentee_of(program)
    request = ask(mentee, mentor)
    time_machine.move_to(request.cycle.matching_opens_at - timedelta(hours=1))

    with pytest.raises(MatchingError, match="only start while matching is open"):
        services.approve_request(request, by=mentor.user)
    assert fresh(request).status == Status.PENDING


def test_an_approval_after_the_reply_window_expires_the_request_and_is_refused(
    program, time_machine
):
    mentor, mentee = mentor_of(program), mentee_of(program)
    request = ask(mentee, mentor)
    time_machine.move_to(request.reply_due_at + timedelta(seconds=1))

    with pytest.raises(MatchingError, match="it is expired"):
        services.approve_request(request, by=mentor.user)

    request = fresh(request)
    assert request.status == Status.EXPIRED
    assert request.closed_at is not None
    assert request.events.filter(action="expired").exists()
    assert not Match.objects.exists()
    assert fresh(mentor).active_matches == 0


def test_a_proposal_starts_the_match_only_when_both_have_approved(program, coordinator):
    mentor, mentee = mentor_of(program), mentee_of(program)
    proposal = services.propose_match(mentor, mentee, by=coordinator, message="A good fit.")
    assert proposal.is_proposal
    assert proposal.awaits(Side.MENTOR) and proposal.awaits(Side.MENTEE)

    services.approve_request(proposal, by=mentor.user)
    proposal = fresh(proposal)
    assert proposal.status == Status.PENDING
    assert not Match.objects.exists()
    with pytest.raises(MatchingError, match="already approved"):
        services.approve_request(proposal, by=mentor.user)

    match = services.approve_request(proposal, by=mentee.user).match
    assert fresh(proposal).status == Status.APPROVED
    assert (match.mentor, match.mentee, match.source) == (mentor, mentee, "coordinator")


@pytest.mark.parametrize("decliner", ["mentor", "mentee"])
def test_a_decline_by_either_side_closes_a_proposal_and_tells_the_coordinator(
    program, coordinator, decliner, django_capture_on_commit_callbacks, mailoutbox
):
    mentor, mentee = mentor_of(program), mentee_of(program)
    proposal = services.propose_match(mentor, mentee, by=coordinator)
    if decliner == "mentee":
        services.approve_request(proposal, by=mentor.user)
    person = mentor if decliner == "mentor" else mentee
    other = mentee if decliner == "mentor" else mentor
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.decline_request(proposal, by=person.user, reason="Not a fit.")

    assert fresh(proposal).status == Status.DECLINED
    assert fresh(proposal).close_reason == "Not a fit."
    recipients = sorted(message.to[0] for message in mailoutbox)
    assert recipients == sorted([coordinator.email, other.user.email])


def test_only_a_coordinator_proposes(program, other_coordinator):
    mentor, mentee = mentor_of(program), mentee_of(program)

    for person in (other_coordinator, mentee.user):
        with pytest.raises(ProgramError):
            services.propose_match(mentor, mentee, by=person)


@pytest.mark.parametrize("who", ["mentor", "mentee"])
def test_pausing_a_participant_supersedes_their_pending_requests(program, who):
    mentor, mentee = mentor_of(program, "Mia Mentor"), mentee_of(program, "Theo Mentee")
    other_mentor = mentor_of(program, "Olli Other")
    request, other = ask(mentee, mentor), ask(mentee, other_mentor)
    person = mentor if who == "mentor" else mentee

    programs.pause_participant(person, by=person.user)

    request = fresh(request)
    assert request.status == Status.SUPERSEDED
    assert request.reason == f"{person.user.display_name} paused their participation."
    assert fresh(other).status == (Status.SUPERSEDED if who == "mentee" else Status.PENDING)


def test_withdrawing_a_participant_supersedes_their_pending_requests(program, coordinator):
    mentor, mentee = mentor_of(program, "Mia Mentor"), mentee_of(program)
    request = ask(mentee, mentor)

    programs.withdraw_participant(mentor, by=coordinator, reason="Left the company.")

    request = fresh(request)
    assert request.status == Status.SUPERSEDED
    assert request.reason == "Mia Mentor left the program."


def test_the_participant_changed_signal_closes_requests(program):
    mentor, mentee = mentor_of(program, "Mia Mentor"), mentee_of(program)
    request = ask(mentee, mentor)

    participant_changed.send(Participant, participant=mentor, by=None, change="paused")

    assert fresh(request).status == Status.SUPERSEDED


def test_lowering_capacity_to_the_current_mentees_supersedes_pending_requests(program):
    mentor = mentor_of(program, capacity=2)
    first, second = mentee_of(program), mentee_of(program, "Sam Second")
    services.approve_request(ask(first, mentor), by=mentor.user)
    waiting = ask(second, mentor)

    programs.set_capacity(fresh(mentor), 1, by=mentor.user)

    waiting = fresh(waiting)
    assert waiting.status == Status.SUPERSEDED
    assert waiting.reason == "The mentor has no free places left."


def test_raising_capacity_keeps_pending_requests(program):
    mentor = mentor_of(program, capacity=2)
    waiting = ask(mentee_of(program), mentor)

    programs.set_capacity(fresh(mentor), 3, by=mentor.user)

    assert fresh(waiting).status == Status.PENDING


def test_lowering_capacity_below_the_current_mentees_is_refused(program):
    mentor = mentor_of(program, "Mia Mentor", capacity=2)
    for name in ("Ann", "Ben"):
        mentee = mentee_of(program, name)
        services.approve_request(ask(mentee, fresh(mentor)), by=mentor.user)

    with pytest.raises(ProgramError, match="Mia Mentor has 2 mentees now"):
        programs.set_capacity(fresh(mentor), 1, by=mentor.user)
    assert fresh(mentor).capacity == 2


def test_a_request_to_someone_in_another_cycle_is_refused(program, coordinator):
    from tests.programs.builders import make_cycle

    mentor = mentor_of(program)
    later = make_cycle(program, coordinator, name="Autumn")
    mentee = enrol(program, UserFactory(), role="mentee")
    Participant.objects.filter(pk=mentee.pk).update(cycle=later, state=State.READY)

    with pytest.raises(MatchingError, match="another cycle"):
        ask(fresh(mentee), mentor)


def test_a_message_longer_than_allowed_is_refused_on_its_field(program):
    mentor, mentee = mentor_of(program), mentee_of(program)

    with pytest.raises(MatchingError) as refused:
        ask(mentee, mentor, message="x" * (MatchRequest.MESSAGE_MAX + 1))
    assert refused.value.field == "message"
    assert not MatchRequest.objects.exists()


def test_opening_a_request_marks_it_seen_once_by_the_receiver_only(program, stranger):
    mentor, mentee = mentor_of(program), mentee_of(program)
    request = ask(mentee, mentor)

    assert not services.mark_seen(request, by=mentee.user)
    assert not services.mark_seen(request, by=stranger)
    assert fresh(request).seen_at is None

    assert services.mark_seen(request, by=mentor.user)
    seen_at = fresh(request).seen_at
    assert seen_at is not None
    assert not services.mark_seen(request, by=mentor.user)
    assert fresh(request).seen_at == seen_at


def test_the_platforms_reasons_are_shown_in_the_readers_language(coordinator):
    from django.utils import translation

    program, _cycle = matching_program(coordinator)
    mentee = make_ready(program, UserFactory(display_name="Mia"))
    first = make_ready(program, UserFactory(display_name="Mona"), role="mentor")
    second = make_ready(program, UserFactory(display_name="Max"), role="mentor")
    kept = services.send_request(mentee, first, by=mentee.user)
    other = services.send_request(mentee, second, by=mentee.user)
    services.approve_request(kept, by=first.user)
    other.refresh_from_db()
    assert other.close_code == "mentee_matched" and other.close_reason == ""
    with translation.override("fr"):
        assert other.reason != "The mentee started a match with someone else."
        assert other.reason  # a French sentence from the catalogue
        event = other.events.get(action="superseded")
        assert event.text == other.reason
