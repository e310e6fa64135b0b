"""The clock runs by itself: Celery beat schedules the jobs, a real worker on Redis runs them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from matching.models import Match
from mentorship_site.mail.models import OutboundEmail
from mentorship_site.notifications.models import JobRun, Notification
from tests.journals.builders import active_match
from tests.workers import redis_broker_url, running_beat, running_worker, wait_for

pytestmark = pytest.mark.worker


def test_beat_and_a_worker_complete_a_finished_match_and_email_both(
    transactional_db, coordinator, tmp_path
):
    match = active_match(coordinator)
    today = timezone.now().date()
    # Ten weeks ago: the end date passed two days ago in every time zone.
    Match.objects.filter(pk=match.pk).update(
        started_at=timezone.now() - timedelta(weeks=10, days=2),
        started_on=today - timedelta(weeks=10, days=2),
        ends_on=today - timedelta(days=2),
    )
    broker = redis_broker_url()
    with running_worker(broker, tmp_path) as mail_dir, running_beat(broker, tmp_path) as beat:
        completed = Match.objects.filter(pk=match.pk, status=Match.Status.COMPLETED)
        wait_for(completed.exists, "beat and the worker to complete the match", beat, 60)
        people = [match.mentor.user.email, match.mentee.user.email]

        def both_delivered():
            summaries = Notification.objects.filter(
                kind="match_completed", about_id=match.pk
            ).values_list("summary", flat=True)
            delivered = [
                address
                for outbound in OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT)
                if any(outbound.subject.endswith(summary) for summary in summaries)
                for address in outbound.to
            ]
            return sorted(delivered) == sorted(people)

        wait_for(both_delivered, "both completion emails to be delivered", beat, 60)
        written = "".join(path.read_text() for path in mail_dir.glob("*.log"))
    for address in people:
        assert f"To: {address}" in written
    match.refresh_from_db()
    assert match.ended_at is not None and match.ended_by is None
    assert match.mentor.__class__.objects.get(pk=match.mentor_id).active_matches == 0
    # Beat ran the job on its own, and the clock page's log shows it.
    run = JobRun.objects.filter(job="matching.tasks.complete_due_matches").first()
    assert run is not None and run.status == JobRun.Status.SUCCEEDED
    assert Notification.objects.filter(kind="match_completed").count() == 2
