"""Pages of matching (the coordinator's side): see tests/pages.py for the format."""

from matching.models import AutoMatchRun
from tests.matching.builders import matching_world
from tests.pages import Page
from tests.pages_programs_people import manager_statuses, post_only, reader_statuses


def program(world):
    return {"code": world.program.code}


def program_with_requests(world):
    matching_world(world)
    return program(world)


def close_request(world):
    return {"code": world.program.code, "request_code": matching_world(world).request.code}


def queued_run(world):
    """A run waiting for a worker (its task is never queued: no commit in a test)."""
    if getattr(world, "queued_run", None) is None:
        world.queued_run = AutoMatchRun.objects.create(
            program=world.program, cycle=world.cycle, started_by=world.users["coordinator"]
        )
    return {"code": world.queued_run.code}


def done_run(world):
    """A finished run proposing the participant and a mentor, ready to review."""
    if getattr(world, "done_run", None) is None:
        people = matching_world(world)
        world.done_run = AutoMatchRun.objects.create(
            program=world.program,
            cycle=world.cycle,
            started_by=world.users["coordinator"],
            status=AutoMatchRun.Status.DONE,
            progress=100,
            result={
                "pairs": [
                    {"mentee": world.participation.pk, "mentor": people.mentor.pk, "score": 72.5}
                ],
                "figures": {
                    "mentees": 1, "mentors": 1, "places": 1, "matched": 1, "total_score": 72.5,
                    "p10_score": 72.5, "worst_score": 72.5, "blocking_pair_share": 0.0,
                    "greedy_matched": 1, "greedy_total_score": 72.5, "greedy_p10_score": 72.5,
                    "greedy_worst_score": 72.5, "greedy_blocking_pair_share": 0.0,
                    "gain_over_greedy_pct": 0.0,
                },
            },
        )  # fmt: skip
    return {"code": world.done_run.code}


PAGES = [
    Page("matching:coordinator_requests", reader_statuses(), "coordinator", kwargs=program),
    Page("matching:coordinator_requests", reader_statuses(), "staff_viewer", kwargs=program),
    Page(
        "matching:coordinator_requests",
        reader_statuses(),
        "coordinator",
        kwargs=program_with_requests,
        notes="with requests, a proposal and a match",
    ),
    Page("matching:coordinator_request_close", post_only(), kwargs=close_request, notes="POST"),
    Page("matching:propose", manager_statuses(), "coordinator", kwargs=program),
    Page("matching:automatch", reader_statuses(), "coordinator", kwargs=program),
    Page("matching:automatch", reader_statuses(), "staff_viewer", kwargs=program),
    Page("matching:automatch_run", reader_statuses(), "coordinator", kwargs=queued_run),
    Page("matching:automatch_run", reader_statuses(), "coordinator", kwargs=done_run),
    Page("matching:automatch_run", reader_statuses(), "staff_viewer", kwargs=done_run),
    Page(
        "matching:automatch_progress",
        reader_statuses(),
        kwargs=queued_run,
        notes="htmx partial polled by the run page",
    ),
    Page("matching:automatch_drop", post_only(), kwargs=done_run, notes="POST only"),
    Page("matching:automatch_swap", post_only(), kwargs=done_run, notes="POST only"),
    Page("matching:automatch_send", post_only(), kwargs=done_run, notes="POST only"),
]
