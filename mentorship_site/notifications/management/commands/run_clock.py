"""Run the clock's periodic jobs once, now, as beat would."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = (
        "Run every periodic job of the beat schedule once, now (or only those named), and "
        "print how many items each handled. Each job is safe to run twice: nothing is sent "
        "twice. The small tasks a job fans out go to the workers (or run here when "
        "CELERY_TASK_ALWAYS_EAGER is true)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "jobs",
            nargs="*",
            metavar="JOB",
            help="Schedule entries or task names to run, such as matching-complete-due-matches "
            "(default: all of them).",
        )
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="Print the figures as JSON."
        )

    def handle(self, *args, jobs, as_json: bool = False, **options):
        schedule = settings.CELERY_BEAT_SCHEDULE
        chosen = {
            entry: spec["task"]
            for entry, spec in schedule.items()
            if not jobs or entry in jobs or spec["task"] in jobs
        }
        unknown = set(jobs) - set(chosen) - set(chosen.values())
        if unknown:
            raise CommandError(
                f"Unknown job(s): {', '.join(sorted(unknown))}. "
                f"Known: {', '.join(sorted(schedule))}."
            )
        handled = {entry: import_string(task)() or 0 for entry, task in chosen.items()}
        if as_json:
            self.stdout.write(_dumps(handled))
            return
        for entry, count in handled.items():
            self.stdout.write(f"{entry}: {count}")


def _dumps(figures: dict) -> str:
    return json.dumps(figures, indent=2, sort_keys=True)
