"""Pages of the matching app (participant): see tests/pages.py for the format."""

from tests.matching.builders import matching_world
from tests.pages import Page, everyone

# The participant's own pages, requests and matches: only Pat sees them; everyone else,
# coordinators included, gets 404.
OWN = {"anonymous": 302, "participant": 200, "*": 404}


def own(world):
    matching_world(world)
    return {"code": world.participation.code}


def ask(world):
    return {"code": world.participation.code, "other": matching_world(world).mentor.code}


def the_request(world):
    return {"code": matching_world(world).request.code}


def the_match(world):
    return {"code": matching_world(world).match.code}


PAGES: list = [
    Page("matching:suggestions", OWN, meant_for="participant", kwargs=own),
    Page("matching:request_new", OWN, meant_for="participant", kwargs=ask),
    Page("matching:requests", OWN, meant_for="participant", kwargs=own),
    Page("matching:request", OWN, meant_for="participant", kwargs=the_request),
    Page("matching:request_approve", everyone(405), kwargs=the_request, notes="POST only"),
    Page("matching:request_decline", everyone(405), kwargs=the_request, notes="POST only"),
    Page("matching:request_withdraw", everyone(405), kwargs=the_request, notes="POST only"),
    Page("matching:request_seen", everyone(405), kwargs=the_request, notes="POST only"),
    Page("matching:match", OWN, meant_for="participant", kwargs=the_match),
]
