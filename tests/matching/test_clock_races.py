"""The clock racing people and itself, on real PostgreSQL connections in real threads."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from matching import services, tasks
from matching.models import Match, MatchEvent, MatchRequest
from matching.services import MatchingError
from mentorship_site.notifications.models import Notification
from programs.models import Participant
from tests.matching.test_concurrency import (
    ROUNDS,
    check_invariants,
    mentee_of,
    mentor_of,
    race,
)

pytestmark = pytest.mark.django_db(transaction=True)

Status = MatchRequest.Status


def kinds_about(instance) -> Counter:
    return Counter(Notification.objects.about(instance).values_list("kind", flat=True).order_by())


def test_expiry_and_approval_at_the_same_instant_end_in_one_outcome_with_one_set_of_notices(
    program,
):
    outcomes = Counter()
    for _round in range(ROUNDS * 2):
        mentor, mentee = mentor_of(program), mentee_of(program)
        request = services.send_request(mentee, mentor, by=mentee.user)
        # The window closes just now, so either may come first.
        MatchRequest.objects.filter(pk=request.pk).update(
            reply_due_at=timezone.now() + timedelta(milliseconds=20)
        )
        mail.outbox.clear()

        expired, approval = race(
            lambda request=request: tasks.expire_request(request.pk),
            lambda request=request, mentor=mentor: services.approve_request(
                request, by=mentor.user
            ),
        )

        request.refresh_from_db()
        outcomes[request.status] += 1
        assert request.status in (Status.APPROVED, Status.EXPIRED)
        people = sorted([mentor.user.email, mentee.user.email])
        if request.status == Status.APPROVED:
            assert expired is False and isinstance(approval, MatchRequest)
            match = Match.objects.get(request=request)
            assert kinds_about(request) == Counter({"request_received": 1})
            assert kinds_about(match) == Counter({"match_started": 2})
            assert sorted(m.to[0] for m in mail.outbox) == people
        else:
            assert isinstance(approval, MatchingError) and "it is expired" in approval.message
            assert not Match.objects.filter(request=request).exists()
            assert kinds_about(request) == Counter({"request_received": 1, "request_closed": 2})
            assert request.events.filter(action="expired").count() == 1
            assert sorted(m.to[0] for m in mail.outbox) == people
            assert all("expired" in m.subject for m in mail.outbox)
        check_invariants()
    assert sum(outcomes.values()) == ROUNDS * 2


def test_two_workers_reminding_the_same_request_send_it_once(program, time_machine):
    for _round in range(ROUNDS):
        mentor, mentee = mentor_of(program), mentee_of(program)
        request = services.send_request(mentee, mentor, by=mentee.user)
        MatchRequest.objects.filter(pk=request.pk).update(
            created_at=timezone.now() - timedelta(days=6),
            reply_due_at=timezone.now() + timedelta(hours=12),
        )
        mail.outbox.clear()

        sent = race(
            lambda request=request: tasks.remind_request(request.pk),
            lambda request=request: tasks.remind_request(request.pk),
        )

        assert sorted(sent) == [0, 1], sent
        assert kinds_about(request)["request_reminder"] == 1
        assert [m.to for m in mail.outbox] == [[mentor.user.email]]


def test_two_bulk_completions_at_once_complete_free_and_thank_each_match_once(program):
    for _round in range(ROUNDS):
        matches = []
        for _pair in range(3):
            mentor, mentee = mentor_of(program), mentee_of(program)
            request = services.send_request(mentee, mentor, by=mentee.user)
            matches.append(services.approve_request(request, by=mentor.user).match)
        ids = [match.pk for match in matches]
        Match.objects.filter(pk__in=ids).update(
            started_on=timezone.now().date() - timedelta(weeks=12),
            ends_on=timezone.now().date() - timedelta(days=3),
        )
        mail.outbox.clear()

        outcomes = race(
            lambda: tasks.complete_due_matches(),
            lambda: tasks.complete_due_matches(),
        )

        assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
        assert Match.objects.filter(pk__in=ids, status=Match.Status.COMPLETED).count() == 3
        assert MatchEvent.objects.filter(match__in=ids, action="completed").count() == 3
        for match in matches:
            assert kinds_about(match)["match_completed"] == 2
            for person in (match.mentor, match.mentee):
                person = Participant.objects.get(pk=person.pk)
                assert person.active_matches == 0
                assert person.events.filter(action="match_completed").count() == 1
        completed = [m for m in mail.outbox if "is complete" in m.subject]
        assert len(completed) == 6
        assert len({tuple(m.to) for m in completed}) == 6
        check_invariants()
