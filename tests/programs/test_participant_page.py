"""The participant's program page: checklist, capacity, pause, resume, leave, resources."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from programs.models import Participant, ParticipantEvent, Resource, TrainingModule
from tests.factories import UserFactory
from tests.programs.builders import enrol


def page_url(name, participation, **kwargs):
    return reverse(f"programs:{name}", kwargs={"code": participation.code, **kwargs})


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def mentor(world):
    user = UserFactory(display_name="Max Mentor", email="max@example.org")
    return enrol(world.program, user, role="mentor", capacity=2)


@pytest.fixture
def mentor_client(client, mentor):
    client.force_login(mentor.user)
    return client


def test_the_page_shows_objectives_checklist_and_links(participant_client, world):
    html = participant_client.get(page_url("participation", world.participation)).content.decode()
    assert "<li>Grow confident new managers</li>" in html
    assert "0 of 2 steps done" in html
    assert 'role="progressbar"' in html and 'aria-valuenow="0"' in html
    assert page_url("questionnaire", world.participation) in html
    assert page_url("training", world.participation, module=world.module.code) in html
    assert page_url("resource", world.participation, resource=world.resource.code) in html
    assert page_url("resources", world.participation) in html
    assert "When these steps are done, you are ready to be matched." in html
    assert "Mentees I can take" not in html  # mentees have no capacity


def test_an_application_waits_for_approval(participant_client, world):
    Participant.objects.filter(pk=world.participation.pk).update(state=Participant.State.APPLIED)
    html = participant_client.get(page_url("participation", world.participation)).content.decode()
    assert "Waiting for approval." in html


def test_a_mentor_changes_capacity_within_the_programs_bounds(mentor_client, mentor):
    html = mentor_client.get(page_url("participation", mentor)).content.decode()
    assert "Mentees I can take" in html and "Choose between 1 and 4." in html
    response = mentor_client.post(page_url("capacity", mentor), {"capacity": "4"})
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.capacity == 4


@pytest.mark.parametrize("capacity", ["0", "5", "", "two", "-3", "1.5"])
def test_a_capacity_out_of_bounds_is_refused_next_to_the_field(mentor_client, mentor, capacity):
    response = mentor_client.post(page_url("capacity", mentor), {"capacity": capacity})
    assert response.status_code == 200
    assert "capacity" in response.context["capacity_form"].errors
    assert "invalid-feedback" in response.content.decode()
    if capacity:
        assert f'value="{capacity}"' in response.content.decode()
    mentor.refresh_from_db()
    assert mentor.capacity == 2


def test_a_mentee_has_no_capacity_to_change(participant_client, world):
    response = participant_client.post(page_url("capacity", world.participation), {"capacity": "2"})
    assert response.status_code == 200
    world.participation.refresh_from_db()
    assert world.participation.capacity is None


def test_pause_then_resume_restores_the_state(participant_client, world):
    response = participant_client.post(page_url("pause", world.participation))
    assert response.status_code == 302
    world.participation.refresh_from_db()
    assert world.participation.state == Participant.State.PAUSED
    html = participant_client.get(page_url("participation", world.participation)).content.decode()
    assert "Your participation is paused." in html
    assert page_url("resume", world.participation) in html

    again = participant_client.post(page_url("pause", world.participation), follow=True)
    assert "you cannot pause now" in again.content.decode()

    participant_client.post(page_url("resume", world.participation))
    world.participation.refresh_from_db()
    assert world.participation.state == Participant.State.ENROLLED
    assert list(
        ParticipantEvent.objects.filter(participant=world.participation)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["joined", "paused", "resumed"]


@pytest.mark.parametrize("name", ["pause", "resume", "capacity"])
def test_state_changes_refuse_get(participant_client, world, name):
    assert participant_client.get(page_url(name, world.participation)).status_code == 405


def test_leaving_asks_first_then_withdraws_with_the_reason(participant_client, world):
    confirm = participant_client.get(page_url("leave", world.participation))
    assert confirm.status_code == 200
    world.participation.refresh_from_db()
    assert world.participation.state == Participant.State.ENROLLED  # a GET changes nothing

    response = participant_client.post(
        page_url("leave", world.participation), {"reason": "No time this year."}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    world.participation.refresh_from_db()
    assert world.participation.state == Participant.State.WITHDRAWN
    assert world.participation.withdrawn_reason == "No time this year."
    assert "You have already left" in (
        participant_client.get(page_url("leave", world.participation)).content.decode()
    )
    home = participant_client.get(reverse("home")).content.decode()
    assert "You are not in a mentoring program yet." in home


def test_an_over_long_reason_is_refused_and_kept(participant_client, world):
    reason = "R" * 2001
    response = participant_client.post(page_url("leave", world.participation), {"reason": reason})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert reason in response.content.decode()
    world.participation.refresh_from_db()
    assert world.participation.state == Participant.State.ENROLLED


def test_the_library_lists_the_roles_resources_with_file_sizes(participant_client, world):
    program = world.program
    Resource.objects.create(
        program=program, kind="link", audience="mentee", title="Mentee site", url="https://x.org/"
    )
    Resource.objects.create(
        program=program, kind="guide", audience="mentor", title="Mentors only", body="secret"
    )
    document = Resource(program=program, kind="file", audience="everyone", title="Charter")
    document.file.save("charter.pdf", ContentFile(b"%PDF" + b"x" * 2044), save=False)
    document.file_size = 2048
    document.save()
    html = participant_client.get(page_url("resources", world.participation)).content.decode()
    assert "Mentee handbook" in html and "Mentee site" in html and "Charter" in html
    assert "2.0\xa0KB" in html
    assert "Mentors only" not in html


def test_a_handbook_page_is_rendered_from_markdown_safely(participant_client, world):
    Resource.objects.filter(pk=world.resource.pk).update(body="## Rules\n\n<img src=x onerror=1>")
    url = page_url("resource", world.participation, resource=world.resource.code)
    html = participant_client.get(url).content.decode()
    assert "<h2>Rules</h2>" in html
    assert "onerror" not in html


def test_a_link_redirects_and_a_file_downloads_safely(participant_client, world):
    link = Resource.objects.create(
        program=world.program, kind="link", audience="mentee", title="Site", url="https://x.org/a"
    )
    response = participant_client.get(page_url("resource", world.participation, resource=link.code))
    assert (response.status_code, response.url) == (302, "https://x.org/a")

    document = Resource(program=world.program, kind="file", audience="mentee", title="Plan")
    document.file.save('plan "final".pdf', ContentFile(b"%PDF-1.4 plan"), save=False)
    document.save()
    response = participant_client.get(
        page_url("resource", world.participation, resource=document.code)
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="plan_final.pdf"'
    assert b"".join(response.streaming_content) == b"%PDF-1.4 plan"
    response.close()


def test_a_missing_file_is_404_not_an_error(participant_client, world):
    document = Resource.objects.create(
        program=world.program,
        kind="file",
        audience="mentee",
        title="Gone",
        file="resources/gone.pdf",
    )
    url = page_url("resource", world.participation, resource=document.code)
    assert participant_client.get(url).status_code == 404


def test_another_roles_or_programs_resource_is_404(participant_client, world):
    for resource in [
        world.program.resources.get(audience="mentor"),
        world.other_program.resources.get(audience="mentee"),
    ]:
        url = page_url("resource", world.participation, resource=resource.code)
        assert participant_client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["outsider", "coordinator", "other_coordinator", "superuser"])
@pytest.mark.parametrize("name", ["participation", "leave", "resources", "pause", "capacity"])
def test_strangers_get_404_on_someone_elses_pages(client, world, role, name):
    client.force_login(world.users[role])
    url = page_url(name, world.participation)
    if name in ("pause", "capacity"):
        assert client.post(url, {"capacity": "2"}).status_code == 404
    else:
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x"}).status_code == 404
    world.participation.refresh_from_db()
    assert world.participation.state == Participant.State.ENROLLED


def test_strangers_get_404_on_someone_elses_resource(client, world):
    client.force_login(world.users["outsider"])
    url = page_url("resource", world.participation, resource=world.resource.code)
    assert client.get(url).status_code == 404


def add_modules(program, count):
    TrainingModule.objects.bulk_create(
        TrainingModule(
            program=program,
            audience=audience,
            title=f"Module {n}",
            content="Read me.",
            check_question="Done?",
            required=n % 2 == 0,
            position=n,
        )
        for n in range(count)
        for audience in ("everyone", "mentor")
    )


@pytest.mark.parametrize("size", [1, 20])
def test_the_participation_page_runs_a_fixed_number_of_queries(
    participant_client, world, django_assert_max_num_queries, size
):
    add_modules(world.program, size)
    Resource.objects.bulk_create(
        Resource(program=world.program, kind="guide", title=f"Guide {n}", body="x")
        for n in range(size)
    )
    with django_assert_max_num_queries(6):
        response = participant_client.get(page_url("participation", world.participation))
    assert response.status_code == 200
    with django_assert_max_num_queries(5):
        assert participant_client.get(page_url("resources", world.participation)).status_code == 200
