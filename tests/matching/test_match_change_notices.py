"""Each change of a match is told once: a second extension is news, a re-run is not."""

from datetime import timedelta

from django.core import mail

from matching import emails, services
from matching.models import Side
from mentorship_site.notifications.models import Notification
from tests.matching.builders import make_ready


def test_each_extension_is_told_and_a_repeated_callback_sends_nothing(
    program, coordinator, django_capture_on_commit_callbacks
):
    program.max_extension_weeks = 4
    program.save(update_fields=["max_extension_weeks"])
    mentor, mentee = make_ready(program, role="mentor"), make_ready(program)
    request = services.send_request(mentee, mentor, by=mentee.user)
    match = services.approve_request(request, by=mentor.user).match
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.extend_match(match, by=coordinator, ends_on=match.ends_on + timedelta(weeks=1))
    match.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.extend_match(match, by=coordinator, ends_on=match.ends_on + timedelta(weeks=1))
    callbacks[0]()  # the first callback run again, as a retry would

    assert len(mail.outbox) == 4
    assert all("now ends later" in message.subject for message in mail.outbox)
    assert all(message.extra_headers.get("List-Unsubscribe") for message in mail.outbox)
    assert Notification.objects.filter(kind="match_changed").count() == 4
    event = match.events.first()
    emails.send_match_changed(match.pk, side=Side.COORDINATOR, event_id=event.pk)
    assert len(mail.outbox) == 4


def test_the_started_and_request_emails_carry_the_unsubscribe_footer(
    program, django_capture_on_commit_callbacks
):
    mentor, mentee = make_ready(program, role="mentor"), make_ready(program)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.send_request(mentee, mentor, by=mentee.user)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_request(request, by=mentor.user)

    assert len(mail.outbox) == 3
    for message in mail.outbox:
        (html, _mimetype), *_others = message.alternatives
        assert "Stop emails like this one" in html
        assert "Stop emails like this one:" in message.body
