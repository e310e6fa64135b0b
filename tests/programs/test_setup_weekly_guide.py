"""Editing the weekly guide of a program's cycle in one form."""

import pytest
from django.urls import reverse

from programs.models import Program, WeeklyPrompt


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.users["coordinator"])
    return client


def guide_url(world):
    return reverse("programs:weekly_prompts", kwargs={"code": world.program.code})


def guide_form(world, weeks, total=None):
    """Return the form as the page would send it, with `weeks` {number: (theme, prompts)}."""
    saved = {p.week: (p.title, p.prompts) for p in world.program.weekly_prompts.all()}
    total = total or world.program.cycle_weeks
    data = {"week-TOTAL_FORMS": str(total), "week-INITIAL_FORMS": str(total)}
    for number in range(1, total + 1):
        title, prompts = weeks.get(number, saved.get(number, ("", "")))
        data[f"week-{number - 1}-title"] = title
        data[f"week-{number - 1}-prompts"] = prompts
    return data


@pytest.mark.django_db
def test_the_guide_shows_every_week_of_the_cycle(coordinator_client, world):
    response = coordinator_client.get(guide_url(world))
    assert len(response.context["formset"].forms) == 10
    html = response.content.decode()
    assert "Getting to know each other" in html and "Week 10" in html


@pytest.mark.django_db
def test_a_coordinator_edits_several_weeks_at_once(coordinator_client, world):
    data = guide_form(world, {1: ("Hello", "Say hello"), 10: ("Goodbye", "Say thanks")})
    response = coordinator_client.post(guide_url(world), data)
    assert response.status_code == 302
    prompts = {p.week: (p.title, p.prompts) for p in world.program.weekly_prompts.all()}
    assert prompts[1] == ("Hello", "Say hello")
    assert prompts[10] == ("Goodbye", "Say thanks")
    assert prompts[2][0] == "Setting goals"


@pytest.mark.django_db
def test_a_longer_cycle_offers_the_missing_weeks(coordinator_client, world):
    Program.objects.filter(pk=world.program.pk).update(cycle_weeks=12)
    world.program.refresh_from_db()
    response = coordinator_client.get(guide_url(world))
    assert len(response.context["formset"].forms) == 12
    data = guide_form(world, {11: ("Extra", "More")})
    assert coordinator_client.post(guide_url(world), data).status_code == 302
    assert WeeklyPrompt.objects.filter(program=world.program).count() == 11
    assert WeeklyPrompt.objects.get(program=world.program, week=11).title == "Extra"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("week", "theme", "prompts", "field", "message"),
    [
        (3, "", "", "title", "cannot be left empty"),
        (3, "Theme only", "", "prompts", "Write the prompts"),
        (3, "", "Prompts only", "title", "Give this week a theme"),
        (3, "T" * 201, "Prompts", "title", "at most 200 characters"),
        (3, "Theme", "p" * 5001, "prompts", "at most 5000 characters"),
    ],
)
def test_a_bad_week_is_refused_next_to_it_and_nothing_is_saved(
    coordinator_client, world, week, theme, prompts, field, message
):
    data = guide_form(world, {1: ("Typed theme", "Typed prompts"), week: (theme, prompts)})
    response = coordinator_client.post(guide_url(world), data)
    assert response.status_code == 200
    errors = response.context["formset"].forms[week - 1].errors
    assert message in " ".join(errors.get(field, []))
    html = response.content.decode()
    assert 'class="invalid-feedback' in html
    assert 'value="Typed theme"' in html
    assert WeeklyPrompt.objects.get(program=world.program, week=1).title != "Typed theme"


@pytest.mark.django_db
def test_a_tampered_form_does_not_cause_an_error_page(coordinator_client, world):
    response = coordinator_client.post(guide_url(world), {"week-TOTAL_FORMS": "x"})
    assert response.status_code == 200
    response = coordinator_client.post(guide_url(world), guide_form(world, {}, total=60))
    assert response.status_code == 200
    assert WeeklyPrompt.objects.filter(program=world.program).count() == 10


@pytest.mark.django_db
def test_a_staff_viewer_reads_the_guide_but_cannot_change_it(client, world):
    client.force_login(world.users["staff_viewer"])
    response = client.get(guide_url(world))
    assert response.status_code == 200
    assert "disabled" in response.content.decode()
    data = guide_form(world, {1: ("Taken over", "No")})
    assert client.post(guide_url(world), data).status_code == 404
    assert not WeeklyPrompt.objects.filter(title="Taken over").exists()
