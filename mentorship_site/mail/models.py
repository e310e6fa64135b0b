import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundEmailQuerySet(models.QuerySet):
    def undelivered(self):
        return self.filter(status=OutboundEmail.Status.QUEUED)

    def stalled(self, *, older_than):
        """Return queued messages whose delivery task never ran or failed before `older_than`."""
        return self.undelivered().filter(
            Q(last_attempt_at__lt=older_than) | Q(last_attempt_at=None, created_at__lt=older_than)
        )


class OutboundEmail(models.Model):
    """A message the platform sends, kept so delivery survives a slow or absent mail server."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    subject = models.CharField(max_length=998)
    from_email = models.CharField(max_length=320)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    bcc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # [{"filename", "mimetype", "content", "base64"}]: text as is, bytes base64-encoded.
    attachments = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [
            # Serves OutboundEmailQuerySet.stalled(): the sweeper scans only queued rows.
            models.Index(
                fields=["created_at"], condition=Q(status="queued"), name="mail_queued_by_age"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="mail_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"
