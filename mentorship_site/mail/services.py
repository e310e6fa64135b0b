"""Queue and deliver outgoing email."""

import base64
import logging
from datetime import timedelta
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mentorship_site.mail.models import OutboundEmail

logger = logging.getLogger(__name__)

# A message claimed for sending but not finished after this long (a worker died
# mid-send) is given back to the queue.
SENDING_LEASE = timedelta(minutes=10)


def queue_emails(messages: list[EmailMessage]) -> list[OutboundEmail]:
    """Store `messages` and schedule their delivery for after the current transaction commits."""
    from mentorship_site.mail import tasks

    queued = [
        OutboundEmail.objects.create(
            subject=str(message.subject),
            from_email=str(message.from_email or settings.DEFAULT_FROM_EMAIL),
            to=[str(address) for address in message.to],
            cc=[str(address) for address in message.cc],
            bcc=[str(address) for address in message.bcc],
            reply_to=[str(address) for address in message.reply_to],
            headers={str(k): str(v) for k, v in (message.extra_headers or {}).items()},
            body_text=str(message.body),
            body_html=_html_alternative(message),
            attachments=_stored_attachments(message),
        )
        for message in messages
        if message.recipients()
    ]
    for outbound in queued:
        transaction.on_commit(lambda pk=outbound.pk: tasks.deliver_email.delay(pk), robust=True)
    return queued


def _html_alternative(message: EmailMessage) -> str:
    for content, mimetype in getattr(message, "alternatives", []) or []:
        if mimetype == "text/html":
            return str(content)
    if getattr(message, "content_subtype", "plain") == "html":
        return str(message.body)
    return ""


def _stored_attachments(message: EmailMessage) -> list[dict]:
    """Return the message's (filename, content, mimetype) attachments in a JSON-safe form.

    A ready-made MIME part is kept as its file name, decoded payload and content type.
    """
    stored = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            filename, content, mimetype = (
                attachment.get_filename(),
                attachment.get_payload(decode=True) or b"",
                attachment.get_content_type(),
            )
        else:
            filename, content, mimetype = attachment
        is_bytes = isinstance(content, bytes)
        stored.append(
            {
                "filename": filename,
                "mimetype": mimetype,
                "content": base64.b64encode(content).decode("ascii") if is_bytes else str(content),
                "base64": is_bytes,
            }
        )
    return stored


def deliver_email(outbound_id: int) -> bool:
    """Send one queued message through the delivery backend; return whether it was sent now.

    The row is claimed with a compare-and-set, so two workers (or a retry racing
    the sweeper) never send the same message twice.
    """
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(
        pk=outbound_id, status=OutboundEmail.Status.QUEUED
    ).update(status=OutboundEmail.Status.SENDING, last_attempt_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return False
    outbound = OutboundEmail.objects.get(pk=outbound_id)
    try:
        connection = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)
        _as_message(outbound, connection).send()
    except Exception as exc:
        final = outbound.attempts >= settings.EMAIL_DELIVERY_ATTEMPTS
        OutboundEmail.objects.filter(pk=outbound.pk).update(
            status=OutboundEmail.Status.FAILED if final else OutboundEmail.Status.QUEUED,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        logger.warning(
            "Email %s not delivered (attempt %s): %s", outbound.code, outbound.attempts, exc
        )
        raise
    OutboundEmail.objects.filter(pk=outbound.pk).update(
        status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def _as_message(outbound: OutboundEmail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=outbound.subject,
        body=outbound.body_text,
        from_email=outbound.from_email,
        to=outbound.to,
        cc=outbound.cc,
        bcc=outbound.bcc,
        reply_to=outbound.reply_to,
        headers=outbound.headers,
        connection=connection,
    )
    if outbound.body_html:
        message.attach_alternative(outbound.body_html, "text/html")
    for attachment in outbound.attachments:
        content = attachment["content"]
        if attachment["base64"]:
            content = base64.b64decode(content)
        message.attach(attachment["filename"], content, attachment["mimetype"])
    return message


def release_stalled_emails() -> list[int]:
    """Give abandoned claims back to the queue and return the ids of messages due a new attempt."""
    now = timezone.now()
    OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENDING, last_attempt_at__lt=now - SENDING_LEASE
    ).update(status=OutboundEmail.Status.QUEUED)
    return list(
        OutboundEmail.objects.stalled(older_than=now - timedelta(minutes=5)).values_list(
            "pk", flat=True
        )
    )


def requeue_failed_emails(outbound_ids: list[int]) -> list[int]:
    """Give messages that ran out of attempts a fresh set, and schedule their delivery."""
    from mentorship_site.mail import tasks

    with transaction.atomic():
        ids = list(
            OutboundEmail.objects.select_for_update()
            .filter(pk__in=outbound_ids, status=OutboundEmail.Status.FAILED)
            .values_list("pk", flat=True)
        )
        OutboundEmail.objects.filter(pk__in=ids).update(
            status=OutboundEmail.Status.QUEUED, attempts=0
        )
        for outbound_id in ids:
            transaction.on_commit(lambda pk=outbound_id: tasks.deliver_email.delay(pk), robust=True)
    return ids
