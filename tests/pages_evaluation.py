"""Pages of the surveys: see tests/pages.py for the format."""

from types import SimpleNamespace

from evaluation import services
from evaluation.models import SurveyInvitation, SurveyKind, SurveyQuestion
from tests.matching.builders import matching_world
from tests.pages import Page, everyone, signed_in

# A survey page is the invited person's alone: not their partner, not the coordinators.
INVITED = {"anonymous": 302, "participant": 200, "*": 404}
# The question editor is for the program's coordinators (and superusers).
EDITORS = {"anonymous": 302, "coordinator": 200, "superuser": 200, "*": 404}


def survey_world(world):
    """Add to `world` a mid-cycle invitation of the participant and the program's questions."""
    if getattr(world, "surveys", None) is not None:
        return world.surveys
    match = matching_world(world).match
    services.ensure_questions(world.program)
    world.surveys = SimpleNamespace(
        invitation=SurveyInvitation.objects.create(
            match=match, user=world.users["participant"], role="mentee", kind=SurveyKind.MIDPOINT
        ),
        question=SurveyQuestion.objects.of_survey(world.program, SurveyKind.END).first(),
    )
    return world.surveys


def the_invitation(world):
    return {"code": survey_world(world).invitation.code}


def the_program(world):
    survey_world(world)
    return {"code": world.program.code}


def a_new_end_question(world):
    return {**the_program(world), "kind": SurveyKind.END.value}


def the_question(world):
    return {"code": survey_world(world).question.code}


PAGES: list = [
    Page("evaluation:surveys", signed_in(200), meant_for="participant"),
    Page("evaluation:survey", INVITED, meant_for="participant", kwargs=the_invitation),
    Page("evaluation:survey_questions", EDITORS, meant_for="coordinator", kwargs=the_program),
    Page(
        "evaluation:survey_question_new",
        EDITORS,
        meant_for="coordinator",
        kwargs=a_new_end_question,
    ),
    Page("evaluation:survey_question_edit", EDITORS, meant_for="coordinator", kwargs=the_question),
    Page("evaluation:survey_question_move", everyone(405), kwargs=the_question, notes="POST only"),
    Page(
        "evaluation:survey_question_remove", everyone(405), kwargs=the_question, notes="POST only"
    ),
]
