"""The survey pages: the invited person's form, their answers read-only afterwards,
their list of surveys, and the coordinators' question editor."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from evaluation import services
from evaluation.models import SurveyAnswer, SurveyInvitation, SurveyKind, SurveyQuestion
from evaluation.services import field_name
from matching import services as matching
from tests.evaluation.conftest import START
from tests.factories import UserFactory
from tests.journals.builders import active_match

pytestmark = pytest.mark.django_db


def invite(match, kind=SurveyKind.END):
    services.ensure_questions(match.program)
    return SurveyInvitation.objects.create(
        match=match, user=match.mentee.user, role="mentee", kind=kind
    )


def question(match, key, kind="end"):
    return SurveyQuestion.objects.get(program=match.program, kind=kind, key=key)


def survey_url(invitation):
    return reverse("evaluation:survey", kwargs={"code": invitation.code})


def test_invalid_answers_re_render_with_messages_next_to_the_fields_and_keep_what_was_typed(
    client, match
):
    invitation = invite(match)
    client.force_login(match.mentee.user)
    response = client.post(
        survey_url(invitation),
        {
            field_name(question(match, "satisfaction")): "7",
            field_name(question(match, "recommend")): "",
            field_name(question(match, "goals_reached")): "yes",
            field_name(question(match, "comment")): "My typed comment",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a number from 1 to 5." in html
    assert "Answer this question." in html
    assert "My typed comment" in html
    assert re.search(r'value="yes"[^>]*checked', html)  # the radio chosen stays chosen
    assert html.count("invalid-feedback") >= 2
    assert not SurveyAnswer.objects.exists()


def test_the_survey_is_answered_once_and_then_shown_read_only(client, match):
    invitation = invite(match)
    client.force_login(match.mentee.user)
    values = {
        field_name(question(match, "satisfaction")): "5",
        field_name(question(match, "recommend")): "10",
        field_name(question(match, "goals_reached")): "yes",
        field_name(question(match, "comment")): "",
    }
    response = client.post(survey_url(invitation), values, follow=True)
    html = response.content.decode()
    assert "Thank you: your answers are recorded." in html
    assert '<form method="post" novalidate' not in html
    assert "Overall, how satisfied are you with your mentoring?" in html
    assert "Yes" in html
    values[field_name(question(match, "satisfaction"))] = "1"
    client.post(survey_url(invitation), values)
    assert SurveyAnswer.objects.get(question_key="satisfaction").number == 5


def test_the_early_end_reason_appears_only_for_a_match_ended_early(client, match, coordinator):
    with time_machine.travel(START, tick=False):
        other = active_match(coordinator)
    with time_machine.travel(START + timedelta(days=3), tick=False):
        matching.end_match(other, by=other.mentor.user, reason="Moved abroad.")
    reason = "Your match ended early. What was the main reason?"

    client.force_login(match.mentee.user)
    assert reason not in client.get(survey_url(invite(match))).content.decode()
    client.force_login(other.mentee.user)
    html = client.get(survey_url(invite(other))).content.decode()
    assert reason in html
    assert "We could not find time to meet" in html


def test_the_partner_and_the_coordinator_get_404_on_someone_elses_survey(
    client, match, coordinator
):
    invitation = invite(match)
    for user in (match.mentor.user, coordinator):
        client.force_login(user)
        assert client.get(survey_url(invitation)).status_code == 404
        assert client.post(survey_url(invitation), {}).status_code == 404


def test_my_surveys_lists_the_persons_surveys_and_their_state(client, match):
    invitation = invite(match, kind=SurveyKind.MIDPOINT)
    client.force_login(match.mentee.user)
    html = client.get(reverse("evaluation:surveys")).content.decode()
    assert survey_url(invitation) in html
    assert "Mid-cycle check-in" in html
    assert "Waiting for your answers" in html
    assert "With Mona Mentor" in html


# --- the coordinators' editor -----------------------------------------------------------


def editor_url(program):
    return reverse("evaluation:survey_questions", kwargs={"code": program.code})


def test_the_editor_lists_both_surveys_with_their_built_in_questions(client, match, coordinator):
    client.force_login(coordinator)
    html = client.get(editor_url(match.program)).content.decode()
    assert "Mid-cycle check-in" in html and "End-of-match survey" in html
    assert "How likely are you to recommend this program to a colleague?" in html
    assert "Only when the match ended early" in html


def test_adding_a_question_keeps_what_was_typed_on_error(client, match, coordinator):
    client.force_login(coordinator)
    url = reverse(
        "evaluation:survey_question_new", kwargs={"code": match.program.code, "kind": "end"}
    )
    response = client.post(
        url, {"text": "Which format suited you?", "answer_type": "choice", "choices": "Video"}
    )
    html = response.content.decode()
    assert "Give at least two choices, one per line." in html
    assert "Which format suited you?" in html
    response = client.post(
        url,
        {
            "text": "Which format suited you?",
            "answer_type": "choice",
            "choices": "Video\nPhone",
            "required": "on",
        },
    )
    assert response.status_code == 302
    added = SurveyQuestion.objects.get(text="Which format suited you?")
    assert (added.kind, added.choices, added.required) == ("end", ["Video", "Phone"], True)


def test_a_built_in_question_can_be_reworded_but_not_retyped(client, match, coordinator):
    client.force_login(coordinator)
    services.ensure_questions(match.program)
    recommend = question(match, "recommend")
    url = reverse("evaluation:survey_question_edit", kwargs={"code": recommend.code})
    response = client.post(url, {"text": "Would you recommend us?", "answer_type": "text"})
    assert response.status_code == 302
    recommend.refresh_from_db()
    assert (recommend.text, recommend.answer_type) == ("Would you recommend us?", "score")


def test_moving_and_removing_questions(client, match, coordinator):
    client.force_login(coordinator)
    services.ensure_questions(match.program)
    added = services.add_question(
        match.program,
        "midpoint",
        by=coordinator,
        text="Format?",
        answer_type="text",
        required=False,
    )
    move = reverse("evaluation:survey_question_move", kwargs={"code": added.code})
    client.post(move, {"direction": "up"})
    texts = list(
        SurveyQuestion.objects.of_survey(match.program, "midpoint").values_list("text", flat=True)
    )
    assert texts.index("Format?") == 2
    builtin = question(match, "satisfaction", "midpoint")
    response = client.post(
        reverse("evaluation:survey_question_remove", kwargs={"code": builtin.code}), follow=True
    )
    assert "it can be reworded, not removed" in response.content.decode()
    client.post(reverse("evaluation:survey_question_remove", kwargs={"code": added.code}))
    assert not SurveyQuestion.objects.filter(pk=added.pk).exists()
    assert SurveyQuestion.objects.filter(pk=builtin.pk).exists()


def test_another_programs_coordinator_gets_404_on_the_editor(client, match):
    client.force_login(UserFactory())
    assert client.get(editor_url(match.program)).status_code == 404
    services.ensure_questions(match.program)
    move = reverse(
        "evaluation:survey_question_move",
        kwargs={"code": question(match, "comment").code},
    )
    assert client.post(move, {"direction": "up"}).status_code == 404


# --- queries -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 20])
def test_the_editor_queries_a_fixed_number_of_times(
    client, match, coordinator, django_assert_max_num_queries, size
):
    for n in range(size):
        services.add_question(
            match.program, "end", by=coordinator, text=f"Q{n}", answer_type="text", required=False
        )
    client.force_login(coordinator)
    # Session, user, navigation; the program; the built-in questions check; the list.
    with django_assert_max_num_queries(8):
        assert client.get(editor_url(match.program)).status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_my_surveys_queries_a_fixed_number_of_times(
    client, coordinator, django_assert_max_num_queries, size
):
    mentee = UserFactory(display_name="Many Matches")
    for _ in range(size):
        with time_machine.travel(START, tick=False):
            match = active_match(coordinator)
        SurveyInvitation.objects.create(match=match, user=mentee, role="mentee", kind="end")
    client.force_login(mentee)
    # Session, user, navigation; the invitations with their matches and people.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("evaluation:surveys"))
    assert response.content.decode().count("End-of-match survey") == size
