"""Celery tasks of matching: auto-match runs and the clock (reminders, expiry, completion).

Each takes ids and is safe to run twice, concurrently, or again after a worker was killed
halfway: it re-checks the condition that makes the work due, and every email goes through
the notification log, which sends each notice once.
"""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from matching import automatch, emails, services
from matching.models import AutoMatchRun, Match, MatchRequest
from matching.services.completion import NOTICE_CATCH_UP
from mentorship_site.notifications.services import periodic_job

# The most ids one tick fans out; the next tick takes the rest.
SCAN_LIMIT = 10_000


@shared_task
def compute_automatch(run_id: int) -> None:
    """Compute a queued auto-match run, reporting progress on the run row."""
    claimed = AutoMatchRun.objects.filter(pk=run_id, status=AutoMatchRun.Status.QUEUED).update(
        status=AutoMatchRun.Status.RUNNING, progress=1
    )
    if not claimed:  # already computed, or another worker has it
        return
    run = AutoMatchRun.objects.select_related("program", "cycle").get(pk=run_id)

    def report(progress: int, stage: str) -> None:
        AutoMatchRun.objects.filter(pk=run_id).update(progress=progress, stage=stage)

    try:
        result = automatch.compute(run.program, run.cycle_id, report=report)
    except Exception as error:
        AutoMatchRun.objects.filter(pk=run_id).update(
            status=AutoMatchRun.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        AutoMatchRun.objects.filter(pk=run_id, status=AutoMatchRun.Status.RUNNING).update(
            status=AutoMatchRun.Status.DONE,
            progress=100,
            stage="",
            result=result,
            finished_at=timezone.now(),
        )


# --- requests: a reminder before the reply window closes, then expiry ---------------------


@shared_task
def remind_request(request_id: int) -> int:
    """Remind each side that still has to answer, if the request is still due; return how
    many reminders were sent now."""
    # No "not reminded yet" here: a run cut short after one of two reminders must send
    # the other; the notification log stops the first from going twice.
    if not MatchRequest.objects.in_reminder_window().filter(pk=request_id).exists():
        return 0  # answered, closed or expired since the scan
    return emails.send_request_reminder(request_id)


@shared_task
@periodic_job
def remind_requests() -> int:
    """Fan out one reminder task per pending request about to expire, not yet reminded."""
    ids = list(MatchRequest.objects.due_for_reminder().values_list("pk", flat=True)[:SCAN_LIMIT])
    for request_id in ids:
        remind_request.delay(request_id)
    return len(ids)


@shared_task
def expire_request(request_id: int) -> bool:
    return services.expire_request(request_id)


@shared_task
def notify_request_expired(request_id: int) -> None:
    """Tell both sides of an expired request (each once)."""
    if MatchRequest.objects.filter(pk=request_id, status=MatchRequest.Status.EXPIRED).exists():
        emails.send_request_closed(request_id)


@shared_task
@periodic_job
def expire_overdue_requests() -> int:
    """Fan out one expiry task per pending request whose reply window has passed, and the
    notices of recent expiries whose emails a stopped worker never sent."""
    ids = list(MatchRequest.objects.due_to_expire().values_list("pk", flat=True)[:SCAN_LIMIT])
    for request_id in ids:
        expire_request.delay(request_id)
    untold = list(
        MatchRequest.objects.awaiting_expiry_notice(timezone.now() - NOTICE_CATCH_UP)
        .exclude(pk__in=ids)
        .values_list("pk", flat=True)[:SCAN_LIMIT]
    )
    for request_id in untold:
        notify_request_expired.delay(request_id)
    return len(ids) + len(untold)


# --- matches: completion once the end date has passed for both ----------------------------


@shared_task
def notify_match_completed(match_id: int) -> int:
    """Thank both people of a completed match (once each); return how many were sent now."""
    if not Match.objects.filter(pk=match_id, status=Match.Status.COMPLETED).exists():
        return 0
    return emails.send_match_completed(match_id)


@shared_task
@periodic_job
def complete_due_matches() -> int:
    """Complete every due match in bulk, then fan out the thanks; return how many matches
    were announced.

    The announcements come from a scan of recently completed matches not yet announced,
    not from this run's list: a run killed between its commit and its fan-out is made
    good by the next.
    """
    now = timezone.now()
    services.complete_due_matches(now)
    ids = list(
        Match.objects.awaiting_completion_notice(now - NOTICE_CATCH_UP).values_list(
            "pk", flat=True
        )[:SCAN_LIMIT]
    )
    for match_id in ids:
        notify_match_completed.delay(match_id)
    return len(ids)
