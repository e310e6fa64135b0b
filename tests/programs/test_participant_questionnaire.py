"""Answering the questionnaire: every question type, drafts, submission and bad values."""

import pytest
from django.urls import reverse

from programs.forms.questionnaire import convert_slots
from programs.models import Answer, Participant, Question


@pytest.fixture
def questions(world):
    """The mentee questionnaire of world.program, with one question of every type, by type."""
    program = world.program
    extra = [
        ("short_text", "Your job title", [], True, False),
        ("multiple_choice", "How would you like to meet?", ["Video", "Phone", "Chat"], True, False),
        ("scale", "How confident are you today?", [], True, False),
    ]
    for position, (kind, label, choices, required, sensitive) in enumerate(extra, start=10):
        Question.objects.create(
            program=program,
            role="mentee",
            position=position,
            kind=kind,
            label=label,
            choices=choices,
            required=required,
            sensitive=sensitive,
        )
    shown = Question.objects.for_role(program, "mentee").shown()
    by_kind = {question.kind: question for question in shown}
    assert set(by_kind) == set(Question.Kind.values)
    return by_kind


def name(question):
    return f"question_{question.pk}"


def url(world):
    return reverse("programs:questionnaire", kwargs={"code": world.participation.code})


def complete(questions):
    return {
        name(questions["topics"]): ["Negotiation", "Careers"],
        name(questions["languages"]): ["en", "fr"],
        name(questions["availability"]): ["0-9", "0-10", "4-18"],
        name(questions["long_text"]): "Lead my first team well.",
        name(questions["single_choice"]): "A woman",
        name(questions["short_text"]): "Analyst",
        name(questions["multiple_choice"]): ["Video", "Chat"],
        name(questions["scale"]): "4",
    }


def saved(world):
    return dict(
        Answer.objects.filter(participant=world.participation).values_list(
            "question__kind", "value"
        )
    )


def test_every_question_type_is_shown_with_help_and_required_marks(
    participant_client, world, questions
):
    html = participant_client.get(url(world)).content.decode()
    for question in questions.values():
        assert question.label in html
    assert html.count('type="radio"') == 4 + 5  # the single choice, the scale
    assert "Video" in html and "Negotiation" in html and "French (français)" in html
    assert f'id="id_question_{questions["availability"].pk}_0_6"' in html
    assert "Monday, 06:00–07:00" in html
    assert "Sunday, 21:00–22:00" in html
    assert "Hours are in your time zone, Europe/Paris." in html
    assert "Only coordinators see this answer." in html
    assert 'class="asteriskField"' in html


def test_a_half_done_draft_is_saved_and_shown_again(participant_client, world, questions):
    draft = {
        name(questions["short_text"]): "Analyst",
        name(questions["availability"]): ["2-7", "2-8"],
        name(questions["scale"]): "3",
        name(questions["topics"]): ["Careers"],
        "draft": "1",
    }
    response = participant_client.post(url(world), draft)
    assert response.status_code == 302
    assert response.url == url(world)
    values = saved(world)
    assert values["short_text"] == "Analyst"
    assert values["availability"] == {"time_zone": "Europe/Paris", "slots": ["2-7", "2-8"]}
    assert values["scale"] == 3
    assert values["topics"] == ["Careers"]
    world.participation.refresh_from_db()
    assert world.participation.questionnaire_submitted_at is None

    html = participant_client.get(url(world)).content.decode()
    assert 'value="Analyst"' in html
    grid, scale, topics = (questions[kind].pk for kind in ("availability", "scale", "topics"))
    assert f'value="2-7" id="id_question_{grid}_2_7" checked' in html
    assert f'value="3"  id="id_question_{scale}_2" checked' in html
    assert f'value="Careers"  id="id_question_{topics}_0" checked' in html


def test_submitting_everything_records_the_submission(participant_client, world, questions):
    response = participant_client.post(url(world), {**complete(questions), "submit": "1"})
    assert response.status_code == 302
    assert response.url == reverse(
        "programs:participation", kwargs={"code": world.participation.code}
    )
    values = saved(world)
    assert values["languages"] == ["en", "fr"]
    assert values["multiple_choice"] == ["Video", "Chat"]
    assert values["single_choice"] == "A woman"
    assert values["availability"]["slots"] == ["0-9", "0-10", "4-18"]
    world.participation.refresh_from_db()
    assert world.participation.questionnaire_submitted_at is not None


