"""Who may change a program's set-up: its coordinators and superusers, nobody else.

Every set-up URL of world.program, sent by GET and by POST, by each person who must not
change it: all get 404 (staff viewers may read some pages, but every POST is refused).
"""

import pytest
from django.urls import reverse

import tests.pages  # noqa: F401  (first: it imports the set-up pages itself)
from programs.models import Program, Question, QuestionPair, Resource, TrainingModule
from tests.pages_programs_setup import PAGES

PROGRAM_URLS = [page for page in PAGES if page.kwargs]
UNIQUE_URLS = list({page.name: page for page in PROGRAM_URLS}.values())


def snapshot(world):
    program = Program.objects.get(pk=world.program.pk)
    return (
        program.name,
        program.cycle_weeks,
        list(Question.objects.filter(program=program).values_list("pk", "position", "label")),
        QuestionPair.objects.filter(program=program).count(),
        TrainingModule.objects.filter(program=program).count(),
        Resource.objects.filter(program=program).count(),
        list(program.weekly_prompts.values_list("title", flat=True)),
        list(program.cycles.values_list("name", flat=True)),
    )


POST_BODY = {
    "name": "Taken over",
    "label": "Taken over",
    "title": "Taken over",
    "kind": "short_text",
    "direction": "down",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["other_coordinator", "participant", "outsider"])
@pytest.mark.parametrize("page", UNIQUE_URLS, ids=lambda page: page.name)
def test_strangers_get_404_on_every_url_of_the_program(client, world, page, role):
    client.force_login(world.users[role])
    url = reverse(page.name, kwargs=page.kwargs(world))
    before = snapshot(world)
    if page.notes != "POST only":
        assert client.get(url).status_code == 404
    assert client.post(url, POST_BODY).status_code == 404
    assert snapshot(world) == before


@pytest.mark.django_db
@pytest.mark.parametrize("page", UNIQUE_URLS, ids=lambda page: page.name)
def test_a_staff_viewer_gets_404_on_every_post(client, world, page):
    client.force_login(world.users["staff_viewer"])
    before = snapshot(world)
    url = reverse(page.name, kwargs=page.kwargs(world))
    assert client.post(url, POST_BODY).status_code == 404
    assert snapshot(world) == before


@pytest.mark.django_db
def test_a_staff_viewer_cannot_create_a_program(client, world):
    client.force_login(world.users["staff_viewer"])
    assert client.post(reverse("programs:program_create"), POST_BODY).status_code == 404
    assert not Program.objects.filter(name="Taken over").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("page", UNIQUE_URLS, ids=lambda page: page.name)
def test_a_superuser_reaches_every_page(client, world, page):
    client.force_login(world.users["superuser"])
    url = reverse(page.name, kwargs=page.kwargs(world))
    expected = 405 if page.notes == "POST only" else 200
    assert client.get(url).status_code == expected
