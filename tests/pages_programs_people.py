"""Pages of the programs app (people): see tests/pages.py for the format."""

from tests.pages import Page


def reader_statuses():
    """Coordinators and admins read and act; staff viewers read; everyone else: 404."""
    return {
        "anonymous": 302,
        "participant": 404,
        "outsider": 404,
        "coordinator": 200,
        "other_coordinator": 404,
        "staff_viewer": 200,
        "superuser": 200,
    }


def manager_statuses():
    """Pages that change things: coordinators and admins only."""
    return {**reader_statuses(), "staff_viewer": 404}


def post_only():
    return {"*": 405}


def program(world):
    return {"code": world.program.code}


def participant(world):
    return {"code": world.program.code, "participant": world.participation.code}


def invitation(world):
    return {"code": world.program.code, "token": world.invitation.token}


PAGES = [
    Page("programs:program_overview", reader_statuses(), meant_for="coordinator", kwargs=program),
    Page("programs:program_overview", reader_statuses(), meant_for="staff_viewer", kwargs=program),
    Page("programs:participants", reader_statuses(), meant_for="coordinator", kwargs=program),
    Page(
        "programs:participants_export",
        reader_statuses(),
        kwargs=program,
        notes="CSV; staff viewers get it without the sensitive answers",
    ),
    Page(
        "programs:participant_detail",
        reader_statuses(),
        meant_for="coordinator",
        kwargs=participant,
    ),
    Page(
        "programs:participant_detail",
        reader_statuses(),
        meant_for="staff_viewer",
        kwargs=participant,
    ),
    Page(
        "programs:participant_action",
        post_only(),
        kwargs=lambda world: {**participant(world), "action": "approve"},
        notes="POST only",
    ),
    Page("programs:applications", reader_statuses(), meant_for="coordinator", kwargs=program),
    Page("programs:invitations", reader_statuses(), meant_for="coordinator", kwargs=program),
    Page("programs:invitations", reader_statuses(), meant_for="staff_viewer", kwargs=program),
    Page(
        "programs:invitations_upload", manager_statuses(), meant_for="coordinator", kwargs=program
    ),
    Page("programs:invitation_resend", post_only(), kwargs=invitation, notes="POST only"),
    Page("programs:invitation_revoke", post_only(), kwargs=invitation, notes="POST only"),
]
