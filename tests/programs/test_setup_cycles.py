"""Adding and editing a program's cycles."""

from datetime import date

import pytest
from django.urls import reverse

from programs.models import Cycle

GOOD = {
    "name": "Autumn 2026",
    "enrolment_opens_on": "2026-09-01",
    "enrolment_closes_on": "2026-09-20",
    "matching_opens_on": "2026-09-10",
    "matching_closes_on": "2026-09-30",
    "starts_on": "2026-10-01",
}


def field_errors(response, field):
    return " ".join(str(error) for error in response.context["form"].errors.get(field, []))


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.users["coordinator"])
    return client


def create_url(world):
    return reverse("programs:cycle_create", kwargs={"code": world.program.code})


def edit_url(world):
    return reverse(
        "programs:cycle_edit", kwargs={"code": world.program.code, "cycle": world.cycle.code}
    )


@pytest.mark.django_db
def test_the_cycle_form_uses_date_inputs(coordinator_client, world):
    html = coordinator_client.get(create_url(world)).content.decode()
    assert html.count('type="date"') == 5


@pytest.mark.django_db
def test_a_coordinator_adds_a_cycle(coordinator_client, world):
    response = coordinator_client.post(create_url(world), GOOD)
    assert response.status_code == 302
    assert response.url == reverse("programs:program_edit", kwargs={"code": world.program.code})
    cycle = world.program.cycles.get(name="Autumn 2026")
    assert cycle.enrolment_closes_on == date(2026, 9, 20)
    assert cycle.starts_on == date(2026, 10, 1)


@pytest.mark.django_db
def test_a_coordinator_edits_a_cycle(coordinator_client, world):
    response = coordinator_client.post(edit_url(world), {**GOOD, "name": "Spring, renamed"})
    assert response.status_code == 302
    world.cycle.refresh_from_db()
    assert world.cycle.name == "Spring, renamed"
    assert world.cycle.matching_closes_on == date(2026, 9, 30)


BAD_CYCLES = [
    ({"enrolment_closes_on": "2026-08-01"}, "enrolment_closes_on", "close after it opens"),
    ({"matching_closes_on": "2026-09-01"}, "matching_closes_on", "close after it opens"),
    ({"matching_opens_on": "2026-08-01"}, "matching_opens_on", "before enrolment opens"),
    ({"starts_on": "2026-09-01"}, "starts_on", "before matching opens"),
    ({"starts_on": "2026-02-30"}, "starts_on", "valid date"),
    ({"starts_on": "tomorrow"}, "starts_on", "valid date"),
    ({"enrolment_opens_on": ""}, "enrolment_opens_on", "required"),
    ({"name": ""}, "name", "required"),
    ({"name": "N" * 81}, "name", "at most 80 characters"),
    ({"name": "spring"}, "name", "already has a cycle of that name"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "field", "message"), BAD_CYCLES)
def test_a_cycle_with_bad_dates_is_refused_keeping_what_was_typed(
    coordinator_client, world, changes, field, message
):
    before = Cycle.objects.count()
    response = coordinator_client.post(create_url(world), {**GOOD, **changes})
    assert response.status_code == 200
    assert message in field_errors(response, field)
    html = response.content.decode()
    assert 'class="invalid-feedback' in html
    assert 'value="2026-09-10"' in html or changes.get("matching_opens_on")
    assert Cycle.objects.count() == before


@pytest.mark.django_db
def test_editing_a_cycle_into_disorder_changes_nothing(coordinator_client, world):
    before = world.cycle.enrolment_closes_on
    response = coordinator_client.post(
        edit_url(world), {**GOOD, "name": "Spring", "enrolment_closes_on": "2026-08-01"}
    )
    assert response.status_code == 200
    assert "close after it opens" in field_errors(response, "enrolment_closes_on")
    world.cycle.refresh_from_db()
    assert world.cycle.enrolment_closes_on == before


@pytest.mark.django_db
def test_a_cycle_of_another_program_is_not_found_through_this_one(coordinator_client, world):
    other_cycle = world.other_program.cycles.get()
    url = reverse(
        "programs:cycle_edit", kwargs={"code": world.program.code, "cycle": other_cycle.code}
    )
    assert coordinator_client.get(url).status_code == 404
    assert coordinator_client.post(url, GOOD).status_code == 404


@pytest.mark.django_db
def test_a_staff_viewer_reads_a_cycle_but_cannot_change_or_add_one(client, world):
    client.force_login(world.users["staff_viewer"])
    assert client.get(edit_url(world)).status_code == 200
    assert client.post(edit_url(world), GOOD).status_code == 404
    assert client.post(create_url(world), GOOD).status_code == 404
    world.cycle.refresh_from_db()
    assert world.cycle.name == "Spring"
    assert not Cycle.objects.filter(name="Autumn 2026").exists()
