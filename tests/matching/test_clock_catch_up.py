"""The clock makes good what a stopped worker or a late change left behind."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from matching import services, tasks
from matching.models import Match, MatchRequest
from matching.services.completion import complete_matches, due_match_ids
from mentorship_site.notifications.models import Notification
from tests.matching.test_match_completion import ENDS_ON, at, started_match


def test_an_extension_made_after_the_scan_wins_over_completion(program, time_machine):
    match = started_match(program)
    time_machine.move_to(at("2027-03-12T12:00"))
    due = due_match_ids()
    assert due == [match.pk]
    # A coordinator extends the match between the scan and the completion's lock.
    Match.objects.filter(pk=match.pk).update(ends_on=ENDS_ON + timedelta(weeks=2))

    assert complete_matches(due) == []

    match.refresh_from_db()
    assert match.status == Match.Status.ACTIVE


def test_a_completed_match_whose_mentee_was_not_told_is_told_on_the_next_run(
    program, time_machine, django_capture_on_commit_callbacks
):
    match = started_match(program)
    time_machine.move_to(at("2027-03-12T12:00"))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.complete_due_matches()
    # As if the worker had stopped after the mentor's email.
    Notification.objects.filter(kind="match_completed", recipient=match.mentee.user).delete()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        tasks.complete_due_matches()
        tasks.complete_due_matches()

    assert [message.to for message in mail.outbox] == [[match.mentee.user.email]]


def test_an_expiry_whose_notices_were_lost_is_told_once_by_the_next_runs(
    program, mentee, mentor, django_capture_on_commit_callbacks
):
    request = services.send_request(mentee, mentor, by=mentee.user)
    # Expired, committed, and the worker stopped before the notices went out.
    MatchRequest.objects.filter(pk=request.pk).update(
        status=MatchRequest.Status.EXPIRED, closed_at=timezone.now()
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        tasks.expire_overdue_requests()
        tasks.expire_overdue_requests()

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [mentee.user.email, mentor.user.email]
    )
    notices = Notification.objects.filter(kind="request_closed", occasion="expired")
    assert notices.count() == 2
