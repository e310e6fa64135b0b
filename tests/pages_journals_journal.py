"""Pages of the learning journal and the review queue: see tests/pages.py for the format."""

from types import SimpleNamespace

from journals.services import journal as services
from tests.matching.builders import matching_world
from tests.pages import Page, everyone

# The pair's journal: the two people and the program's coordinators (and superusers).
PAIR_AND_COORDINATORS = {
    "anonymous": 302,
    "participant": 200,
    "coordinator": 200,
    "superuser": 200,
    "*": 404,
}
# Writing is for the pair; the entry form is the author's own.
AUTHOR = {"anonymous": 302, "participant": 200, "*": 404}
# Reviewing is for the program's coordinators.
REVIEWERS = {"anonymous": 302, "coordinator": 200, "superuser": 200, "*": 404}
# The queue is for anyone who coordinates a program.
QUEUE = {
    "anonymous": 302,
    "coordinator": 200,
    "other_coordinator": 200,
    "superuser": 200,
    "*": 404,
}


def journal_world(world):
    """Add to `world` a draft and a submitted entry of the participant (the mentee)."""
    if getattr(world, "journal", None) is not None:
        return world.journal
    match = matching_world(world).match
    author = world.users["participant"]
    world.journal = SimpleNamespace(
        match=match,
        draft=services.save_entry(match, by=author, discussed="Ideas"),
        submitted=services.save_entry(
            match, by=author, discussed="Negotiation", minutes=45, submit=True
        ),
    )
    return world.journal


def the_match(world):
    return {"code": journal_world(world).match.code}


def the_draft(world):
    return {"code": journal_world(world).draft.code}


def the_submitted(world):
    return {"code": journal_world(world).submitted.code}


PAGES: list = [
    Page("journals:journal", PAIR_AND_COORDINATORS, meant_for="participant", kwargs=the_match),
    Page("journals:journal", PAIR_AND_COORDINATORS, meant_for="coordinator", kwargs=the_match),
    Page("journals:entry_new", AUTHOR, meant_for="participant", kwargs=the_match),
    Page("journals:entry_edit", AUTHOR, meant_for="participant", kwargs=the_draft),
    Page("journals:entry_review", REVIEWERS, meant_for="coordinator", kwargs=the_submitted),
    Page("journals:entry_reopen", everyone(405), kwargs=the_submitted, notes="POST only"),
    Page("journals:review_queue", QUEUE, meant_for="coordinator"),
]
