"""What the clock page reads: each periodic job of the beat schedule and its recent runs."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mentorship_site.accounts.models import STAFF_VIEWERS_GROUP, User
from mentorship_site.notifications.models import JobRun

# A run still marked running after this long was cut short (a worker killed halfway).
STALLED_AFTER = timedelta(hours=1)
RECENT = timedelta(days=7)

JOB_NAMES = {
    "mentorship_site.mail.tasks.redeliver_stalled_emails": _("Resend emails that got stuck"),
    "matching.tasks.expire_overdue_requests": _("Expire unanswered match requests"),
    "matching.tasks.remind_requests": _("Remind people of requests waiting for their answer"),
    "matching.tasks.complete_due_matches": _("Complete matches whose end date has passed"),
    "journals.tasks.remind_meetings": _("Meeting reminders"),
    "journals.tasks.send_weekly_prompts": _("Weekly discussion prompts"),
    "journals.tasks.nudge_journals": _("Reminders to write in the learning journal"),
    "journals.tasks.remind_reviews": _("Reminders of journal entries waiting for review"),
    "journals.tasks.flag_quiet_pairs": _("Alerts about pairs that have gone quiet"),
    "evaluation.tasks.send_surveys": _("Surveys and survey reminders"),
    "evaluation.digest.send_weekly_digests": _("Weekly digests"),
}


def may_see_clock(user) -> bool:
    """Return whether `user` may see the clock: coordinators, staff viewers, superusers."""
    if user.is_superuser:
        return True
    return (
        User.objects.filter(pk=user.pk)
        .filter(Q(groups__name=STAFF_VIEWERS_GROUP) | Q(coordinated_programs__isnull=False))
        .exists()
    )


def describe_interval(schedule) -> str:
    """Return how often a beat entry runs, in words ("every 10 minutes")."""
    if isinstance(schedule, timedelta):
        seconds = schedule.total_seconds()
    elif isinstance(schedule, int | float):
        seconds = float(schedule)
    else:  # a crontab or a solar schedule describes itself
        return str(schedule)
    seconds = round(seconds)
    if seconds % 86400 == 0:
        days = seconds // 86400
        return ngettext("every day", "every %(count)d days", days) % {"count": days}
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("every hour", "every %(count)d hours", hours) % {"count": hours}
    if seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("every minute", "every %(count)d minutes", minutes) % {"count": minutes}
    return ngettext("every second", "every %(count)d seconds", seconds) % {"count": seconds}


@dataclass
class JobRow:
    task: str
    name: str
    every: str
    last: JobRun | None
    runs: int
    failures: int
    last_failure: JobRun | None
    state: str  # never, running, stalled, succeeded, failed

    @property
    def error_type(self) -> str:
        if self.last_failure is None:
            return ""
        return self.last_failure.error.partition(":")[0]


def _newest_of_each(tasks: list[str], **conditions) -> Q:
    """Return a filter for the newest run of each job (matching `conditions`): one
    subquery per job, each a short walk down the notifications_job_latest index, in one
    SQL statement on any database."""
    newest = Q(pk=None)
    for task in tasks:
        newest |= Q(
            pk=Subquery(
                JobRun.objects.filter(job=task, **conditions)
                .order_by("-started_at", "-pk")
                .values("pk")[:1]
            )
        )
    return newest


def job_rows(now=None) -> list[JobRow]:
    """Return one row per job of the beat schedule, in three queries whatever the history."""
    now = now or timezone.now()
    tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    runs = JobRun.objects.filter(job__in=tasks)
    latest = {run.job: run for run in runs.filter(_newest_of_each(tasks))}
    failures = {
        run.job: run for run in runs.filter(_newest_of_each(tasks, status=JobRun.Status.FAILED))
    }
    recent = {
        row["job"]: row
        for row in runs.filter(started_at__gte=now - RECENT)
        .values("job")
        .annotate(
            runs=Count("pk"),
            failures=Count("pk", filter=Q(status=JobRun.Status.FAILED)),
        )
        .order_by()
    }
    rows = []
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        task = entry["task"]
        last = latest.get(task)
        if last is None:
            state = "never"
        elif last.status == JobRun.Status.RUNNING:
            state = "stalled" if now - last.started_at > STALLED_AFTER else "running"
        else:
            state = last.status
        counts = recent.get(task, {})
        rows.append(
            JobRow(
                task=task,
                name=str(JOB_NAMES.get(task, task)),
                every=describe_interval(entry["schedule"]),
                last=last,
                runs=counts.get("runs", 0),
                failures=counts.get("failures", 0),
                last_failure=failures.get(task),
                state=state,
            )
        )
    return rows
