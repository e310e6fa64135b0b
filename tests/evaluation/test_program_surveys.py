"""Every program has its surveys from the start, and a duplicate keeps the edited ones."""

from django.urls import reverse

from evaluation import services
from evaluation.models import SurveyQuestion
from programs import services as programs
from tests.factories import UserFactory
from tests.programs.builders import make_program


def test_a_new_program_has_its_built_in_questions_in_its_coordinators_language(db):
    coordinator = UserFactory(preferred_language="fr")
    program = make_program(coordinator)

    questions = SurveyQuestion.objects.filter(program=program)
    assert set(questions.values_list("kind", flat=True)) == {"midpoint", "end"}
    satisfaction = questions.get(kind="end", key="satisfaction")
    assert satisfaction.text.startswith("Dans l")  # "Dans l'ensemble, ..."


def test_a_duplicated_program_keeps_the_questions_its_coordinators_wrote(coordinator):
    program = make_program(coordinator)
    satisfaction = SurveyQuestion.objects.get(program=program, kind="end", key="satisfaction")
    services.change_question(
        satisfaction,
        by=coordinator,
        text="How useful were your sessions?",
        answer_type="scale",
        required=True,
    )
    services.add_question(
        program,
        "end",
        by=coordinator,
        text="Which session helped most?",
        answer_type="text",
        required=False,
    )

    copy = programs.duplicate_program(program, by=coordinator, name="Next spring")

    texts = set(SurveyQuestion.objects.filter(program=copy).values_list("text", flat=True))
    assert {"How useful were your sessions?", "Which session helped most?"} <= texts
    assert SurveyQuestion.objects.filter(program=copy).count() == (
        SurveyQuestion.objects.filter(program=program).count()
    )


def test_opening_the_editor_changes_nothing(client, coordinator):
    program = make_program(coordinator)
    SurveyQuestion.objects.filter(program=program).delete()  # a program from before surveys
    client.force_login(coordinator)

    response = client.get(reverse("evaluation:survey_questions", kwargs={"code": program.code}))

    assert response.status_code == 200
    assert not SurveyQuestion.objects.filter(program=program).exists()
