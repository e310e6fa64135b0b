"""An email backend that stores messages and lets a Celery task deliver them after commit."""

from django.core.mail.backends.base import BaseEmailBackend

from mentorship_site.mail import services


class QueuedEmailBackend(BaseEmailBackend):
    """Store each message as an OutboundEmail; delivery happens in the worker.

    Every part of the platform, allauth included, sends through Django's mail API,
    so this is the one place where a page stops waiting for the mail server.
    """

    def send_messages(self, email_messages):
        return len(services.queue_emails(list(email_messages)))
