"""Email choices, one-click unsubscribe and the clock page: see tests/pages.py for the format."""

from mentorship_site.notifications.services import unsubscribe_token
from tests.pages import Page, everyone, signed_in

# Coordinators of any program, staff viewers and superusers; participants get 404.
CLOCK = {
    "anonymous": 302,
    "coordinator": 200,
    "other_coordinator": 200,
    "staff_viewer": 200,
    "superuser": 200,
    "*": 404,
}


def participant_token(world):
    return {"token": unsubscribe_token(world.users["participant"], "meetings")}


PAGES: list = [
    Page("notifications:preferences", signed_in(200), meant_for="participant"),
    # The signed token is the authority, whoever opens the link (no sign-in needed).
    Page(
        "notifications:unsubscribe", everyone(200), meant_for="anonymous", kwargs=participant_token
    ),
    Page("notifications:clock", CLOCK, meant_for="coordinator"),
]
