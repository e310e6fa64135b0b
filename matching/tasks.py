"""Celery tasks of matching: auto-match runs and request expiry. Each takes ids and is safe
to run twice."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from matching import automatch, services
from matching.models import AutoMatchRun, MatchRequest


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


@shared_task
def expire_request(request_id: int) -> bool:
    return services.expire_request(request_id)


@shared_task
def expire_overdue_requests() -> int:
    """Fan out one expiry task per pending request whose reply window has passed."""
    ids = list(MatchRequest.objects.due_to_expire().values_list("pk", flat=True)[:10_000])
    for request_id in ids:
        expire_request.delay(request_id)
    return len(ids)
