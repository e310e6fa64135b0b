"""Build active matches for workspace tests through the real services."""

from matching import services as matching
from tests.factories import UserFactory
from tests.matching.builders import make_ready, matching_program


def active_match(coordinator, **program_settings):
    """Return an active match of a fresh program: mentor Mona in Toronto, mentee Mia in
    Auckland (far apart, with daylight saving on both sides)."""
    program, _cycle = matching_program(coordinator, **program_settings)
    mona = make_ready(
        program,
        UserFactory(display_name="Mona Mentor", time_zone="America/Toronto"),
        role="mentor",
    )
    mia = make_ready(program, UserFactory(display_name="Mia Mentee", time_zone="Pacific/Auckland"))
    request = matching.send_request(mia, mona, by=mia.user)
    return matching.approve_request(request, by=mona.user).match
