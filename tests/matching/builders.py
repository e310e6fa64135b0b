"""Build ready mentors and mentees, requests and matches through the real services."""

from types import SimpleNamespace

from matching import services as matching
from programs import services
from programs.models import Participant, Question, TrainingModule
from tests.factories import UserFactory
from tests.programs.builders import enrol, make_cycle, make_program

# Monday to Friday, 18:00 to 20:00 in the person's own zone.
EVENINGS = [f"{day}-{hour}" for day in range(5) for hour in (18, 19)]


def answer_everything(
    participant: Participant,
    *,
    topics=("Negotiation",),
    languages=("en",),
    slots=EVENINGS,
    goals=(),
    extra=None,
) -> None:
    """Submit the questionnaire with the given answers (others get a plain answer)."""
    user = participant.user
    values = {}
    for question in Question.objects.for_role(participant.program, participant.role).shown():
        kind = question.kind
        if kind == "topics":
            values[question.pk] = list(topics)
        elif kind == "languages":
            values[question.pk] = list(languages)
        elif kind == "availability":
            values[question.pk] = {"time_zone": user.time_zone, "slots": list(slots)}
        elif kind == "multiple_choice":
            values[question.pk] = list(goals)
        elif kind == "scale":
            values[question.pk] = 3
        elif kind in ("long_text", "short_text"):
            values[question.pk] = "Happy to share."
        elif kind == "single_choice" and question.required:
            values[question.pk] = question.choices[0]
    for key, value in (extra or {}).items():
        values[key] = value
    services.save_answers(participant, values, by=user, submit=True)


def finish_training(participant: Participant) -> None:
    modules = TrainingModule.objects.filter(
        program_id=participant.program_id, required=True
    ).for_role(participant.role)
    for module in modules:
        answer = module.check_answer if module.is_quiz else True
        services.complete_training(participant, module, by=participant.user, answer=answer)


def make_ready(program, user=None, *, role="mentee", capacity=None, **answers) -> Participant:
    """Enrol a person and make them ready to match (questionnaire and training done)."""
    user = user or UserFactory()
    extra = {"capacity": capacity} if role == "mentor" and capacity else {}
    participant = enrol(program, user, role=role, **extra)
    answer_everything(participant, **answers)
    finish_training(participant)
    participant.refresh_from_db()
    assert participant.state == Participant.State.READY, participant.state
    return participant


def matching_program(coordinator, **settings):
    """A program with a cycle whose matching window is open today."""
    program = make_program(coordinator, **settings)
    cycle = make_cycle(program, coordinator)
    program.refresh_from_db()
    return program, cycle


def matching_world(world):
    """Add to the permission `world` a mentor, a request and an active match of the participant.

    Built once per world, on first use, so tests that do not need it pay nothing.
    """
    if getattr(world, "matching", None) is not None:
        return world.matching
    program, coordinator = world.program, world.users["coordinator"]
    mentee = world.participation
    answer_everything(mentee)
    finish_training(mentee)
    first = make_ready(program, UserFactory(display_name="Mona Mentor"), role="mentor")
    second = make_ready(program, UserFactory(display_name="Max Mentor"), role="mentor")
    mentee.refresh_from_db()
    request = matching.send_request(mentee, first, by=mentee.user, message="Hello!")
    proposal = matching.propose_match(second, mentee, by=coordinator, message="A good fit.")
    matching.approve_request(proposal, by=second.user)
    match = matching.approve_request(proposal, by=mentee.user).match
    request.refresh_from_db()
    world.matching = SimpleNamespace(
        mentor=first, second_mentor=second, request=request, proposal=proposal, match=match
    )
    return world.matching
