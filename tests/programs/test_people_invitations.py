"""A coordinator invites people one by one, resends and revokes invitations."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from programs import services
from programs.models import Invitation

pytestmark = pytest.mark.django_db

GOOD = {
    "email": "Noor@Example.org",
    "name": "Noor Rahman",
    "role": "mentee",
    "department": "Finance",
    "manager_email": "boss@example.org",
    "cycle": "",
}


def invitations_url(world):
    return reverse("programs:invitations", kwargs={"code": world.program.code})


def change_url(world, invitation, change):
    return reverse(
        f"programs:invitation_{change}",
        kwargs={"code": world.program.code, "token": invitation.token},
    )


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.users["coordinator"])
    return client


def test_inviting_one_person_stores_the_invitation_and_emails_it_after_commit(
    coordinator_client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            invitations_url(world), {**GOOD, "cycle": world.cycle.pk}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="noor@example.org")
    assert (invitation.role, invitation.name, invitation.department, invitation.cycle) == (
        "mentee",
        "Noor Rahman",
        "Finance",
        world.cycle,
    )
    assert invitation.invited_by == world.users["coordinator"]
    (message,) = mail.outbox
    html, _ = message.alternatives[0]
    assert message.to == ["noor@example.org"]
    assert "Leaders of tomorrow" in message.subject
    link = reverse("programs:invitation", kwargs={"token": invitation.token})
    for part in (message.body, html):
        assert "Cora Coordinator invites you" in part
        assert "as a mentee" in part
        assert "Mentoring for new managers." in part
        assert link in part
    expiry = dateformat.format(timezone.localtime(invitation.expires_at), "l j F Y")
    assert expiry in message.body
    page = coordinator_client.get(response.url).content.decode()
    assert "Invitation sent to noor@example.org." in page


def test_the_invitation_email_is_in_the_inviting_coordinators_language(
    coordinator_client, world, django_capture_on_commit_callbacks
):
    coordinator = world.users["coordinator"]
    coordinator.preferred_language = "fr"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(invitations_url(world), GOOD)
    invitation = Invitation.objects.get(email="noor@example.org")
    with translation.override("fr"):
        expiry = dateformat.format(timezone.localtime(invitation.expires_at), "l j F Y")
    (message,) = mail.outbox
    assert expiry in message.body  # a French weekday and month
    assert '<html lang="fr">' in message.alternatives[0][0]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "newcomer@example.org", "role": "mentor"}, "already has an invitation waiting"),
        ({"email": "PAT@example.org", "role": "mentee"}, "already in this program as a Mentee"),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"email": ""}, "This field is required."),
        ({"role": "boss"}, "Select a valid choice."),
        ({"manager_email": "nope"}, "Enter a valid email address."),
        ({"name": "N" * 81}, "at most 80 characters"),
    ],
)
def test_a_refused_invitation_shows_why_by_the_field_and_keeps_what_was_typed(
    coordinator_client, world, changes, message
):
    before = Invitation.objects.count()
    response = coordinator_client.post(invitations_url(world), {**GOOD, **changes})
    assert response.status_code == 200
    form = response.context["form"]
    field = "email" if "email" in changes and changes.get("email") != "" else next(iter(changes))
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert "Finance" in html  # the department typed stays in its field
    assert Invitation.objects.count() == before
    assert mail.outbox == []


def test_a_cycle_of_another_program_is_refused(coordinator_client, world):
    other_cycle = world.other_program.cycles.get()
    response = coordinator_client.post(invitations_url(world), {**GOOD, "cycle": other_cycle.pk})
    assert "cycle" in response.context["form"].errors


def test_the_list_shows_state_sent_count_and_expiry(coordinator_client, world):
    coordinator = world.users["coordinator"]
    expired = services.invite_person(
        world.program, by=coordinator, email="late@example.org", role="mentee"
    )
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    revoked = services.invite_person(
        world.program, by=coordinator, email="gone@example.org", role="mentee"
    )
    services.revoke_invitation(revoked, by=coordinator)
    response = coordinator_client.get(invitations_url(world))
    html = response.content.decode()
    assert "Expired" in html
    assert "Revoked" in html
    assert "Pending" in html  # the world's invitation
    assert change_url(world, world.invitation, "resend") in html
    assert change_url(world, revoked, "resend") not in html


def test_staff_viewers_see_the_list_without_forms(client, world):
    client.force_login(world.users["staff_viewer"])
    response = client.get(invitations_url(world))
    html = response.content.decode()
    assert "newcomer@example.org" in html
    assert response.context["form"] is None
    assert "Invite one person" not in html
    assert change_url(world, world.invitation, "resend") not in html


def test_resending_extends_the_expiry_and_sends_again(
    coordinator_client, world, django_capture_on_commit_callbacks
):
    invitation = world.invitation
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        with django_capture_on_commit_callbacks(execute=True):
            response = coordinator_client.post(change_url(world, invitation, "resend"))
        resent_at = timezone.now()
    assert response.url == invitations_url(world)
    invitation.refresh_from_db()
    assert invitation.sent_count == 2
    assert invitation.expires_at > resent_at + timedelta(days=29)
    assert abs(invitation.last_sent_at - resent_at) < timedelta(minutes=1)
    (message,) = mail.outbox
    assert message.to == ["newcomer@example.org"]
    assert str(invitation.token) in message.body


def test_revoking_makes_the_link_refuse_and_cannot_be_resent(
    coordinator_client, world, django_capture_on_commit_callbacks
):
    invitation = world.invitation
    response = coordinator_client.post(change_url(world, invitation, "revoke"), follow=True)
    assert "its link no longer works" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    with pytest.raises(services.ProgramError, match="withdrawn by the coordinator"):
        services.accept_invitation(invitation, world.users["participant"], age_confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        again = coordinator_client.post(change_url(world, invitation, "resend"), follow=True)
    assert "This invitation is Revoked: it cannot be sent again." in again.content.decode()
    assert mail.outbox == []


def test_an_invitation_of_another_program_is_not_found(client, world):
    other = services.invite_person(
        world.other_program,
        by=world.users["other_coordinator"],
        email="x@example.org",
        role="mentee",
    )
    client.force_login(world.users["coordinator"])
    url = reverse(
        "programs:invitation_revoke", kwargs={"code": world.program.code, "token": other.token}
    )
    assert client.post(url).status_code == 404
    other.refresh_from_db()
    assert other.status == "pending"


@pytest.mark.parametrize("size", [1, 150])
def test_the_list_runs_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries, size
):
    Invitation.objects.bulk_create(
        Invitation(
            program=world.program,
            cycle=world.cycle,
            invited_by=world.users["coordinator"],
            email=f"invitee{n}@example.org",
            role="mentee",
            expires_at=timezone.now() + timedelta(days=3),
        )
        for n in range(size)
    )
    client.force_login(world.users["coordinator"])
    with django_assert_max_num_queries(9):
        client.get(invitations_url(world))