def test_submitting_with_required_answers_missing_shows_errors_by_each_and_keeps_the_rest(
    participant_client, world, questions
):
    data = complete(questions)
    del data[name(questions["topics"])]
    del data[name(questions["availability"])]
    data[name(questions["long_text"])] = ""
    response = participant_client.post(url(world), {**data, "submit": "1"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {
        name(questions["topics"]),
        name(questions["availability"]),
        name(questions["long_text"]),
    }
    html = response.content.decode()
    assert "Some answers need your attention" in html
    assert 'value="Analyst"' in html
    assert "is-invalid" in html
    assert not Answer.objects.filter(participant=world.participation).exists()
    world.participation.refresh_from_db()
    assert world.participation.questionnaire_submitted_at is None


def test_the_optional_sensitive_question_may_stay_empty_on_submit(
    participant_client, world, questions
):
    data = complete(questions)
    del data[name(questions["single_choice"])]
    response = participant_client.post(url(world), {**data, "submit": "1"})
    assert response.status_code == 302


def test_a_submission_relies_on_answers_saved_in_an_earlier_draft(
    participant_client, world, questions
):
    participant_client.post(url(world), {**complete(questions), "draft": "1"})
    response = participant_client.post(url(world), {**complete(questions), "submit": "1"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("single_choice", "Someone famous"),
        ("multiple_choice", ["Video", "Carrier pigeon"]),
        ("scale", "9"),
        ("scale", "three"),
        ("topics", ["Negotiation", "Astrology"]),
        ("languages", ["xx"]),
        ("availability", ["7-9"]),
        ("availability", ["0-23"]),
        ("availability", ["0-5"]),
        ("availability", ["monday"]),
        ("short_text", "T" * 301),
        ("long_text", "L" * 5001),
        ("short_text", "null\x00byte"),
    ],
)
@pytest.mark.parametrize("button", ["draft", "submit"])
def test_bad_values_are_refused_next_to_the_field_and_nothing_is_stored(
    participant_client, world, questions, kind, value, button
):
    data = {**complete(questions), name(questions[kind]): value, button: "1"}
    response = participant_client.post(url(world), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [name(questions[kind])]
    html = response.content.decode()
    assert "invalid-feedback" in html
    if kind != "short_text":
        assert 'value="Analyst"' in html
    assert not Answer.objects.filter(participant=world.participation).exists()


def test_html_in_an_answer_is_stored_as_typed_and_shown_escaped(
    participant_client, world, questions
):
    text = "<script>alert(1)</script>"
    participant_client.post(
        url(world), {name(questions["long_text"]): text, name(questions["short_text"]): text}
    )
    assert saved(world)["long_text"] == text
    html = participant_client.get(url(world)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_html_in_a_coordinators_help_text_is_escaped(participant_client, world, questions):
    Question.objects.filter(pk=questions["short_text"].pk).update(help_text="<b>bold</b>")
    html = participant_client.get(url(world)).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_hidden_questions_are_not_asked(participant_client, world, questions):
    Question.objects.filter(pk=questions["scale"].pk).update(hidden=True)
    html = participant_client.get(url(world)).content.decode()
    assert questions["scale"].label not in html


def test_availability_is_shown_in_the_persons_current_time_zone(
    participant_client, participant, world, questions
):
    Answer.objects.create(
        participant=world.participation,
        question=questions["availability"],
        value={"time_zone": "Asia/Tokyo", "slots": ["0-16"]},
    )
    participant.time_zone = "Asia/Kolkata"
    participant.save()
    html = participant_client.get(url(world)).content.decode()
    # 16:00 in Tokyo is 12:30 in Kolkata: the slot of the hour it falls in.
    grid = questions["availability"].pk
    assert f'value="0-12" id="id_question_{grid}_0_12" checked' in html


def test_slots_move_across_midnight_between_time_zones():
    assert convert_slots(["0-6"], "Asia/Tokyo", "Europe/London") in (["6-21"], ["6-22"])
    assert convert_slots(["3-9"], "UTC", "UTC") == ["3-9"]
    assert convert_slots(["3-9"], "Nowhere/Special", "UTC") == ["3-9"]


def test_while_matched_changes_wait_for_the_next_cycle(participant_client, world, questions):
    participant_client.post(url(world), {**complete(questions), "submit": "1"})
    Participant.objects.filter(pk=world.participation.pk).update(state=Participant.State.MATCHED)
    changed = {**complete(questions), name(questions["short_text"]): "Team lead", "draft": "1"}
    participant_client.post(url(world), changed)
    answer = Answer.objects.get(participant=world.participation, question=questions["short_text"])
    assert (answer.value, answer.next_value) == ("Analyst", "Team lead")
    html = participant_client.get(url(world)).content.decode()
    assert 'value="Team lead"' in html
    assert "apply to your next cycle" in html


def test_someone_who_left_cannot_answer(participant_client, world, questions):
    Participant.objects.filter(pk=world.participation.pk).update(state=Participant.State.WITHDRAWN)
    response = participant_client.post(url(world), {**complete(questions), "draft": "1"})
    assert response.status_code == 200
    assert "You have left this program." in response.content.decode()
    assert not Answer.objects.exists()


@pytest.mark.parametrize("role", ["outsider", "coordinator", "other_coordinator", "superuser"])
def test_strangers_get_404_on_someone_elses_questionnaire(client, world, role):
    client.force_login(world.users[role])
    assert client.get(url(world)).status_code == 404
    assert client.post(url(world), {"draft": "1"}).status_code == 404


@pytest.mark.parametrize("size", [1, 30])
def test_the_questionnaire_runs_a_fixed_number_of_queries(
    participant_client, world, questions, django_assert_max_num_queries, size
):
    for n in range(size):
        for kind in ("short_text", "topics", "availability", "scale"):
            question = Question.objects.create(
                program=world.program, role="mentee", kind=kind, label=f"{kind} {n}", position=99
            )
            Answer.objects.create(participant=world.participation, question=question, value=None)
    # The session, the user, the participation, the questions, the answers, the topics.
    with django_assert_max_num_queries(7):
        assert participant_client.get(url(world)).status_code == 200
