"""The questionnaire builder and the pairing rules matching uses."""

import pytest
from django.urls import reverse

from programs.models import Answer, Question, QuestionPair
from programs.services import ProgramError, builder
from tests.factories import UserFactory
from tests.programs.builders import enrol

GOOD = {
    "label": "Which team are you in?",
    "help_text": "As on your badge.",
    "kind": "single_choice",
    "choices": "Sales\nEngineering\n\nSales\nPeople",
    "required": "on",
}


def field_errors(response, field):
    return " ".join(str(error) for error in response.context["form"].errors.get(field, []))


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.users["coordinator"])
    return client


def builder_url(world, role="mentee"):
    return reverse(
        "programs:questionnaire_builder", kwargs={"code": world.program.code, "role": role}
    )


def create_url(world, role="mentee"):
    return reverse("programs:question_create", kwargs={"code": world.program.code, "role": role})


def edit_url(world, question):
    return reverse(
        "programs:question_edit", kwargs={"code": world.program.code, "question": question.code}
    )


def move_url(world, question):
    return reverse(
        "programs:question_move", kwargs={"code": world.program.code, "question": question.code}
    )


def labels(world, role="mentee"):
    return list(Question.objects.for_role(world.program, role).values_list("label", flat=True))


def answer(question, world):
    Answer.objects.create(participant=world.participation, question=question, value="Sales")


# --- the builder ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_builder_lists_the_questions_in_order_with_their_badges(coordinator_client, world):
    response = coordinator_client.get(builder_url(world))
    assert response.status_code == 200
    assert [q.label for q in response.context["questions"]] == labels(world)
    html = response.content.decode()
    assert "Would you prefer a mentor of a particular gender?" in html
    assert "Sensitive" in html and "Optional" in html and "Required" in html
    assert "One choice from a list" in html


@pytest.mark.django_db
def test_a_role_other_than_mentor_or_mentee_is_not_found(coordinator_client, world):
    for url in (builder_url(world, "coordinator"), create_url(world, "admin")):
        assert coordinator_client.get(url).status_code == 404
    assert coordinator_client.post(create_url(world, "admin"), GOOD).status_code == 404


@pytest.mark.django_db
def test_a_coordinator_adds_a_question_at_the_end(coordinator_client, world):
    response = coordinator_client.post(create_url(world), GOOD)
    assert response.status_code == 302
    assert response.url == builder_url(world)
    question = Question.objects.get(label="Which team are you in?")
    assert (question.role, question.kind, question.required) == ("mentee", "single_choice", True)
    assert question.choices == ["Sales", "Engineering", "People"]
    assert labels(world)[-1] == "Which team are you in?"


@pytest.mark.django_db
def test_choices_are_dropped_for_kinds_without_a_list(coordinator_client, world):
    coordinator_client.post(create_url(world), {**GOOD, "kind": "short_text"})
    assert Question.objects.get(label="Which team are you in?").choices == []


BAD_QUESTIONS = [
    ({"label": ""}, "label", "required"),
    ({"label": "Q" * 301}, "label", "at most 300 characters"),
    ({"help_text": "h" * 501}, "help_text", "at most 500 characters"),
    ({"kind": "telepathy"}, "kind", "valid choice"),
    ({"choices": ""}, "choices", "at least two choices"),
    ({"choices": "Only one"}, "choices", "at least two choices"),
    ({"choices": "c" * 201 + "\nshort"}, "choices", "under 200 characters"),
    ({"kind": "multiple_choice", "choices": "\n".join(f"c{n}" for n in range(51))}, "choices",
     "at most 50"),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "field", "message"), BAD_QUESTIONS)
def test_a_bad_question_is_refused_keeping_what_was_typed(
    coordinator_client, world, changes, field, message
):
    before = Question.objects.count()
    response = coordinator_client.post(create_url(world), {**GOOD, **changes})
    assert response.status_code == 200
    assert message in field_errors(response, field)
    html = response.content.decode()
    assert 'class="invalid-feedback' in html
    typed_label = changes.get("label", GOOD["label"])
    if typed_label:
        assert f'value="{typed_label}"' in html
    assert Question.objects.count() == before


