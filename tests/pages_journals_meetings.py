"""Pages of a pair's meetings: see tests/pages.py for the format."""

import zoneinfo
from datetime import datetime, time, timedelta

from django.utils import timezone

from journals.services import meetings as services
from tests.matching.builders import matching_world
from tests.pages import Page, everyone

# The pair and the program's coordinators (and superusers) read; everyone else gets 404.
PAIR_AND_COORDINATORS = {
    "anonymous": 302,
    "participant": 200,
    "coordinator": 200,
    "superuser": 200,
    "*": 404,
}


def the_match(world):
    return {"code": matching_world(world).match.code}


def world_meeting(world):
    """A meeting the participant (the mentee) proposed to Max Mentor, a week from now."""
    if getattr(world, "meeting", None) is None:
        match = matching_world(world).match
        user = world.users["participant"]
        today = timezone.now().astimezone(zoneinfo.ZoneInfo(user.time_zone)).date()
        world.meeting = services.propose_meeting(
            match,
            by=user,
            starts_at_local=datetime.combine(today + timedelta(days=7), time(10, 0)),
            time_zone=user.time_zone,
            duration=60,
            agenda="Getting to know each other",
            video_url="https://meet.example.org/pat-max",
        )
    return world.meeting


def the_meeting(world):
    return {"code": world_meeting(world).code}


PAGES: list = [
    Page("journals:meetings", PAIR_AND_COORDINATORS, meant_for="participant", kwargs=the_match),
    Page("journals:meeting", PAIR_AND_COORDINATORS, meant_for="participant", kwargs=the_meeting),
    Page(
        "journals:meeting_ics",
        PAIR_AND_COORDINATORS,
        kwargs=the_meeting,
        notes="a calendar file, not a page",
    ),
    Page("journals:meeting_accept", everyone(405), kwargs=the_meeting, notes="POST only"),
    Page("journals:meeting_decline", everyone(405), kwargs=the_meeting, notes="POST only"),
    Page("journals:meeting_reschedule", everyone(405), kwargs=the_meeting, notes="POST only"),
    Page("journals:meeting_cancel", everyone(405), kwargs=the_meeting, notes="POST only"),
    Page("journals:meeting_agenda", everyone(405), kwargs=the_meeting, notes="POST only"),
    Page("journals:meeting_mark", everyone(405), kwargs=the_meeting, notes="POST only"),
]
