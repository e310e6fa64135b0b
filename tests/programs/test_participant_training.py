"""Taking training modules: acknowledgement, quiz, and becoming ready to be matched."""

import re

import pytest
from django.urls import reverse

from programs import services
from programs.models import Participant, TrainingCompletion, TrainingModule


def training_url(participation, module):
    return reverse("programs:training", kwargs={"code": participation.code, "module": module.code})


@pytest.fixture
def quiz(world):
    """The mentors' quiz of world.other_program, taken by the outsider."""
    return world.other_program.training_modules.get(audience="mentor")


@pytest.fixture
def outsider_client(client, outsider):
    client.force_login(outsider)
    return client


def test_a_module_shows_its_content_safely_with_its_length(participant_client, world):
    TrainingModule.objects.filter(pk=world.module.pk).update(
        content="# Welcome\n\n**Read** this. <script>alert(1)</script>\n\n"
        "[site](javascript:alert(1))"
    )
    html = participant_client.get(training_url(world.participation, world.module)).content.decode()
    assert "<h2>Welcome</h2>" in html
    assert "<strong>Read</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "javascript:" not in html
    assert "About 15 minutes" in html
    assert world.module.check_question in html


def test_ticking_the_acknowledgement_completes_the_module(participant_client, world):
    url = training_url(world.participation, world.module)
    refused = participant_client.post(url, {})
    assert refused.status_code == 200
    assert "Tick the box to confirm." in str(refused.context["form"].errors["answer"])
    assert not TrainingCompletion.objects.exists()

    response = participant_client.post(url, {"answer": "on"})
    assert response.status_code == 302
    completion = TrainingCompletion.objects.get(participant=world.participation)
    assert completion.minutes == 15
    html = participant_client.get(url).content.decode()
    assert "You completed this module on" in html
    assert 'name="answer"' not in html


def test_a_wrong_quiz_answer_shows_the_message_and_a_right_one_completes(
    outsider_client, world, quiz
):
    url = training_url(world.outsider_participation, quiz)
    page = outsider_client.get(url).content.decode()
    assert page.count('type="radio"') == 3

    wrong = outsider_client.post(url, {"answer": "1"})
    assert wrong.status_code == 200
    assert "not the right answer" in str(wrong.context["form"].errors["answer"])
    assert re.search(r'id="id_answer_0"[^>]* checked', wrong.content.decode())
    assert not TrainingCompletion.objects.exists()

    right = outsider_client.post(url, {"answer": "2"})
    assert right.status_code == 302
    assert TrainingCompletion.objects.filter(participant=world.outsider_participation).exists()


@pytest.mark.parametrize("answer", ["", "9", "two", "0"])
def test_bad_quiz_answers_are_refused_next_to_the_field(outsider_client, world, quiz, answer):
    response = outsider_client.post(
        training_url(world.outsider_participation, quiz), {"answer": answer}
    )
    assert response.status_code == 200
    assert "answer" in response.context["form"].errors
    assert not TrainingCompletion.objects.exists()


def test_questionnaire_and_required_training_make_the_participant_ready(
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
    world.participation.refresh_from_db()
    assert world.participation.state == Participant.State.ENROLLED

    participant_client.post(training_url(world.participation, world.module), {"answer": "on"})
    world.participation.refresh_from_db()
    assert world.participation.state == Participant.State.READY
    page = participant_client.get(
        reverse("programs:participation", kwargs={"code": world.participation.code})
    ).content.decode()
    assert "You are ready to be matched." in page
    assert "2 of 2 steps done" in page
    assert 'aria-valuenow="100"' in page


def test_a_module_of_the_other_role_or_program_is_404(participant_client, world, quiz):
    mentor_module = world.program.training_modules.get(audience="mentor")
    assert (
        participant_client.get(training_url(world.participation, mentor_module)).status_code == 404
    )
    assert participant_client.get(training_url(world.participation, quiz)).status_code == 404


@pytest.mark.parametrize("role", ["outsider", "coordinator", "other_coordinator", "superuser"])
def test_strangers_get_404_on_someone_elses_training(client, world, role):
    client.force_login(world.users[role])
    url = training_url(world.participation, world.module)
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "on"}).status_code == 404
    assert not TrainingCompletion.objects.exists()
