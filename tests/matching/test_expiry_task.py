"""The periodic expiry of requests nobody answered in time."""

from datetime import timedelta

from django.core import mail

from matching import tasks
from matching.models import MatchRequest
from matching.services import send_request
from tests.factories import UserFactory
from tests.matching.builders import make_ready

Status = MatchRequest.Status


def test_it_expires_only_the_requests_whose_reply_window_has_passed(
    program, time_machine, django_capture_on_commit_callbacks
):
    mentor = make_ready(program, UserFactory(email="mia@example.org"), role="mentor", capacity=3)
    old_mentee = make_ready(program, UserFactory(email="old@example.org"))
    new_mentee = make_ready(program, UserFactory(email="new@example.org"))
    old = send_request(old_mentee, mentor, by=old_mentee.user)
    time_machine.move_to(old.created_at + timedelta(days=3))
    new = send_request(new_mentee, mentor, by=new_mentee.user)
    time_machine.move_to(old.reply_due_at + timedelta(minutes=1))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_overdue_requests.delay().get() == 1

    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == Status.EXPIRED and old.closed_at is not None
    assert old.closed_by is None
    assert new.status == Status.PENDING
    assert sorted(m.to[0] for m in mail.outbox) == ["mia@example.org", "old@example.org"]
    assert all("expired" in m.subject for m in mail.outbox)


def test_running_it_twice_sends_each_notice_once(
    program, time_machine, django_capture_on_commit_callbacks
):
    mentor = make_ready(program, role="mentor")
    mentee = make_ready(program)
    request = send_request(mentee, mentor, by=mentee.user)
    time_machine.move_to(request.reply_due_at + timedelta(seconds=1))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        tasks.expire_overdue_requests.delay()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_overdue_requests.delay().get() == 0
        assert tasks.expire_request.delay(request.pk).get() is False

    assert len(mail.outbox) == 2
    assert request.events.filter(action="expired").count() == 1


def test_a_request_answered_in_time_is_left_alone(program, time_machine):
    mentor = make_ready(program, role="mentor")
    mentee = make_ready(program)
    request = send_request(mentee, mentor, by=mentee.user)
    time_machine.move_to(request.reply_due_at - timedelta(minutes=1))

    assert tasks.expire_overdue_requests.delay().get() == 0
    assert tasks.expire_request.delay(request.pk).get() is False

    request.refresh_from_db()
    assert request.is_pending
