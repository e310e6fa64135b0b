"""The clock page: each periodic job, its last run, its week, and its failures."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from mentorship_site.notifications.models import JobRun
from programs.models import Program

pytestmark = pytest.mark.django_db

URL = reverse("notifications:clock")
NOW = datetime(2027, 3, 3, 12, 0, tzinfo=UTC)
PROMPTS = "journals.tasks.send_weekly_prompts"
EXPIRY = "matching.tasks.expire_overdue_requests"
DIGESTS = "evaluation.digest.send_weekly_digests"
SURVEYS = "evaluation.tasks.send_surveys"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def coordinator_client(client, coordinator):
    Program.objects.create(name="Leaders of tomorrow").coordinators.add(coordinator)
    coordinator.time_zone = "Asia/Tokyo"
    coordinator.save()
    client.force_login(coordinator)
    return client


def run(job, *, ago, status="succeeded", handled=0, error="", took=timedelta(seconds=2)):
    started = NOW - ago
    finished = None if status == "running" else started + took
    return JobRun.objects.create(
        job=job,
        started_at=started,
        finished_at=finished,
        status=status,
        handled=handled,
        error=error,
    )


def row(page, job):
    start = page.index(f'data-job="{job}"')
    return page[start : page.index("</tr>", start)]


def tokyo(moment):
    with timezone.override("Asia/Tokyo"):
        return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def test_it_lists_every_job_of_the_beat_schedule_by_name(coordinator_client):
    page = coordinator_client.get(URL).content.decode()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert f'data-job="{entry["task"]}"' in page
    assert "Weekly digests" in page
    assert "Never ran" in row(page, DIGESTS)


def test_it_shows_the_last_run_in_the_viewers_zone_with_what_it_handled(coordinator_client):
    run(PROMPTS, ago=timedelta(days=1), handled=3)
    last = run(PROMPTS, ago=timedelta(minutes=15), handled=12)
    page = coordinator_client.get(URL).content.decode()
    prompts = row(page, PROMPTS)
    assert tokyo(last.started_at) in prompts
    assert "<td>12</td>" in prompts
    assert "Succeeded" in prompts
    assert "every 15 minutes" in prompts  # 3 ticks of 5 minutes


def test_it_counts_runs_and_failures_of_the_last_seven_days(coordinator_client):
    run(EXPIRY, ago=timedelta(days=8), status="failed", error="OldError: long ago")
    failed = run(EXPIRY, ago=timedelta(days=2), status="failed", error="OperationalError: gone")
    run(EXPIRY, ago=timedelta(hours=1))
    expiry = row(coordinator_client.get(URL).content.decode(), EXPIRY)
    assert "2 runs" in expiry
    assert "1 failure" in expiry
    assert tokyo(failed.started_at) in expiry
    assert "OperationalError" in expiry
    assert "gone" not in expiry  # the full error is for superusers


def test_superusers_read_the_full_error(client, superuser):
    run(EXPIRY, ago=timedelta(hours=1), status="failed", error="OperationalError: server gone")
    client.force_login(superuser)
    assert "server gone" in row(client.get(URL).content.decode(), EXPIRY)


def test_a_run_in_progress_and_a_run_that_never_finished_are_told_apart(coordinator_client):
    started = run(PROMPTS, ago=timedelta(minutes=10), status="running")
    stalled = run(SURVEYS, ago=timedelta(hours=2), status="running")
    page = coordinator_client.get(URL).content.decode()
    assert f"Still running since {tokyo(started.started_at)}" in row(page, PROMPTS)
    assert f"Did not finish (started {tokyo(stalled.started_at)})" in row(page, SURVEYS)


def test_participants_get_404(client, participant):
    client.force_login(participant)
    assert client.get(URL).status_code == 404


def test_staff_viewers_see_it(client, staff_viewer):
    client.force_login(staff_viewer)
    assert client.get(URL).status_code == 200


def test_coordinators_find_it_in_the_navigation(coordinator_client):
    assert f'href="{URL}"' in coordinator_client.get(reverse("home")).content.decode()


def test_participants_do_not_find_it_in_the_navigation(client, participant):
    client.force_login(participant)
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("size", [1, 60])
def test_it_queries_a_fixed_number_of_times(
    coordinator_client, django_assert_max_num_queries, size
):
    tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    JobRun.objects.bulk_create(
        JobRun(
            job=task,
            started_at=NOW - timedelta(hours=n),
            finished_at=NOW - timedelta(hours=n),
            status="failed" if n % 3 == 0 else "succeeded",
            error="ValueError: odd" if n % 3 == 0 else "",
            handled=n,
        )
        for task in tasks
        for n in range(size)
    )
    # Session, user, navigation, may this person see the clock, and three reads of the runs.
    with django_assert_max_num_queries(7):
        assert coordinator_client.get(URL).status_code == 200
