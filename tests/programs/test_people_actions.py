"""A coordinator approves, declines, pauses, resumes and withdraws participants."""

import pytest
from django.core import mail
from django.urls import reverse

from programs.models import Participant, ParticipantEvent
from tests.programs.builders import enrol

pytestmark = pytest.mark.django_db


def action_url(world, participation, action):
    return reverse(
        "programs:participant_action",
        kwargs={"code": world.program.code, "participant": participation.code, "action": action},
    )


def detail_url(world, participation):
    return reverse(
        "programs:participant_detail",
        kwargs={"code": world.program.code, "participant": participation.code},
    )


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.users["coordinator"])
    return client


@pytest.fixture
def applicant(world, stranger):
    """A French-speaking person who applied to the program."""
    world.program.enrolment_mode = "application"
    world.program.save()
    stranger.preferred_language = "fr"
    stranger.save()
    return enrol(world.program, stranger, role="mentor", application_message="Please take me")


def state_of(participation) -> str:
    return Participant.objects.get(pk=participation.pk).state


def only_email_to(address):
    assert len(mail.outbox) == 1, [message.subject for message in mail.outbox]
    message = mail.outbox[0]
    assert message.to == [address]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    return message, html


def test_approving_enrols_the_applicant_and_emails_them_in_their_language(
    coordinator_client, world, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(action_url(world, applicant, "approve"))
    assert response.status_code == 302
    assert response.url == detail_url(world, applicant)
    assert state_of(applicant) == "enrolled"
    event = ParticipantEvent.objects.filter(participant=applicant).first()
    assert (event.action, event.actor) == ("approved", world.users["coordinator"])
    message, html = only_email_to("sasha@example.org")
    assert "Leaders of tomorrow" in message.subject
    assert "votre candidature à Leaders of tomorrow est acceptée" in message.body
    assert "acceptée" in html
    assert '<html lang="fr">' in html  # rendered in the applicant's language
    page = coordinator_client.get(response.url).content.decode()
    assert "application is approved" in page


def test_approving_from_the_queue_returns_to_the_queue(coordinator_client, world, applicant):
    response = coordinator_client.post(
        action_url(world, applicant, "approve"), {"next": "applications"}
    )
    assert response.url == reverse("programs:applications", kwargs={"code": world.program.code})


def test_declining_needs_a_message_and_sends_it(
    coordinator_client, world, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            action_url(world, applicant, "decline"),
            {"decline-message": "The cohort is full, apply again in spring."},
        )
    assert response.status_code == 302
    assert state_of(applicant) == "withdrawn"
    message, html = only_email_to("sasha@example.org")
    assert "The cohort is full, apply again in spring." in message.body
    assert "The cohort is full, apply again in spring." in html
    assert "Message de votre coordinateur·rice" in message.body  # in the applicant's French


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("decline", {"decline-message": "   "}, "message"),
        ("decline", {"decline-message": "x" * 2001}, "message"),
        ("withdraw", {"withdraw-reason": ""}, "reason"),
        ("withdraw", {"withdraw-reason": "y" * 2001}, "reason"),
        ("pause", {"pause-reason": "z" * 2001}, "reason"),
    ],
)
def test_a_missing_or_too_long_reason_is_refused_by_the_field_keeping_the_text(
    coordinator_client, world, applicant, action, data, field
):
    participation = applicant if action == "decline" else world.participation
    before = state_of(participation)
    response = coordinator_client.post(action_url(world, participation, action), data)
    assert response.status_code == 200
    form = {name: form for name, _, form in response.context["actions"]}[action]
    assert field in form.errors
    html = response.content.decode()
    assert f'id="id_{action}-{field}"' in html
    assert "is-invalid" in html
    typed = next(iter(data.values())).strip()
    if typed:
        assert typed in html
    assert state_of(participation) == before
    assert mail.outbox == []


