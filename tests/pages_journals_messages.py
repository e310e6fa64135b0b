"""Pages of the pair's agreement and thread: see tests/pages.py for the format."""

from tests.matching.builders import matching_world
from tests.pages import Page, everyone

# The pair and the program's coordinators (who read counts, not messages); everyone
# else, staff viewers and other coordinators included, gets 404.
WORKSPACE = {
    "anonymous": 302,
    "participant": 200,
    "coordinator": 200,
    "superuser": 200,
    "*": 404,
}
# Only the pair reads the messages themselves.
PAIR_ONLY = {"anonymous": 302, "participant": 200, "*": 404}


def the_match(world):
    return {"code": matching_world(world).match.code}


PAGES: list = [
    Page("journals:agreement", WORKSPACE, meant_for="participant", kwargs=the_match),
    Page("journals:agreement", WORKSPACE, meant_for="coordinator", kwargs=the_match),
    Page("journals:agreement_confirm", everyone(405), kwargs=the_match, notes="POST only"),
    Page("journals:thread", WORKSPACE, meant_for="participant", kwargs=the_match),
    Page(
        "journals:thread",
        WORKSPACE,
        meant_for="coordinator",
        kwargs=the_match,
        notes="coordinators see counts per week, never the messages",
    ),
    Page(
        "journals:thread_updates",
        PAIR_ONLY,
        kwargs=the_match,
        notes="htmx partial: the messages after ?after=<id>",
    ),
    Page("journals:thread_read", everyone(405), kwargs=the_match, notes="POST only (htmx)"),
]