@pytest.mark.django_db
def test_html_in_a_question_is_shown_escaped(coordinator_client, world):
    coordinator_client.post(create_url(world), {**GOOD, "label": "<b>Team?</b>"})
    html = coordinator_client.get(builder_url(world)).content.decode()
    assert "<b>Team?</b>" not in html
    assert "&lt;b&gt;Team?&lt;/b&gt;" in html


@pytest.mark.django_db
def test_a_coordinator_edits_and_hides_a_question(coordinator_client, world):
    question = world.question
    response = coordinator_client.post(
        edit_url(world, question),
        {"label": "Topics you want to explore", "kind": question.kind, "hidden": "on"},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.label == "Topics you want to explore"
    assert question.hidden and not question.required
    assert "Hidden" in coordinator_client.get(builder_url(world)).content.decode()


@pytest.mark.django_db
def test_an_answered_question_can_be_hidden_but_not_change_type(coordinator_client, world):
    question = world.program.questions.get(role="mentee", kind="single_choice")
    answer(question, world)
    page = coordinator_client.get(edit_url(world, question)).content.decode()
    assert "its type cannot change" in page

    response = coordinator_client.post(
        edit_url(world, question), {**GOOD, "label": "Changed", "kind": "long_text"}
    )
    assert response.status_code == 200
    assert "its type cannot change" in field_errors(response, "kind")
    assert 'value="Changed"' in response.content.decode()
    question.refresh_from_db()
    assert (question.kind, question.label) == (
        "single_choice",
        "Would you prefer a mentor of a particular gender?",
    )

    hide = {"label": question.label, "kind": "single_choice", "choices": "A\nB", "hidden": "on"}
    assert coordinator_client.post(edit_url(world, question), hide).status_code == 302
    question.refresh_from_db()
    assert question.hidden


@pytest.mark.django_db
def test_the_service_itself_refuses_a_type_change_on_an_answered_question(world):
    question = world.program.questions.get(role="mentee", kind="single_choice")
    answer(question, world)
    with pytest.raises(ProgramError) as refused:
        builder.update_question(
            question, by=world.users["coordinator"], label=question.label, kind="short_text"
        )
    assert refused.value.field == "kind"
    question.refresh_from_db()
    assert question.kind == "single_choice"


@pytest.mark.django_db
def test_the_services_refuse_people_who_do_not_coordinate_the_program(world):
    for role in ("other_coordinator", "staff_viewer", "participant"):
        with pytest.raises(ProgramError):
            builder.create_question(
                world.program, by=world.users[role], role="mentee", label="X", kind="short_text"
            )
        with pytest.raises(ProgramError):
            builder.move_question(world.question, by=world.users[role], direction="down")
    assert not Question.objects.filter(label="X").exists()


@pytest.mark.django_db
def test_moving_a_question_swaps_it_with_its_neighbour(coordinator_client, world):
    first, second, *rest = labels(world)
    question = world.program.questions.get(role="mentee", label=second)

    response = coordinator_client.post(move_url(world, question), {"direction": "up"})
    assert response.status_code == 302
    assert labels(world) == [second, first, *rest]

    coordinator_client.post(move_url(world, question), {"direction": "down"})
    coordinator_client.post(move_url(world, question), {"direction": "down"})
    assert labels(world) == [first, rest[0], second, *rest[1:]]


@pytest.mark.django_db
def test_moving_past_either_end_or_in_a_strange_direction_changes_nothing(
    coordinator_client, world
):
    before = labels(world)
    top = world.program.questions.get(role="mentee", label=before[0])
    coordinator_client.post(move_url(world, top), {"direction": "up"})
    response = coordinator_client.post(move_url(world, top), {"direction": "sideways"})
    assert response.status_code == 302
    assert labels(world) == before
    assert labels(world, "mentor")[0] == "Which topics can you help with?"


@pytest.mark.django_db
def test_moving_is_post_only(coordinator_client, world):
    assert coordinator_client.get(move_url(world, world.question)).status_code == 405


def add_answered_questions(world, size):
    coordinator = world.users["coordinator"]
    for n in range(size):
        question = builder.create_question(
            world.program, by=coordinator, role="mentee", label=f"Q{n}", kind="short_text"
        )
        participant = enrol(world.program, UserFactory(), role="mentee")
        Answer.objects.create(participant=participant, question=question, value="x")


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 15])
def test_the_builder_runs_a_fixed_number_of_queries(
    coordinator_client, world, django_assert_max_num_queries, size
):
    add_answered_questions(world, size)
    # Session, user, program, staff-viewer group, "may change?", the annotated questions.
    with django_assert_max_num_queries(7):
        assert coordinator_client.get(builder_url(world)).status_code == 200


