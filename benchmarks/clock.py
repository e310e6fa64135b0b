"""How long the clock's bulk work takes on PostgreSQL, and how many queries it runs.

Fills a database in bulk (users, participants, matches and requests through
bulk_create, no services) and measures two things:

- completion: `matching.services.complete_due_matches` on `--matches` active matches
  whose end date has passed (one mentor each, people in a dozen time zones): one
  locked, compare-and-set bulk change of state, events and freed places;
- reminder scan: the one query `matching.tasks.remind_requests` runs to find the
  requests to remind among `--requests` pending requests (a tenth of them due).

    .venv/bin/python benchmarks/clock.py                      # 10,000 matches, 100,000 requests
    .venv/bin/python benchmarks/clock.py --matches 2000 --requests 20000 --json

The database is DATABASE_URL (default: a local PostgreSQL database `mentorship_clock`,
created and migrated when missing); the benchmark's rows are deleted first, so runs can
repeat. The fan-out of emails is not timed: it is one small task per match on the
workers. Progress goes to stderr; stdout has only the lines or one JSON object.
"""

import argparse
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mentorship_clock"
BENCH_PROGRAM = "Clock benchmark"
ZONES = [
    "Pacific/Auckland",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Europe/Paris",
    "Europe/London",
    "UTC",
    "America/Sao_Paulo",
    "America/Toronto",
    "America/Chicago",
    "America/Los_Angeles",
    "Pacific/Honolulu",
    "Pacific/Kiritimati",
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- filling the database in bulk -----------------------------------------------------------


def make_people(program, count: int, *, role: str, prefix: str):
    """Create `count` users and their ready or matched participants; return the participants."""
    from mentorship_site.accounts.models import User
    from programs.models import Participant

    users = User.objects.bulk_create(
        User(
            email=f"{prefix}-{role}-{index}@clock.example.org",
            display_name=f"{role.title()} {index}",
            time_zone=ZONES[index % len(ZONES)],
            preferred_language="en",
            password="!",
        )
        for index in range(count)
    )
    return Participant.objects.bulk_create(
        Participant(
            user=user,
            program=program,
            role=role,
            state=Participant.State.READY,
            capacity=1 if role == "mentor" else None,
        )
        for user in users
    )


def fill_due_matches(program, count: int, *, now, prefix: str = "m") -> list[int]:
    """Create `count` active matches whose end date passed two days ago; return their ids."""
    from matching.models import Match
    from programs.models import Participant

    mentors = make_people(program, count, role="mentor", prefix=prefix)
    mentees = make_people(program, count, role="mentee", prefix=prefix)
    Participant.objects.filter(pk__in=[p.pk for p in mentors + mentees]).update(
        state=Participant.State.MATCHED, active_matches=1
    )
    ends_on = now.date() - timedelta(days=2)
    started_on = ends_on - timedelta(weeks=program.cycle_weeks)
    matches = Match.objects.bulk_create(
        Match(
            program=program,
            mentor=mentor,
            mentee=mentee,
            started_at=now - timedelta(weeks=program.cycle_weeks, days=2),
            started_on=started_on,
            ends_on=ends_on,
        )
        for mentor, mentee in zip(mentors, mentees, strict=True)
    )
    return [match.pk for match in matches]


def fill_pending_requests(program, count: int, *, now, due_share=0.1, prefix: str = "r"):
    """Create `count` pending requests, `due_share` of them inside the reminder window."""
    from matching.models import MatchRequest

    mentors = make_people(program, count, role="mentor", prefix=prefix)
    mentees = make_people(program, count, role="mentee", prefix=prefix)
    window = timedelta(days=program.reply_window_days)
    due_every = max(int(1 / due_share), 1) if due_share else 0
    requests = []
    for index, (mentor, mentee) in enumerate(zip(mentors, mentees, strict=True)):
        # Due ones were sent most of a window ago; the others an hour ago.
        created = (
            now - window + timedelta(hours=6)
            if due_every and index % due_every == 0
            else (now - timedelta(hours=1))
        )
        requests.append(
            MatchRequest(
                program=program,
                mentor=mentor,
                mentee=mentee,
                mentor_user_id=mentor.user_id,
                mentee_user_id=mentee.user_id,
                sender="mentee",
                created_at=created,
                mentee_approved_at=created,
                reply_due_at=created + window,
            )
        )
    return [request.pk for request in MatchRequest.objects.bulk_create(requests, batch_size=5000)]


def clear(program_name: str = BENCH_PROGRAM) -> None:
    """Delete what an earlier run of this benchmark created."""
    from matching.models import Match, MatchEvent, MatchRequest
    from mentorship_site.accounts.models import User
    from programs.models import Participant, ParticipantEvent, Program

    programs = Program.objects.filter(name=program_name)
    users = Participant.objects.filter(program__in=programs).values("user")
    MatchEvent.objects.filter(match__program__in=programs).delete()
    Match.objects.filter(program__in=programs).delete()
    MatchRequest.objects.filter(program__in=programs).delete()
    ParticipantEvent.objects.filter(participant__program__in=programs).delete()
    user_ids = list(users)
    Participant.objects.filter(program__in=programs).delete()
    User.objects.filter(pk__in=[row["user"] for row in user_ids]).delete()
    programs.delete()


# --- measuring ----------------------------------------------------------------------------


def measure_completion(matches: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from matching.models import Match
    from matching.services import complete_due_matches
    from programs.models import Program

    now = timezone.now()
    program = Program.objects.create(name=BENCH_PROGRAM)
    started = time.perf_counter()
    ids = fill_due_matches(program, matches, now=now)
    log(f"filled {len(ids)} due matches in {time.perf_counter() - started:.1f} s")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        completed = complete_due_matches(now)
        seconds = time.perf_counter() - started
    assert Match.objects.filter(pk__in=ids, status=Match.Status.COMPLETED).count() == matches
    return {
        "completed": len(completed),
        "completion_s": round(seconds, 3),
        "completion_queries": len(queries),
    }


def measure_reminder_scan(requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from matching.models import MatchRequest
    from programs.models import Program

    now = timezone.now()
    program = Program.objects.create(name=BENCH_PROGRAM)
    started = time.perf_counter()
    fill_pending_requests(program, requests, now=now)
    log(f"filled {requests} pending requests in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE matching_matchrequest")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        due = list(MatchRequest.objects.due_for_reminder(now).values_list("pk", flat=True))
        seconds = time.perf_counter() - started
    return {
        "pending_requests": requests,
        "reminders_due": len(due),
        "reminder_scan_s": round(seconds, 3),
        "reminder_scan_queries": len(queries),
    }


def run(matches: int, requests: int) -> dict:
    from django.conf import settings

    debug = settings.DEBUG
    settings.DEBUG = False  # CaptureQueriesContext records anyway; DEBUG would keep all
    try:
        clear()
        figures = {"matches": matches, **measure_completion(matches)}
        clear()
        figures.update(measure_reminder_scan(requests))
        clear()
    finally:
        settings.DEBUG = debug
    return figures


def main() -> None:
    # Run as a script, this file's folder comes first on the path; the project must.
    sys.path[0] = str(PROJECT_DIR)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matches", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    arguments = parser.parse_args()
    if not arguments.database_url.startswith("postgres"):
        parser.error("the clock benchmark needs PostgreSQL")
    from benchmarks.postgres import ensure_database, setup_django

    setup_django(arguments.database_url)
    ensure_database(arguments.database_url, log=log)
    figures = run(arguments.matches, arguments.requests)
    if arguments.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:<24} {value}")


if __name__ == "__main__":
    main()
