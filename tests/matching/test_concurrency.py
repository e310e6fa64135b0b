"""Races between people acting at the same instant, on real PostgreSQL connections.

Each race starts its threads together behind a barrier and is run several times, so
that many interleavings happen; the invariants are checked after every round.
"""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connections
from django.db.models import Count
from django.utils import timezone

from matching import services
from matching.models import Match, MatchRequest
from matching.services import MatchingError
from programs import services as programs
from programs.models import Participant
from tests.factories import UserFactory
from tests.matching.builders import make_ready

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 5
Status = MatchRequest.Status


def race(*actions):
    """Run `actions` in threads started at once; return each result or raised exception."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=5)
            outcomes[index] = action()
        except Exception as error:  # the outcome of the race, checked by the test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
        assert not thread.is_alive(), "a racing thread is stuck"
    return outcomes


def check_invariants():
    """Assert what no race may ever break."""
    twice = Match.objects.active().values("mentee").annotate(total=Count("pk")).filter(total__gt=1)
    assert not twice.exists(), "a mentee has two active matches"
    for person in Participant.objects.all():
        active = Match.objects.active().of_participant(person).count()
        assert person.active_matches == active, person
        assert active <= person.places, f"{person} is above capacity"
    for request in MatchRequest.objects.all():
        has_match = Match.objects.filter(request=request).exists()
        assert has_match == (request.status == Status.APPROVED), request
        assert request.is_pending == (request.closed_at is None), request
    matched_mentees = Match.objects.active().values("mentee")
    assert not MatchRequest.objects.pending().filter(mentee__in=matched_mentees).exists()


def mentor_of(program, capacity=2):
    return make_ready(program, UserFactory(), role="mentor", capacity=capacity)


def mentee_of(program):
    return make_ready(program, UserFactory(), role="mentee")


def ask(mentee, mentor):
    return services.send_request(mentee, mentor, by=mentee.user)


def split(outcomes):
    """Return (successes, MatchingErrors); fail on any other exception."""
    for outcome in outcomes:
        if isinstance(outcome, Exception) and not isinstance(outcome, MatchingError):
            raise outcome
    errors = [o for o in outcomes if isinstance(o, MatchingError)]
    return [o for o in outcomes if not isinstance(o, Exception)], errors


def test_the_last_free_place_approved_from_two_tabs_starts_one_match(program):
    for _round in range(ROUNDS):
        mentor = mentor_of(program, capacity=1)
        first, second = ask(mentee_of(program), mentor), ask(mentee_of(program), mentor)

        approved, errors = split(
            race(
                lambda first=first, mentor=mentor: services.approve_request(first, by=mentor.user),
                lambda second=second, mentor=mentor: services.approve_request(
                    second, by=mentor.user
                ),
            )
        )

        assert len(approved) == 1 and len(errors) == 1
        assert "closed by the platform" in errors[0].message
        assert Match.objects.filter(mentor=mentor).count() == 1
        statuses = sorted(
            MatchRequest.objects.filter(mentor=mentor).values_list("status", flat=True)
        )
        assert statuses == [Status.APPROVED, Status.SUPERSEDED]
        mentor.refresh_from_db()
        assert mentor.active_matches == 1
        check_invariants()


def test_two_mentors_approving_the_same_mentee_start_one_match(program):
    for _round in range(ROUNDS):
        mentee = mentee_of(program)
        one, other = mentor_of(program), mentor_of(program)
        to_one, to_other = ask(mentee, one), ask(mentee, other)

        approved, errors = split(
            race(
                lambda r=to_one, m=one: services.approve_request(r, by=m.user),
                lambda r=to_other, m=other: services.approve_request(r, by=m.user),
            )
        )

        assert len(approved) == 1 and len(errors) == 1
        assert "closed by the platform" in errors[0].message
        assert Match.objects.filter(mentee=mentee).count() == 1
        statuses = sorted(
            MatchRequest.objects.filter(mentee=mentee).values_list("status", flat=True)
        )
        assert statuses == [Status.APPROVED, Status.SUPERSEDED]
        check_invariants()


def test_an_approval_and_a_withdrawal_at_once_end_in_one_of_them(program):
    for _round in range(ROUNDS):
        mentor, mentee = mentor_of(program), mentee_of(program)
        request = ask(mentee, mentor)

        done, errors = split(
            race(
                lambda: services.approve_request(request, by=mentor.user),
                lambda: services.withdraw_request(request, by=mentee.user),
            )
        )

        assert len(done) == 1 and len(errors) == 1
        request.refresh_from_db()
        assert request.status in (Status.APPROVED, Status.WITHDRAWN)
        expected = {
            Status.APPROVED: "it is approved: the match started",
            Status.WITHDRAWN: "it is withdrawn",
        }[request.status]
        assert expected in errors[0].message
        assert Match.objects.filter(request=request).exists() == (request.status == Status.APPROVED)
        check_invariants()


def test_a_double_submitted_request_is_recorded_once(program):
    for _round in range(ROUNDS):
        mentor, mentee = mentor_of(program), mentee_of(program)

        sent, errors = split(race(lambda: ask(mentee, mentor), lambda: ask(mentee, mentor)))

        assert len(sent) == 1 and len(errors) == 1
        assert "already waiting for an answer" in errors[0].message
        assert MatchRequest.objects.filter(mentor=mentor, mentee=mentee).count() == 1
        assert MatchRequest.objects.get(mentor=mentor, mentee=mentee).is_pending
        check_invariants()


def test_an_expiry_and_a_late_approval_at_once_end_expired_with_one_set_of_notices(program):
    for _round in range(ROUNDS):
        mentor, mentee = mentor_of(program), mentee_of(program)
        request = ask(mentee, mentor)
        MatchRequest.objects.filter(pk=request.pk).update(
            reply_due_at=timezone.now() - timedelta(seconds=1)
        )
        mail.outbox.clear()

        outcomes = race(
            lambda: services.expire_request(request.pk),
            lambda: services.approve_request(request, by=mentor.user),
        )

        expired, approval = outcomes
        assert isinstance(approval, MatchingError), approval
        assert "it is expired" in approval.message
        assert expired in (True, False)
        request.refresh_from_db()
        assert request.status == Status.EXPIRED
        assert not Match.objects.filter(request=request).exists()
        assert request.events.filter(action="expired").count() == 1
        notices = [m for m in mail.outbox if "expired" in m.subject]
        assert sorted(m.to[0] for m in notices) == sorted([mentor.user.email, mentee.user.email])
        check_invariants()


def test_a_match_starting_while_another_mentor_pauses_neither_deadlocks_nor_fails(program):
    # The mentee asked both mentors: the match closes the request to the second mentor
    # while that mentor's pause closes it too. The pause is started a little later at
    # each round (0 to 27 ms) so that it lands at every point of the approval.
    for round_number in range(10):
        chosen, pausing = mentor_of(program), mentor_of(program)
        mentee = mentee_of(program)
        request, other = ask(mentee, chosen), ask(mentee, pausing)

        def pause(pausing=pausing, delay=round_number * 0.003):
            time.sleep(delay)
            return programs.pause_participant(pausing, by=pausing.user)

        approved, paused = race(
            lambda request=request, chosen=chosen: services.approve_request(
                request, by=chosen.user
            ),
            pause,
        )

        assert isinstance(approved, MatchRequest), approved
        assert isinstance(paused, Participant), paused
        other.refresh_from_db()
        assert other.status == Status.SUPERSEDED
        assert other.events.filter(action="superseded").count() == 1
        check_invariants()
