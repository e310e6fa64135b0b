"""Every program has its surveys from the start, and a duplicate keeps the edited ones."""

from datetime import timedelta

from django.urls import reverse
from django.utils import translation

from evaluation import services
from evaluation.models import SurveyQuestion
from programs import services as programs
from tests.factories import UserFactory
from tests.programs.builders import make_program


def test_a_new_program_has_its_built_in_questions_in_each_readers_language(db):
    program = make_program(UserFactory(preferred_language="fr"))

    questions = SurveyQuestion.objects.filter(program=program)
    assert set(questions.values_list("kind", flat=True)) == {"midpoint", "end"}
    satisfaction = questions.get(kind="end", key="satisfaction")
    with translation.override("en"):
        assert satisfaction.shown_text.startswith("Overall, how satisfied")
    with translation.override("fr"):
        assert satisfaction.shown_text.startswith("Dans l")  # "Dans l'ensemble, ..."
        reason = questions.get(kind="end", key="early_end_reason")
        values, labels = zip(*reason.shown_choices, strict=True)
        assert values[0] == "We could not find time to meet" and labels[0] != values[0]


def test_a_coordinator_who_saves_the_built_in_wording_keeps_it_translated(coordinator):
    program = make_program(coordinator)
    reason = SurveyQuestion.objects.get(program=program, kind="end", key="early_end_reason")
    with translation.override("fr"):
        services.change_question(
            reason,
            by=coordinator,
            text=reason.shown_text,
            answer_type="choice",
            required=True,
            choices=[label for _value, label in reason.shown_choices] + ["Un déménagement"],
        )
    reason.refresh_from_db()
    assert reason.text == "Your match ended early. What was the main reason?"
    assert reason.choices[0] == "We could not find time to meet"
    assert reason.choices[-1] == "Un déménagement"


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


def test_the_home_page_points_to_a_survey_waiting_for_an_answer(client, match):
    from evaluation.models import SurveyKind

    (invitation, _other) = sorted(
        services.open_survey(match, SurveyKind.MIDPOINT, now=match.started_at + timedelta(weeks=5)),
        key=lambda invitation: invitation.role != "mentee",
    )
    client.force_login(invitation.user)
    page = client.get(reverse("home")).content.decode()
    assert reverse("evaluation:survey", kwargs={"code": invitation.code}) in page

    services.submit_answers(
        invitation,
        by=invitation.user,
        values={
            services.field_name(question): {"scale": 4, "yes_partly_no": "yes"}.get(
                question.answer_type, ""
            )
            for question in services.questions_for(invitation)
        },
    )
    page = client.get(reverse("home")).content.decode()
    assert reverse("evaluation:survey", kwargs={"code": invitation.code}) not in page
