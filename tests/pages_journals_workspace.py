"""Pages of the workspace (overview, weekly guide, end of a match): see tests/pages.py.

The pair's workspace is private: its two people and the program's coordinators open
it; everyone else, staff viewers and other coordinators included, gets 404.
"""

from tests.matching.builders import matching_world
from tests.pages import Page, everyone

PAIR = {
    "anonymous": 302,
    "participant": 200,
    "coordinator": 200,
    "superuser": 200,
    "*": 404,
}


def the_match(world):
    return {"code": matching_world(world).match.code}


PAGES: list = [
    Page("journals:workspace", PAIR, meant_for="participant", kwargs=the_match),
    Page("journals:prompts", PAIR, meant_for="participant", kwargs=the_match),
    # A GET shows the confirmation page only; ending takes a POST.
    Page("journals:end_match", PAIR, meant_for="participant", kwargs=the_match),
    Page("journals:extend_match", everyone(405), kwargs=the_match, notes="POST only"),
]