# --- pairing rules ----------------------------------------------------------------------


def pairs_url(world):
    return reverse("programs:question_pairs", kwargs={"code": world.program.code})


def pair_form(world, **changes):
    mentor = world.program.questions.get(role="mentor", kind="long_text")
    mentee = world.program.questions.get(role="mentee", kind="long_text")
    return {
        "mentor_question": mentor.pk,
        "mentee_question": mentee.pk,
        "rule": "different",
        "weight": "2",
        **changes,
    }


@pytest.mark.django_db
def test_the_pairs_page_lists_the_default_pairs(coordinator_client, world):
    response = coordinator_client.get(pairs_url(world))
    assert len(response.context["pairs"]) == 5
    html = response.content.decode()
    assert "Must match" in html and "Prefer a match" in html


@pytest.mark.django_db
def test_a_coordinator_pairs_two_questions(coordinator_client, world):
    response = coordinator_client.post(pairs_url(world), pair_form(world))
    assert response.status_code == 302
    pair = QuestionPair.objects.get(program=world.program, rule="different")
    assert pair.weight == 2
    assert (pair.mentor_question.role, pair.mentee_question.role) == ("mentor", "mentee")


@pytest.mark.django_db
def test_the_same_pair_twice_is_refused_with_a_message(coordinator_client, world):
    coordinator_client.post(pairs_url(world), pair_form(world))
    response = coordinator_client.post(pairs_url(world), pair_form(world, rule="must"))
    assert response.status_code == 200
    assert "already paired" in " ".join(response.context["form"].non_field_errors())
    assert QuestionPair.objects.filter(program=world.program).count() == 6


@pytest.mark.django_db
def test_the_database_refusal_of_a_duplicate_becomes_a_program_error(world):
    pair = world.program.question_pairs.first()
    with pytest.raises(ProgramError, match="already paired"):
        builder.add_question_pair(
            world.program,
            by=world.users["coordinator"],
            mentor_question=pair.mentor_question,
            mentee_question=pair.mentee_question,
            rule="must",
            weight=1,
        )


@pytest.mark.django_db
def test_questions_of_the_wrong_role_or_program_cannot_be_paired(coordinator_client, world):
    mentee = world.program.questions.filter(role="mentee").first()
    foreign = world.other_program.questions.filter(role="mentor").first()
    for changes, field in [
        ({"mentor_question": mentee.pk}, "mentor_question"),
        ({"mentor_question": foreign.pk}, "mentor_question"),
        ({"mentor_question": "nonsense"}, "mentor_question"),
        ({"weight": "6"}, "weight"),
        ({"weight": "0"}, "weight"),
        ({"rule": "maybe"}, "rule"),
    ]:
        response = coordinator_client.post(pairs_url(world), pair_form(world, **changes))
        assert response.status_code == 200
        assert response.context["form"].errors.get(field), changes
    assert QuestionPair.objects.filter(program=world.program).count() == 5


@pytest.mark.django_db
def test_a_coordinator_removes_a_pair(coordinator_client, world):
    pair = world.program.question_pairs.first()
    url = reverse(
        "programs:question_pair_delete",
        kwargs={
            "code": world.program.code,
            "mentor_question": pair.mentor_question.code,
            "mentee_question": pair.mentee_question.code,
        },
    )
    assert coordinator_client.get(url).status_code == 405
    assert coordinator_client.post(url).status_code == 302
    assert not QuestionPair.objects.filter(pk=pair.pk).exists()
    assert coordinator_client.post(url).status_code == 404


@pytest.mark.django_db
def test_a_staff_viewer_reads_the_pairs_without_a_form_and_cannot_add(client, world):
    client.force_login(world.users["staff_viewer"])
    response = client.get(pairs_url(world))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert client.post(pairs_url(world), pair_form(world)).status_code == 404
    assert QuestionPair.objects.filter(program=world.program).count() == 5
