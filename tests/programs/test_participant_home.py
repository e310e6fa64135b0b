"""The signed-in home page lists each program with its checklist and next step."""

import pytest
from django.urls import reverse

from programs import services
from programs.models import Participant, TrainingModule
from tests.programs.builders import enrol, make_cycle, make_program


def test_a_person_without_a_program_keeps_the_invitation_text(client, outsider, db):
    Participant.objects.filter(user=outsider).delete()
    client.force_login(outsider)
    html = client.get(reverse("home")).content.decode()
    assert "You are not in a mentoring program yet." in html
    assert "<h1" in html and html.count("<h1") == 1


def test_each_program_shows_its_state_progress_and_next_step(participant_client, world):
    html = participant_client.get(reverse("home")).content.decode()
    assert "Leaders of tomorrow" in html
    assert "Mentee · Enrolled" in html
    assert "0 of 2 steps done" in html
    assert 'aria-valuenow="0"' in html
    questionnaire = reverse("programs:questionnaire", kwargs={"code": world.participation.code})
    assert f'href="{questionnaire}">Answer the questionnaire</a>' in html
    assert "You are not in a mentoring program yet." not in html


def test_the_next_step_moves_to_training_then_to_the_program_page(
    participant_client, participant, world
):
    values = {
        q.pk: value
        for q, value in zip(
            world.program.questions.filter(role="mentee").order_by("position"),
            [["Careers"], ["en"], {"time_zone": "UTC", "slots": ["1-9"]}, "Grow", "", []],
            strict=True,
        )
    }
    services.save_answers(world.participation, values, by=participant, submit=True)
    html = participant_client.get(reverse("home")).content.decode()
    training = reverse(
        "programs:training", kwargs={"code": world.participation.code, "module": world.module.code}
    )
    assert "1 of 2 steps done" in html and 'aria-valuenow="50"' in html
    assert f'href="{training}">Take the training</a>' in html

    services.complete_training(world.participation, world.module, by=participant, answer=True)
    html = participant_client.get(reverse("home")).content.decode()
    assert "2 of 2 steps done" in html and 'aria-valuenow="100"' in html
    assert "Ready to be matched: see your program" in html
    assert "Mentee · Ready to match" in html


def test_a_paused_program_says_so(participant_client, participant, world):
    services.pause_participant(world.participation, by=participant)
    html = participant_client.get(reverse("home")).content.decode()
    assert "Paused: resume when you are ready" in html


def grow(participant, coordinator, programs, modules):
    """Enrol the participant in `programs` more programs, each with `modules` extra modules."""
    for n in range(programs):
        program = make_program(coordinator, name=f"Program {n}", allow_dual_role=True)
        make_cycle(program, coordinator)
        mentee = enrol(program, participant, role="mentee")
        enrol(program, participant, role="mentor", capacity=1)
        TrainingModule.objects.bulk_create(
            TrainingModule(
                program=program,
                audience=("everyone", "mentee", "mentor")[m % 3],
                title=f"Module {m}",
                content="Read me.",
                check_question="Done?",
                position=m,
            )
            for m in range(modules)
        )
        first = program.training_modules.filter(audience="everyone").first()
        services.complete_training(mentee, first, by=participant, answer=True)


@pytest.mark.parametrize(("programs", "modules"), [(0, 1), (4, 12)])
def test_the_home_page_runs_a_fixed_number_of_queries(
    participant_client, participant, world, django_assert_max_num_queries, programs, modules
):
    grow(participant, world.users["coordinator"], programs, modules)
    # The session, the user, the navigation, one query for every program with its
    # checklist, one for the match requests waiting for the person's answer, and one for
    # the surveys waiting for it.
    with django_assert_max_num_queries(6):
        response = participant_client.get(reverse("home"))
    assert response.status_code == 200
    assert len(response.context["entries"]) == 1 + 2 * programs


def test_the_home_counts_match_the_program_page(participant_client, participant, world):
    grow(participant, world.users["coordinator"], 1, 7)
    home = participant_client.get(reverse("home")).context["entries"]
    for entry in home:
        participation = entry["participant"]
        page = participant_client.get(
            reverse("programs:participation", kwargs={"code": participation.code})
        )
        checklist = page.context["checklist"]
        assert (entry["checklist"].done, entry["checklist"].total) == (
            checklist.done,
            checklist.total,
        )
        assert entry["checklist"].next_url == checklist.next_url