def test_pausing_and_resuming_tell_the_participant(
    coordinator_client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            action_url(world, world.participation, "pause"), {"pause-reason": "Parental leave"}
        )
    assert state_of(world.participation) == "paused"
    message, html = only_email_to("pat@example.org")
    assert "paused" in message.subject
    assert "Parental leave" in message.body and "Parental leave" in html
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(action_url(world, world.participation, "resume"))
    assert state_of(world.participation) == "enrolled"
    message, html = only_email_to("pat@example.org")
    assert "resumed" in message.subject
    assert '<html lang="en">' in html


def test_withdrawing_records_the_reason_and_tells_the_participant(
    coordinator_client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            action_url(world, world.participation, "withdraw"),
            {"withdraw-reason": "Left the company"},
        )
    assert response.status_code == 302
    participation = Participant.objects.get(pk=world.participation.pk)
    assert (participation.state, participation.withdrawn_reason) == (
        "withdrawn",
        "Left the company",
    )
    message, html = only_email_to("pat@example.org")
    assert "Left the company" in message.body and "Left the company" in html
    history = coordinator_client.get(detail_url(world, participation)).content.decode()
    assert "Left the company" in history
    assert "Cora Coordinator" in history


@pytest.mark.parametrize(
    ("action", "data"),
    [("approve", {}), ("decline", {"decline-message": "No"}), ("resume", {})],
)
def test_an_action_in_the_wrong_state_shows_why_and_changes_nothing(
    coordinator_client, world, action, data
):
    response = coordinator_client.post(
        action_url(world, world.participation, action), data, follow=True
    )
    assert response.status_code == 200
    assert "Pat Participant is enrolled: you cannot" in response.content.decode()
    assert state_of(world.participation) == "enrolled"
    assert mail.outbox == []


def test_a_withdrawn_participant_cannot_be_withdrawn_again(coordinator_client, world):
    url = action_url(world, world.participation, "withdraw")
    coordinator_client.post(url, {"withdraw-reason": "Left"})
    response = coordinator_client.post(url, {"withdraw-reason": "Again"}, follow=True)
    assert "is withdrawn: you cannot withdraw now" in response.content.decode()


def test_an_unknown_action_is_not_found(coordinator_client, world):
    response = coordinator_client.post(action_url(world, world.participation, "promote"))
    assert response.status_code == 404


def test_the_page_offers_only_the_actions_that_fit_the_state(coordinator_client, world, applicant):
    applied = coordinator_client.get(detail_url(world, applicant)).content.decode()
    assert ">Approve</button>" in applied and ">Decline</button>" in applied
    assert ">Pause</button>" not in applied
    enrolled = coordinator_client.get(detail_url(world, world.participation)).content.decode()
    assert ">Pause</button>" in enrolled and ">Approve</button>" not in enrolled


def test_the_applications_queue_lists_applicants_with_their_message(
    coordinator_client, world, applicant
):
    response = coordinator_client.get(
        reverse("programs:applications", kwargs={"code": world.program.code})
    )
    html = response.content.decode()
    assert "Please take me" in html
    assert "Sasha Stranger" in html
    assert "Pat Participant" not in html  # enrolled, not applying
    assert action_url(world, applicant, "approve") in html
    assert f'id="id_{applicant.code.hex}_decline-message"' in html


def test_staff_viewers_see_the_queue_without_buttons(client, world, applicant):
    client.force_login(world.users["staff_viewer"])
    html = client.get(reverse("programs:applications", kwargs={"code": world.program.code})).content
    assert b"Please take me" in html
    assert b"decline-message" not in html


@pytest.mark.parametrize("size", [1, 120])
def test_the_queue_runs_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries, size
):
    from tests.programs.test_people_participants import add_people

    add_people(world.program, size, role="mentee", state="applied", cycle=world.cycle)
    client.force_login(world.users["coordinator"])
    with django_assert_max_num_queries(8):
        client.get(reverse("programs:applications", kwargs={"code": world.program.code}))
