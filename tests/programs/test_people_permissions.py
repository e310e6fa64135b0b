"""Who may change what on the people pages: strangers and staff viewers get 404 on every POST."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.models import Invitation, Participant

pytestmark = pytest.mark.django_db


def posts(world):
    """Every change the people pages offer, as (url, data)."""
    code = world.program.code
    person = {"code": code, "participant": world.participation.code}
    token = {"code": code, "token": world.invitation.token}
    upload = SimpleUploadedFile("people.csv", b"email,name,role\na@example.org,A,mentee\n")
    return [
        (reverse("programs:participant_action", kwargs={**person, "action": "approve"}), {}),
        (
            reverse("programs:participant_action", kwargs={**person, "action": "decline"}),
            {"decline-message": "No"},
        ),
        (reverse("programs:participant_action", kwargs={**person, "action": "pause"}), {}),
        (reverse("programs:participant_action", kwargs={**person, "action": "resume"}), {}),
        (
            reverse("programs:participant_action", kwargs={**person, "action": "withdraw"}),
            {"withdraw-reason": "Because"},
        ),
        (
            reverse("programs:invitations", kwargs={"code": code}),
            {"email": "new@example.org", "role": "mentee"},
        ),
        (reverse("programs:invitation_resend", kwargs=token), {}),
        (reverse("programs:invitation_revoke", kwargs=token), {}),
        (reverse("programs:invitations_upload", kwargs={"code": code}), {"file": upload}),
        (reverse("programs:invitations_upload", kwargs={"code": code}), {"payload": "x"}),
    ]


def reads(world):
    code = world.program.code
    return [
        reverse("programs:program_overview", kwargs={"code": code}),
        reverse("programs:participants", kwargs={"code": code}),
        reverse("programs:participants_export", kwargs={"code": code}),
        reverse(
            "programs:participant_detail",
            kwargs={"code": code, "participant": world.participation.code},
        ),
        reverse("programs:applications", kwargs={"code": code}),
        reverse("programs:invitations", kwargs={"code": code}),
        reverse("programs:invitations_upload", kwargs={"code": code}),
    ]


@pytest.mark.parametrize("role", ["other_coordinator", "staff_viewer", "participant", "outsider"])
def test_every_post_of_someone_who_does_not_coordinate_the_program_is_not_found(
    client, world, role
):
    client.force_login(world.users[role])
    invitations_before = Invitation.objects.count()
    for url, data in posts(world):
        assert client.post(url, data).status_code == 404, url
    assert Participant.objects.get(pk=world.participation.pk).state == "enrolled"
    invitation = Invitation.objects.get(pk=world.invitation.pk)
    assert (invitation.status, invitation.sent_count) == ("pending", 1)
    assert Invitation.objects.count() == invitations_before


@pytest.mark.parametrize("role", ["other_coordinator", "participant", "outsider"])
def test_every_page_of_the_program_is_not_found_for_strangers(client, world, role):
    client.force_login(world.users[role])
    for url in reads(world):
        assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url in reads(world):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_a_superuser_may_act_on_any_program(client, world, superuser):
    client.force_login(superuser)
    url = reverse(
        "programs:participant_action",
        kwargs={
            "code": world.program.code,
            "participant": world.participation.code,
            "action": "pause",
        },
    )
    assert client.post(url, {"pause-reason": ""}).status_code == 302
    assert Participant.objects.get(pk=world.participation.pk).state == "paused"


def test_a_get_on_an_action_changes_nothing(client, world):
    client.force_login(world.users["coordinator"])
    url = reverse(
        "programs:participant_action",
        kwargs={
            "code": world.program.code,
            "participant": world.participation.code,
            "action": "pause",
        },
    )
    assert client.get(url).status_code == 405
    assert Participant.objects.get(pk=world.participation.pk).state == "enrolled"
