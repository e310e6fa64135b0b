"""Completing matches once their end date has passed for both people, in bulk."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from matching import services, tasks
from matching.models import Match, MatchEvent
from matching.services import MatchingError
from mentorship_site.notifications.models import JobRun, Notification
from programs.models import Participant, ParticipantEvent, Program
from tests.factories import UserFactory
from tests.matching.builders import make_ready

State = Participant.State
Status = Match.Status
ENDS_ON = date(2027, 3, 10)


def started_match(program, *, mentor_zone="Europe/Paris", mentee_zone="Europe/Paris", mentor=None):
    """Start a match through the real services, ending on ENDS_ON."""
    mentor = mentor or make_ready(
        program,
        UserFactory(display_name="Mia Mentor", email="mia@example.org", time_zone=mentor_zone),
        role="mentor",
        capacity=2,
    )
    mentee = make_ready(program, UserFactory(time_zone=mentee_zone))
    request = services.send_request(mentee, mentor, by=mentee.user)
    match = services.approve_request(request, by=mentor.user).match
    Match.objects.filter(pk=match.pk).update(ends_on=ENDS_ON)
    match.refresh_from_db()
    return match


def at(moment: str, zone: str = "UTC") -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=ZoneInfo(zone))


def test_a_due_match_is_completed_and_frees_both_places(program, time_machine):
    match = started_match(program)
    pool_version = Program.objects.get(pk=program.pk).pool_version
    time_machine.move_to(at("2027-03-12T12:00"))

    assert services.complete_due_matches() == [match.pk]

    match.refresh_from_db()
    assert match.status == Status.COMPLETED
    assert match.ended_at.date() == date(2027, 3, 12) and match.ended_by is None
    assert list(match.events.values_list("action", flat=True)) == ["completed"]
    for person in (match.mentor, match.mentee):
        person.refresh_from_db()
        assert person.active_matches == 0
        assert person.state == State.COMPLETED
        event = person.events.get(action="match_completed")
        assert (event.from_state, event.to_state) == (State.MATCHED, State.COMPLETED)
    assert Program.objects.get(pk=program.pk).pool_version > pool_version


def test_a_pair_across_zones_completes_once_the_day_is_over_for_both(program, time_machine):
    match = started_match(program, mentor_zone="Pacific/Auckland", mentee_zone="America/Toronto")

    # 11 March in Auckland, still 10 March in Toronto.
    time_machine.move_to(at("2027-03-11T08:00", "Pacific/Auckland"))
    assert services.complete_due_matches() == []
    time_machine.move_to(at("2027-03-10T23:59", "America/Toronto"))
    assert services.complete_due_matches() == []

    time_machine.move_to(at("2027-03-11T00:01", "America/Toronto"))
    assert services.complete_due_matches() == [match.pk]


def test_zones_ahead_of_utc_finish_first(program, time_machine):
    ahead = started_match(program, mentor_zone="Asia/Tokyo", mentee_zone="Asia/Tokyo")
    behind = started_match(
        program,
        mentor_zone="America/Los_Angeles",
        mentee_zone="America/Los_Angeles",
        mentor=make_ready(program, role="mentor"),
    )

    time_machine.move_to(at("2027-03-10T20:00"))  # 11 March 05:00 in Tokyo
    assert services.complete_due_matches() == [ahead.pk]
    time_machine.move_to(at("2027-03-11T09:00"))  # 11 March 01:00 in Los Angeles
    assert services.complete_due_matches() == [behind.pk]


def test_both_people_are_thanked_once_however_often_the_clock_runs(
    program, time_machine, django_capture_on_commit_callbacks
):
    match = started_match(program)
    time_machine.move_to(at("2027-03-12T06:00"))
    mail.outbox.clear()

    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.complete_due_matches.delay()
            tasks.notify_match_completed.delay(match.pk)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [match.mentor.user.email, match.mentee.user.email]
    )
    workspace = reverse("journals:workspace", kwargs={"code": match.code})
    link = settings.SITE_URL.rstrip("/") + workspace
    for message in mail.outbox:
        assert "is complete: thank you" in message.subject
        assert "read-only" in message.body and "closing survey" in message.body
        assert link in message.body
        assert "List-Unsubscribe" in message.extra_headers
    assert Notification.objects.filter(kind="match_completed").count() == 2
    runs = JobRun.objects.filter(job="matching.tasks.complete_due_matches").order_by("pk")
    assert [run.handled for run in runs] == [1, 0]
    assert MatchEvent.objects.filter(match=match, action="completed").count() == 1


def test_notices_missed_by_a_killed_run_are_sent_by_the_next(
    program, time_machine, django_capture_on_commit_callbacks
):
    match = started_match(program)
    time_machine.move_to(at("2027-03-12T06:00"))
    services.complete_due_matches()  # committed, but the run died before its fan-out
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.complete_due_matches.delay().get() == 1

    assert len(mail.outbox) == 2
    match.refresh_from_db()
    assert match.status == Status.COMPLETED


def test_ending_early_and_completing_are_different_outcomes(program, time_machine):
    ended = started_match(program)
    completed = started_match(program, mentor=make_ready(program, role="mentor"))
    services.end_match(ended, by=ended.mentee.user, reason="We stopped meeting.")
    time_machine.move_to(at("2027-03-12T06:00"))

    assert services.complete_due_matches() == [completed.pk]

    ended.refresh_from_db()
    completed.refresh_from_db()
    assert ended.status == Status.ENDED and completed.status == Status.COMPLETED
    assert list(ended.events.values_list("action", flat=True)) == ["ended"]
    assert Match.objects.filter(status=Status.COMPLETED).count() == 1
    assert Match.objects.filter(status=Status.ENDED).count() == 1


def test_a_mentor_with_two_completing_matches_gets_both_places_back(program, time_machine):
    first = started_match(program)
    second = started_match(program, mentor=first.mentor)
    mentor = Participant.objects.get(pk=first.mentor_id)
    assert mentor.active_matches == 2
    time_machine.move_to(at("2027-03-12T06:00"))

    assert sorted(services.complete_due_matches()) == sorted([first.pk, second.pk])

    mentor.refresh_from_db()
    assert (mentor.active_matches, mentor.state) == (0, State.COMPLETED)
    events = ParticipantEvent.objects.filter(participant=mentor, action="match_completed")
    assert events.count() == 1


def test_a_mentor_keeping_another_match_stays_matched(program, time_machine):
    first = started_match(program)
    second = started_match(program, mentor=first.mentor)
    Match.objects.filter(pk=second.pk).update(ends_on=ENDS_ON + timedelta(weeks=2))
    time_machine.move_to(at("2027-03-12T06:00"))

    services.complete_due_matches()

    mentor = Participant.objects.get(pk=first.mentor_id)
    assert (mentor.active_matches, mentor.state) == (1, State.MATCHED)


def test_a_single_match_completes_only_once_it_is_due(
    program, coordinator, time_machine, django_capture_on_commit_callbacks
):
    match = started_match(program)
    time_machine.move_to(at("2027-03-10T12:00"))
    with pytest.raises(MatchingError, match="until its end date has passed"):
        services.complete_match(match, by=coordinator)
    time_machine.move_to(at("2027-03-11T12:00"))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        completed = services.complete_match(match, by=coordinator)

    assert completed.status == Status.COMPLETED and completed.ended_by == coordinator
    assert len(mail.outbox) == 2
    with pytest.raises(MatchingError, match="completed"):
        services.complete_match(match, by=coordinator)


@pytest.mark.parametrize("size", [10, 200])
def test_the_completion_takes_the_same_queries_for_10_or_200_due(
    program, size, monkeypatch, time_machine, django_assert_num_queries
):
    from django.utils import timezone

    from tests.matching.test_clock_benchmark import load_benchmark

    now = timezone.now()
    ids = load_benchmark().fill_due_matches(program, size, now=now)
    # Half of them end on the border: checked in each person's zone.
    Match.objects.filter(pk__in=ids[::2]).update(ends_on=now.date() - timedelta(days=1))
    time_machine.move_to(now.replace(hour=23, minute=30))
    fanned_out = []
    monkeypatch.setattr(tasks.notify_match_completed, "delay", fanned_out.append)

    # Log row (2); savepoint (2); candidates; pairs; lock people; lock matches; touch the
    # program; complete; events; free places (one count); people's events and their
    # milestones; notice scan.
    with django_assert_num_queries(15):
        tasks.complete_due_matches()

    assert Match.objects.filter(pk__in=ids, status=Status.COMPLETED).count() == len(fanned_out)
    assert len(fanned_out) >= size // 2
