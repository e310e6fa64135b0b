"""Build programs and participants for tests through the real services."""

from datetime import date, timedelta
from types import SimpleNamespace

from django.utils import timezone

from programs import services
from programs.models import Participant, Program

PROGRAM_DEFAULTS = {
    "description": "Mentoring for new managers.",
    "objectives": "Grow confident new managers\nShare know-how across departments",
    "status": Program.Status.OPEN,
    "enrolment_mode": Program.EnrolmentMode.OPEN_LINK,
}


def make_program(
    coordinator,
    *,
    name="Leaders of tomorrow",
    topics=("Negotiation", "Public speaking", "Careers"),
    **settings,
):
    return services.create_program(
        by=coordinator, name=name, topics=list(topics), **{**PROGRAM_DEFAULTS, **settings}
    )


def make_cycle(program, coordinator, *, name="Spring", today=None):
    today = today or timezone.now().date()
    return services.create_cycle(
        program,
        by=coordinator,
        name=name,
        enrolment_opens_on=today - timedelta(days=10),
        enrolment_closes_on=today + timedelta(days=20),
        matching_opens_on=today - timedelta(days=5),
        matching_closes_on=today + timedelta(days=30),
        starts_on=today + timedelta(days=31),
    )


def enrol(program, user, *, role="mentee", **extra) -> Participant:
    return services.join_program(program, user, role=role, age_confirmed=True, **extra)


def build_world(*, participant, outsider, coordinator, other_coordinator, staff_viewer, superuser):
    program = make_program(coordinator)
    cycle = make_cycle(program, coordinator)
    other_program = make_program(
        other_coordinator, name="Language buddies", topics=["Spanish", "English"]
    )
    make_cycle(other_program, other_coordinator)
    participation = enrol(program, participant, role="mentee")
    outsider_participation = enrol(other_program, outsider, role="mentor")
    invitation = services.invite_person(
        program, by=coordinator, email="newcomer@example.org", role="mentor"
    )
    return SimpleNamespace(
        program=program,
        cycle=cycle,
        other_program=other_program,
        participation=participation,
        outsider_participation=outsider_participation,
        invitation=invitation,
        question=program.questions.filter(role="mentee").first(),
        module=program.training_modules.filter(audience="mentee").first(),
        resource=program.resources.filter(audience="mentee").first(),
        users={
            "participant": participant,
            "outsider": outsider,
            "coordinator": coordinator,
            "other_coordinator": other_coordinator,
            "staff_viewer": staff_viewer,
            "superuser": superuser,
        },
        today=date.today(),
    )
