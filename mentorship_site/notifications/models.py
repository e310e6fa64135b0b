from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship_site.notifications.kinds import Category, Delivery


class NotificationQuerySet(models.QuerySet):
    def about(self, instance):
        return self.filter(about_type=instance._meta.label_lower, about_id=instance.pk)

    def waiting_for_digest(self):
        return self.filter(delivery=Delivery.DIGEST, digested_at=None)


class Notification(models.Model):
    """One notice to one person about one thing on one occasion: the log that makes every
    reminder, alert and email go out at most once, however often a task runs."""

    kind = models.CharField(max_length=40)
    category = models.CharField(max_length=24, choices=Category.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # What the notice is about, as "app_label.model" and primary key, so scans can join it.
    about_type = models.CharField(max_length=60)
    about_id = models.BigIntegerField()
    # Distinguishes repeated notices about the same thing: a week number, a meeting's
    # sequence or the time it is set for, the start of a quiet spell. Empty for
    # once-ever notices.
    occasion = models.CharField(max_length=64, blank=True, default="")
    delivery = models.CharField(max_length=8, choices=Delivery.choices)
    # The email's subject in the recipient's language: the line the digest shows.
    summary = models.CharField(max_length=300)
    link = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    digested_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "about_type", "about_id", "recipient", "occasion"],
                name="notifications_once_per_occasion",
            ),
        ]
        indexes = [
            # Serves the scans' "not notified yet" subqueries:
            # NOT EXISTS (... WHERE kind = %s AND about_id = outer.id).
            models.Index(fields=["kind", "about_id"], name="notifications_by_kind"),
            # Serves the weekly digest: each person's notices waiting to be collected.
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(delivery="digest", digested_at=None),
                name="notifications_digest_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id} ({self.about_type}:{self.about_id})"


class EmailPreference(models.Model):
    """How one person wants one category of email: straight away, in the digest, or not."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    category = models.CharField(max_length=24, choices=Category.choices)
    delivery = models.CharField(max_length=8, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("email preference")
        verbose_name_plural = _("email preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="notifications_one_preference_per_category"
            ),
            models.CheckConstraint(
                condition=~Q(category="digest", delivery="digest"),
                name="notifications_digest_is_on_or_off",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.category} → {self.delivery}"


class JobRunQuerySet(models.QuerySet):
    def of_job(self, job: str):
        return self.filter(job=job)


class JobRun(models.Model):
    """One run of a periodic job, for the clock page: when, how much, and what went wrong."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    job = models.CharField(max_length=120)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    handled = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    objects = JobRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-started_at"]
        indexes = [
            # Serves the clock page: the latest runs of each job.
            models.Index(fields=["job", "-started_at"], name="notifications_job_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.job} at {self.started_at:%Y-%m-%d %H:%M} ({self.status})"
