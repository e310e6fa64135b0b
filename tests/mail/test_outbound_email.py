import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction

from mentorship_site.mail import services, tasks
from mentorship_site.mail.models import OutboundEmail


def queue_one(**extra):
    message = EmailMultiAlternatives("Hello", "Plain body", to=["ana@example.org"], **extra)
    message.attach_alternative("<p>HTML body</p>", "text/html")
    message.send()
    return OutboundEmail.objects.order_by("-pk").first()


@pytest.mark.django_db
def test_a_message_is_delivered_with_both_parts_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbound = queue_one(reply_to=["coordinator@example.org"])
    assert len(mail.outbox) == 1
    delivered = mail.outbox[0]
    assert delivered.body == "Plain body"
    assert delivered.alternatives[0].content == "<p>HTML body</p>"
    assert delivered.reply_to == ["coordinator@example.org"]
    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.SENT
    assert outbound.sent_at is not None


@pytest.mark.django_db
def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                send_mail("Never", "body", None, ["ana@example.org"])
                raise RuntimeError("the page failed")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db
def test_delivering_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        outbound = queue_one()
    assert services.deliver_email(outbound.pk) is True
    assert services.deliver_email(outbound.pk) is False
    tasks.deliver_email.delay(outbound.pk)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failing_mail_server_leaves_the_message_queued_then_failed(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.EMAIL_DELIVERY_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=False):
        outbound = queue_one()

    with pytest.raises(OSError):
        services.deliver_email(outbound.pk)
    outbound.refresh_from_db()
    assert (outbound.status, outbound.attempts) == (OutboundEmail.Status.QUEUED, 1)
    assert "ConnectionRefusedError" in outbound.last_error

    with pytest.raises(OSError):
        services.deliver_email(outbound.pk)
    outbound.refresh_from_db()
    assert (outbound.status, outbound.attempts) == (OutboundEmail.Status.FAILED, 2)

    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_failed_emails([outbound.pk]) == [outbound.pk]
    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_sweeper_redelivers_messages_whose_task_was_lost(django_capture_on_commit_callbacks):
    with time_machine.travel("2026-05-01 09:00Z", tick=False):
        with django_capture_on_commit_callbacks(execute=False):  # the broker never got the task
            lost = queue_one()
        # a worker that claimed a message and died
        claimed = queue_one()
        OutboundEmail.objects.filter(pk=claimed.pk).update(
            status=OutboundEmail.Status.SENDING, last_attempt_at="2026-05-01 09:00Z"
        )
    with time_machine.travel("2026-05-01 09:03Z", tick=False):
        assert tasks.redeliver_stalled_emails.delay().get() == 0
    with time_machine.travel("2026-05-01 09:20Z", tick=False):
        assert tasks.redeliver_stalled_emails.delay().get() == 2
    assert {m.subject for m in mail.outbox} == {"Hello"}
    assert len(mail.outbox) == 2
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}
    assert {lost.pk, claimed.pk} == set(OutboundEmail.objects.values_list("pk", flat=True))
