"""The reminder before a request's reply window closes, and the notices when it expires."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from matching import services, tasks
from matching.models import MatchRequest
from mentorship_site.notifications.models import JobRun, Notification
from tests.factories import UserFactory
from tests.matching.builders import make_ready

Status = MatchRequest.Status


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def html_of(message) -> str:
    (content, mimetype), *_others = message.alternatives
    assert mimetype == "text/html"
    return content


@pytest.fixture
def pair(program):
    mentor = make_ready(
        program,
        UserFactory(display_name="Mia Mentor", email="mia@example.org", time_zone="Asia/Tokyo"),
        role="mentor",
        capacity=2,
    )
    mentee = make_ready(program, UserFactory(display_name="Theo Mentee", email="theo@example.org"))
    return mentor, mentee


def test_the_receiver_is_reminded_once_when_the_window_is_about_to_close(
    pair, time_machine, django_capture_on_commit_callbacks
):
    mentor, mentee = pair
    request = services.send_request(mentee, mentor, by=mentee.user)
    # A 7-day window: the reminder comes 48 hours before it closes, not earlier.
    time_machine.move_to(request.reply_due_at - timedelta(hours=49))
    mail.outbox.clear()
    assert tasks.remind_requests.delay().get() == 0
    time_machine.move_to(request.reply_due_at - timedelta(hours=47))

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_requests.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_requests.delay().get() == 0
        assert tasks.remind_request.delay(request.pk).get() == 0

    assert [m.to for m in mail.outbox] == [["mia@example.org"]]
    message = mail.outbox[0]
    link = absolute(reverse("matching:request", kwargs={"code": request.code}))
    assert "Reminder: Theo Mentee is waiting for your answer" in message.subject
    assert link in message.body and f'href="{link}"' in html_of(message)
    # The reply-by time in the receiver's own zone.
    assert "(Asia/Tokyo)" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.filter(kind="request_reminder").count() == 1
    runs = JobRun.objects.filter(job="matching.tasks.remind_requests").order_by("started_at")
    assert [run.handled for run in runs] == [0, 1, 0]


def test_a_short_window_is_reminded_at_its_half(program, coordinator, time_machine):
    program.reply_window_days = 2
    program.save(update_fields=["reply_window_days"])
    mentor = make_ready(program, role="mentor")
    mentee = make_ready(program)
    request = services.send_request(mentee, mentor, by=mentee.user)

    time_machine.move_to(request.created_at + timedelta(hours=23))
    assert not MatchRequest.objects.due_for_reminder().filter(pk=request.pk).exists()
    time_machine.move_to(request.created_at + timedelta(hours=25))
    assert MatchRequest.objects.due_for_reminder().filter(pk=request.pk).exists()


def test_a_proposal_reminds_only_the_side_that_has_not_answered(
    program, coordinator, pair, time_machine, django_capture_on_commit_callbacks
):
    mentor, mentee = pair
    proposal = services.propose_match(mentor, mentee, by=coordinator)
    services.approve_request(proposal, by=mentee.user)
    time_machine.move_to(proposal.reply_due_at - timedelta(hours=1))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_requests.delay().get() == 1

    assert [m.to for m in mail.outbox] == [["mia@example.org"]]
    assert "a match with Theo Mentee" in mail.outbox[0].subject


def test_a_request_answered_after_the_scan_is_not_reminded(
    pair, time_machine, django_capture_on_commit_callbacks
):
    mentor, mentee = pair
    request = services.send_request(mentee, mentor, by=mentee.user)
    time_machine.move_to(request.reply_due_at - timedelta(hours=1))
    services.decline_request(request, by=mentor.user)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_request.delay(request.pk).get() == 0

    assert mail.outbox == []


def test_an_expired_request_tells_each_side_once_and_points_the_requester_to_suggestions(
    pair, time_machine, django_capture_on_commit_callbacks
):
    mentor, mentee = pair
    request = services.send_request(mentee, mentor, by=mentee.user)
    time_machine.move_to(request.reply_due_at + timedelta(minutes=1))
    mail.outbox.clear()

    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.expire_overdue_requests.delay()
            tasks.expire_request.delay(request.pk)

    assert sorted(m.to[0] for m in mail.outbox) == ["mia@example.org", "theo@example.org"]
    notices = Notification.objects.filter(kind="request_closed")
    assert sorted(notices.values_list("occasion", flat=True)) == ["expired", "expired"]
    to_requester = next(m for m in mail.outbox if m.to == ["theo@example.org"])
    suggestions = absolute(reverse("matching:suggestions", kwargs={"code": mentee.code}))
    assert "your next suggestions are waiting" in to_requester.body
    assert suggestions in to_requester.body
    assert f'href="{suggestions}"' in html_of(to_requester)
    assert JobRun.objects.filter(job="matching.tasks.expire_overdue_requests").count() == 2


def test_an_approval_from_an_old_page_after_expiry_is_refused_and_shows_the_state(
    pair, client, time_machine, django_capture_on_commit_callbacks
):
    mentor, mentee = pair
    request = services.send_request(mentee, mentor, by=mentee.user)
    time_machine.move_to(request.reply_due_at + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.expire_overdue_requests.delay()
    mail.outbox.clear()
    client.force_login(mentor.user)

    response = client.post(
        reverse("matching:request_approve", kwargs={"code": request.code}), follow=True
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "This request is no longer waiting for an answer: it is expired." in page
    assert "Expired: no answer in time" in page
    request.refresh_from_db()
    assert request.status == Status.EXPIRED and not hasattr(request, "match")
    assert mail.outbox == []  # the expiry notices went out once, with the expiry


def test_an_approval_before_the_expiry_task_expires_it_with_one_set_of_notices(
    pair, time_machine, django_capture_on_commit_callbacks
):
    mentor, mentee = pair
    request = services.send_request(mentee, mentor, by=mentee.user)
    time_machine.move_to(request.reply_due_at + timedelta(seconds=5))
    mail.outbox.clear()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.MatchingError, match="it is expired"),
    ):
        services.approve_request(request, by=mentor.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_request.delay(request.pk).get() is False

    assert sorted(m.to[0] for m in mail.outbox) == ["mia@example.org", "theo@example.org"]


@pytest.mark.parametrize("size", [10, 200])
def test_the_reminder_scan_takes_the_same_queries_for_10_or_200_due(
    program, size, monkeypatch, django_assert_num_queries
):
    from django.utils import timezone

    from tests.matching.test_clock_benchmark import load_benchmark

    load_benchmark().fill_pending_requests(program, size, now=timezone.now(), due_share=1.0)
    fanned_out = []
    monkeypatch.setattr(tasks.remind_request, "delay", fanned_out.append)

    # The job's log row (insert, update) and the one scan.
    with django_assert_num_queries(3):
        assert tasks.remind_requests() == size

    assert len(fanned_out) == size
