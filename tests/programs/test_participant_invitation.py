"""Accepting an invitation: once, by its own address, before it expires."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from programs import services
from programs.models import Invitation, Participant, Program
from tests.factories import UserFactory


@pytest.fixture
def invitee(db):
    return UserFactory(display_name="Nico Newcomer", email="newcomer@example.org")


def invitation_url(invitation):
    return reverse("programs:invitation", kwargs={"token": invitation.token})


def test_an_anonymous_visitor_sees_who_invited_whom_and_is_led_back(client, world):
    response = client.get(invitation_url(world.invitation))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cora Coordinator invited newcomer@example.org to join as a Mentor." in html
    assert world.program.name in html
    assert f"{reverse('account_signup')}?next={invitation_url(world.invitation)}" in html
    assert f"{reverse('account_login')}?next={invitation_url(world.invitation)}" in html


def test_the_invited_person_accepts_once_and_is_enrolled(client, invitee, world):
    client.force_login(invitee)
    url = invitation_url(world.invitation)
    assert "Mentees I can take" in client.get(url).content.decode()

    response = client.post(url, {"age_confirmed": "on", "capacity": "3"})
    participant = Participant.objects.get(user=invitee, program=world.program)
    assert response.status_code == 302
    assert response.url == reverse("programs:participation", kwargs={"code": participant.code})
    assert (participant.role, participant.capacity, participant.state) == ("mentor", 3, "enrolled")
    world.invitation.refresh_from_db()
    assert world.invitation.status == Invitation.Status.ACCEPTED
    assert world.invitation.accepted_by == invitee

    again = client.get(url)
    assert "This invitation has already been used." in again.content.decode()
    assert reverse("programs:participation", kwargs={"code": participant.code}) in (
        again.content.decode()
    )
    second = client.post(url, {"age_confirmed": "on", "capacity": "3"})
    assert second.status_code == 200
    assert "already been used" in second.content.decode()
    assert Participant.objects.filter(user=invitee).count() == 1


def test_an_expired_invitation_says_so_and_cannot_be_used(client, invitee, world):
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        client.force_login(invitee)
        page = client.get(invitation_url(world.invitation))
        assert "This invitation has expired." in page.content.decode()
        response = client.post(invitation_url(world.invitation), {"age_confirmed": "on"})
    assert response.status_code == 200
    assert "has expired" in response.content.decode()
    assert not Participant.objects.filter(user=invitee).exists()


def test_a_revoked_invitation_says_so_and_cannot_be_used(client, invitee, world):
    services.revoke_invitation(world.invitation, by=world.users["coordinator"])
    client.force_login(invitee)
    page = client.get(invitation_url(world.invitation))
    assert page.status_code == 200
    assert "withdrawn by the coordinator" in page.content.decode()
    response = client.post(invitation_url(world.invitation), {"age_confirmed": "on"})
    assert "withdrawn by the coordinator" in response.content.decode()
    assert not Participant.objects.filter(user=invitee).exists()


def test_another_account_cannot_accept_someone_elses_invitation(participant_client, world):
    response = participant_client.post(
        invitation_url(world.invitation), {"age_confirmed": "on", "capacity": "2"}
    )
    assert response.status_code == 200
    assert "This invitation was sent to newcomer@example.org" in response.content.decode()
    assert not Participant.objects.filter(program=world.program, role="mentor").exists()
    world.invitation.refresh_from_db()
    assert world.invitation.status == Invitation.Status.PENDING


def test_accepting_without_confirming_the_age_stores_nothing(client, invitee, world):
    client.force_login(invitee)
    response = client.post(invitation_url(world.invitation), {"capacity": "2"})
    assert response.status_code == 200
    assert "aged 18 or over" in str(response.context["form"].errors["age_confirmed"])
    assert 'value="2"' in response.content.decode()
    assert not Participant.objects.filter(user=invitee).exists()
    world.invitation.refresh_from_db()
    assert world.invitation.status == Invitation.Status.PENDING


@pytest.mark.parametrize("capacity", ["0", "5", "-1", "lots"])
def test_a_capacity_out_of_bounds_is_refused_next_to_the_field(client, invitee, world, capacity):
    client.force_login(invitee)
    response = client.post(
        invitation_url(world.invitation), {"age_confirmed": "on", "capacity": capacity}
    )
    assert response.status_code == 200
    assert "capacity" in response.context["form"].errors
    assert not Participant.objects.filter(user=invitee).exists()


def test_a_closed_programs_invitation_cannot_be_accepted(client, invitee, world):
    Program.objects.filter(pk=world.program.pk).update(status=Program.Status.CLOSED)
    client.force_login(invitee)
    assert (
        "This program is closed." in client.get(invitation_url(world.invitation)).content.decode()
    )
    client.post(invitation_url(world.invitation), {"age_confirmed": "on"})
    assert not Participant.objects.filter(user=invitee).exists()


def test_an_unknown_token_is_404(client, db):
    url = reverse("programs:invitation", kwargs={"token": "00000000-0000-0000-0000-000000000000"})
    assert client.get(url).status_code == 404
