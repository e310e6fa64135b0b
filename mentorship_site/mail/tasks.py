from celery import shared_task

from mentorship_site.mail import services
from mentorship_site.mail.models import OutboundEmail
from mentorship_site.notifications.services import periodic_job


@shared_task(bind=True, max_retries=None, acks_late=True)
def deliver_email(self, outbound_id: int) -> None:
    """Deliver one queued message; retry later while attempts remain."""
    try:
        services.deliver_email(outbound_id)
    except Exception as exc:
        still_queued = OutboundEmail.objects.undelivered().filter(pk=outbound_id).exists()
        if not still_queued:
            return
        attempts = (
            OutboundEmail.objects.filter(pk=outbound_id).values_list("attempts", flat=True).first()
        )
        raise self.retry(exc=exc, countdown=60 * (attempts or 1)) from exc


@shared_task
@periodic_job
def redeliver_stalled_emails() -> int:
    """Fan out a delivery task for each message whose first delivery never happened."""
    stalled = services.release_stalled_emails()
    for outbound_id in stalled:
        deliver_email.delay(outbound_id)
    return len(stalled)
