"""The coordinator's overview of a program: the funnel, the targets, the cycles."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programs import services
from programs.models import Invitation
from tests.programs.builders import make_cycle
from tests.programs.test_people_participants import add_people

pytestmark = pytest.mark.django_db


def overview(client, world, role="coordinator"):
    client.force_login(world.users[role])
    response = client.get(reverse("programs:program_overview", kwargs={"code": world.program.code}))
    assert response.status_code == 200
    return response


def funnel(response):
    rows = [*response.context["overview"].funnel, *response.context["overview"].side]
    return {row.key: (row.mentors, row.mentees) for row in rows}


def test_the_funnel_counts_each_stage_by_role(client, world):
    coordinator = world.users["coordinator"]
    services.invite_person(world.program, by=coordinator, email="m2@example.org", role="mentee")
    expired = services.invite_person(
        world.program, by=coordinator, email="late@example.org", role="mentee"
    )
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    revoked = services.invite_person(
        world.program, by=coordinator, email="gone@example.org", role="mentor"
    )
    services.revoke_invitation(revoked, by=coordinator)
    add_people(world.program, 2, role="mentee", state="applied", prefix="applicant")
    add_people(world.program, 3, role="mentor", state="enrolled", prefix="mentor")
    add_people(world.program, 4, role="mentor", state="ready", prefix="ready")
    add_people(world.program, 1, role="mentee", state="matched", prefix="matched")
    add_people(world.program, 2, role="mentor", state="paused", prefix="paused")
    add_people(world.program, 5, role="mentee", state="withdrawn", prefix="left")
    add_people(world.other_program, 7, role="mentor", state="ready", prefix="elsewhere")

    response = overview(client, world)

    assert funnel(response) == {
        "invited": (1, 1),  # the world's mentor invitation and m2; expired and revoked not counted
        "applied": (0, 2),
        "enrolled": (3, 1),  # Pat is an enrolled mentee
        "ready": (4, 0),
        "matched": (0, 1),
        "completed": (0, 0),
        "paused": (2, 0),
        "withdrawn": (0, 5),
    }
    assert response.context["overview"].expired_invitations == 1
    assert "1 invitation has expired without an answer." in response.content.decode()


def test_it_compares_the_people_in_the_program_with_the_targets(client, world):
    world.program.target_mentors = 10
    world.program.target_mentees = 0
    world.program.save()
    add_people(world.program, 3, role="mentor", state="ready", prefix="ready")
    add_people(world.program, 1, role="mentor", state="paused", prefix="paused")
    add_people(world.program, 6, role="mentor", state="withdrawn", prefix="left")
    response = overview(client, world)
    mentors, mentees = response.context["overview"].targets
    assert (mentors.joined, mentors.target, mentors.percent) == (4, 10, 40)
    html = response.content.decode()
    assert "Mentors: 4 of 10" in html
    assert 'aria-valuenow="40"' in html
    assert "Mentees: 1 (no target set)" in html


def test_it_lists_the_cycles_with_their_people_and_links_to_the_lists(client, world):
    autumn = make_cycle(world.program, world.users["coordinator"], name="Autumn")
    add_people(world.program, 2, role="mentor", cycle=autumn, prefix="mentor")
    add_people(world.program, 3, role="mentee", state="withdrawn", cycle=autumn, prefix="left")
    response = overview(client, world)
    cycles = {
        cycle.name: (cycle.mentors, cycle.mentees) for cycle in response.context["overview"].cycles
    }
    assert cycles == {"Spring": (0, 1), "Autumn": (2, 0)}
    html = response.content.decode()
    for name in ("participants", "applications", "invitations", "invitations_upload"):
        assert reverse(f"programs:{name}", kwargs={"code": world.program.code}) in html


def test_staff_viewers_see_the_overview_without_the_upload_link(client, world):
    html = overview(client, world, role="staff_viewer").content.decode()
    assert "Funnel" in html
    assert reverse("programs:invitations_upload", kwargs={"code": world.program.code}) not in html


@pytest.mark.parametrize("size", [1, 200])
def test_the_overview_runs_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries, size
):
    for cycle_number in range(3):
        make_cycle(world.program, world.users["coordinator"], name=f"Cycle {cycle_number} {size}")
    for state in ("applied", "enrolled", "ready", "matched", "paused", "withdrawn"):
        add_people(world.program, size, role="mentor", state=state, prefix=f"{state}-")
    Invitation.objects.bulk_create(
        Invitation(
            program=world.program,
            email=f"invitee{n}@example.org",
            role="mentee",
            expires_at=timezone.now() + timedelta(days=3),
        )
        for n in range(size)
    )
    client.force_login(world.users["coordinator"])
    with django_assert_max_num_queries(9):
        client.get(reverse("programs:program_overview", kwargs={"code": world.program.code}))
