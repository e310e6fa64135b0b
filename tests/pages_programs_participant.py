"""Pages of the programs app (participant): see tests/pages.py for the format."""

from tests.pages import Page, everyone

# The participant's own pages: only Pat sees them; everyone else, coordinators included, gets 404.
OWN = {"anonymous": 302, "participant": 200, "*": 404}


def own(world):
    return {"code": world.participation.code}


PAGES: list = [
    Page(
        "programs:join",
        everyone(200),
        meant_for="anonymous",
        kwargs=lambda world: {"join_code": world.program.join_code},
    ),
    Page(
        "programs:join",
        everyone(200),
        meant_for="outsider",
        kwargs=lambda world: {"join_code": world.program.join_code},
        notes="the form to join",
    ),
    Page(
        "programs:invitation",
        everyone(200),
        meant_for="anonymous",
        kwargs=lambda world: {"token": world.invitation.token},
    ),
    Page(
        "programs:invitation",
        everyone(200),
        meant_for="outsider",
        kwargs=lambda world: {"token": world.invitation.token},
        notes="the form to accept; the service refuses the wrong account",
    ),
    Page("programs:participation", OWN, meant_for="participant", kwargs=own),
    Page("programs:capacity", everyone(405), kwargs=own, notes="POST only"),
    Page("programs:pause", everyone(405), kwargs=own, notes="POST only"),
    Page("programs:resume", everyone(405), kwargs=own, notes="POST only"),
    Page("programs:leave", OWN, meant_for="participant", kwargs=own),
    Page("programs:questionnaire", OWN, meant_for="participant", kwargs=own),
    Page(
        "programs:training",
        OWN,
        meant_for="participant",
        kwargs=lambda world: {**own(world), "module": world.module.code},
    ),
    Page("programs:resources", OWN, meant_for="participant", kwargs=own),
    Page(
        "programs:resource",
        OWN,
        meant_for="participant",
        kwargs=lambda world: {**own(world), "resource": world.resource.code},
    ),
]
