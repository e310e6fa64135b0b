"""Answering a survey: every answer checked, all stored at once, once, with the
question's words as they stood."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError

from evaluation import services
from evaluation.models import SurveyAnswer, SurveyInvitation, SurveyKind, SurveyQuestion
from evaluation.services import SurveyError, field_name
from matching import services as matching
from matching.models import Match
from tests.evaluation.conftest import START

pytestmark = pytest.mark.django_db


def invite(match, kind=SurveyKind.END, role="mentee"):
    services.ensure_questions(match.program)
    participant = match.mentee if role == "mentee" else match.mentor
    return SurveyInvitation.objects.create(match=match, user=participant.user, role=role, kind=kind)


def by_key(invitation):
    return {q.key: q for q in services.questions_for(invitation) if q.key}


def good_values(invitation, **changes):
    questions = by_key(invitation)
    values = {
        "satisfaction": "4",
        "recommend": "9",
        "goals_reached": "partly",
        "early_end_reason": SurveyQuestion.objects.get(
            program=invitation.match.program, kind="end", key="early_end_reason"
        ).choices[0],
        "comment": "Thank you both.",
        **changes,
    }
    return {field_name(q): values[key] for key, q in questions.items()}


def test_the_programs_questions_are_created_once_with_the_built_in_keys(match):
    services.ensure_questions(match.program)
    services.ensure_questions(match.program)
    keys = list(
        SurveyQuestion.objects.of_survey(match.program, SurveyKind.END).values_list(
            "key", flat=True
        )
    )
    assert keys == ["satisfaction", "recommend", "goals_reached", "early_end_reason", "comment"]
    assert SurveyQuestion.objects.filter(program=match.program, kind="midpoint").count() == 3


def test_the_early_end_reason_is_asked_only_when_the_match_ended_early(match):
    invitation = invite(match)
    assert "early_end_reason" not in by_key(invitation)
    Match.objects.filter(pk=match.pk).update(status="completed", ended_at=START)
    invitation.match.refresh_from_db()
    assert "early_end_reason" not in by_key(invitation)
    Match.objects.filter(pk=match.pk).update(status="active", ended_at=None)
    with time_machine.travel(START + timedelta(days=3), tick=False):
        matching.end_match(match, by=match.mentor.user, reason="Moved abroad.")
    invitation.match.refresh_from_db()
    assert "early_end_reason" in by_key(invitation)


def test_answers_are_stored_per_match_and_role_with_the_questions_words(match):
    invitation = invite(match)
    services.submit_answers(invitation, by=match.mentee.user, values=good_values(invitation))
    stored = {
        a.question_key: (a.number, a.text)
        for a in SurveyAnswer.objects.filter(invitation__match=match, invitation__role="mentee")
    }
    assert stored == {
        "satisfaction": (4, ""),
        "recommend": (9, ""),
        "goals_reached": (None, "partly"),
        "comment": (None, "Thank you both."),
    }
    invitation.refresh_from_db()
    assert invitation.answered_at is not None

    question = SurveyQuestion.objects.get(program=match.program, kind="end", key="satisfaction")
    services.change_question(
        question,
        by=match.program.coordinators.get(),
        text="Happy?",
        answer_type="scale",
        required=True,
    )
    answer = SurveyAnswer.objects.get(invitation=invitation, question_key="satisfaction")
    assert answer.question_text == "Overall, how satisfied are you with your mentoring?"


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("satisfaction", "6", "Choose a number from 1 to 5."),
        ("satisfaction", "0", "Choose a number from 1 to 5."),
        ("recommend", "11", "Choose a number from 0 to 10."),
        ("recommend", "nine", "Choose a number from 0 to 10."),
        ("goals_reached", "maybe", "Choose yes, partly or no."),
        ("satisfaction", "", "Answer this question."),
    ],
)
def test_invalid_answers_are_refused_with_a_message_and_nothing_is_stored(
    match, key, value, message
):
    invitation = invite(match)
    values = good_values(invitation, **{key: value})
    with pytest.raises(SurveyError) as refused:
        services.submit_answers(invitation, by=match.mentee.user, values=values)
    assert refused.value.errors == {field_name(by_key(invitation)[key]): message}
    assert not SurveyAnswer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_an_unknown_choice_is_refused(match):
    with time_machine.travel(START + timedelta(days=3), tick=False):
        matching.end_match(match, by=match.mentor.user, reason="Moved abroad.")
    invitation = invite(match)
    invitation.match.refresh_from_db()
    values = good_values(invitation, early_end_reason="Aliens")
    with pytest.raises(SurveyError) as refused:
        services.submit_answers(invitation, by=match.mentee.user, values=values)
    assert list(refused.value.errors.values()) == ["Choose one of the answers offered."]


def test_a_second_submission_is_refused(match):
    invitation = invite(match)
    services.submit_answers(invitation, by=match.mentee.user, values=good_values(invitation))
    with pytest.raises(SurveyError, match="already answered"):
        services.submit_answers(
            invitation, by=match.mentee.user, values=good_values(invitation, satisfaction="1")
        )
    assert SurveyAnswer.objects.get(question_key="satisfaction").number == 4


def test_only_the_invited_person_can_answer(match):
    invitation = invite(match)
    with pytest.raises(SurveyError):
        services.submit_answers(invitation, by=match.mentor.user, values=good_values(invitation))


def test_the_database_refuses_a_scale_answer_out_of_range(match):
    invitation = invite(match)
    with pytest.raises(IntegrityError, match="evaluation_scale_1_to_5"):
        SurveyAnswer.objects.create(
            invitation=invitation, question_text="Happy?", answer_type="scale", number=7
        )


def test_a_built_in_question_keeps_its_type_and_cannot_be_removed(match):
    services.ensure_questions(match.program)
    coordinator = match.program.coordinators.get()
    question = SurveyQuestion.objects.get(program=match.program, kind="end", key="recommend")
    with pytest.raises(SurveyError, match="cannot change"):
        services.change_question(
            question, by=coordinator, text="Recommend?", answer_type="text", required=True
        )
    with pytest.raises(SurveyError, match="not removed"):
        services.remove_question(question, by=coordinator)


def test_questions_move_up_and_down_and_added_ones_can_be_removed(match):
    coordinator = match.program.coordinators.get()
    added = services.add_question(
        match.program,
        "midpoint",
        by=coordinator,
        text="Format?",
        answer_type="choice",
        required=False,
        choices=["Video", "Phone", ""],
    )
    assert added.choices == ["Video", "Phone"]
    services.move_question(added, by=coordinator, direction="up")
    order = list(
        SurveyQuestion.objects.of_survey(match.program, "midpoint").values_list("text", flat=True)
    )
    assert order[2] == "Format?" and len(order) == 4
    services.remove_question(added, by=coordinator)
    assert not SurveyQuestion.objects.filter(pk=added.pk).exists()


def test_a_choice_question_needs_two_choices(match):
    with pytest.raises(SurveyError) as refused:
        services.add_question(
            match.program,
            "end",
            by=match.program.coordinators.get(),
            text="Format?",
            answer_type="choice",
            required=True,
            choices=["Video"],
        )
    assert refused.value.errors == {"choices": "Give at least two choices, one per line."}
