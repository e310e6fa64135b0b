"""Pages of the certificates: see tests/pages.py for the format."""

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from evaluation import services
from evaluation.models import Certificate
from matching.models import Match
from tests.factories import UserFactory
from tests.matching.builders import make_ready
from tests.pages import Page, everyone, signed_in

# A certificate page is its holder's alone: not the partner, not the coordinators.
HOLDER = {"anonymous": 302, "participant": 200, "*": 404}
# The program's list: its coordinators, superusers, and staff viewers (read-only).
READERS = {
    "anonymous": 302,
    "coordinator": 200,
    "superuser": 200,
    "staff_viewer": 200,
    "*": 404,
}
# A fixed code, so the verification page can be opened on it by a static query.
KNOWN_CODE = "TESTCERT2345"


def certificate_world(world):
    """Add to `world` a completed match of the participant with their certificate, and
    their mentor's certificate earned but not issued."""
    if getattr(world, "certificates", None) is not None:
        return world.certificates
    mentor = make_ready(world.program, UserFactory(display_name="Cora Mentor"), role="mentor")
    now = timezone.now()
    match = Match.objects.create(
        program=world.program,
        cycle=world.cycle,
        mentor=mentor,
        mentee=world.participation,
        status=Match.Status.COMPLETED,
        started_at=now - timedelta(weeks=12),
        started_on=(now - timedelta(weeks=12)).date(),
        ends_on=(now - timedelta(weeks=2)).date(),
        ended_at=now - timedelta(weeks=2),
    )
    certificate = services.issue_certificate(
        world.participation, match, by=world.users["participant"]
    )
    Certificate.objects.filter(pk=certificate.pk).update(code=KNOWN_CODE)
    certificate.refresh_from_db()
    world.certificates = SimpleNamespace(match=match, certificate=certificate, mentor=mentor)
    return world.certificates


def the_certificate(world):
    return {"code": certificate_world(world).certificate.code}


def the_program(world):
    certificate_world(world)
    return {"code": world.program.code}


def a_known_code(world):
    certificate_world(world)
    return {}


PAGES: list = [
    Page("evaluation:certificates", signed_in(200), meant_for="participant", kwargs=a_known_code),
    Page("evaluation:certificate", HOLDER, meant_for="participant", kwargs=the_certificate),
    Page("evaluation:verify", everyone(200), meant_for="anonymous"),
    Page(
        "evaluation:verify",
        everyone(200),
        meant_for="anonymous",
        kwargs=a_known_code,
        query=f"?code={KNOWN_CODE[:4]}-{KNOWN_CODE[4:8]}-{KNOWN_CODE[8:]}",
        notes="a certificate found",
    ),
    Page(
        "evaluation:verify",
        everyone(200),
        meant_for="staff_viewer",
        query="?code=ZZZZ-ZZZZ-ZZZZ",
        notes="no certificate has this code",
    ),
    Page("evaluation:program_certificates", READERS, meant_for="coordinator", kwargs=the_program),
    Page("evaluation:issue_certificates", everyone(405), kwargs=the_program, notes="POST only"),
]
