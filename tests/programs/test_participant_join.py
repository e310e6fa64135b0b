"""Joining a program through its open link, or applying to it."""

import zoneinfo
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import formats

from programs.models import Participant, Program
from tests.factories import UserFactory
from tests.programs.builders import enrol, make_cycle, make_program

GOOD = {
    "role": "mentee",
    "age_confirmed": "on",
    "department": "Finance",
    "manager_email": "boss@example.org",
    "capacity": "2",
}


def join_url(program):
    return reverse("programs:join", kwargs={"join_code": program.join_code})


@pytest.fixture
def newcomer(db):
    return UserFactory(display_name="Nia Newcomer", email="nia@example.org")


@pytest.fixture
def newcomer_client(client, newcomer):
    client.force_login(newcomer)
    return client


def test_an_anonymous_visitor_sees_the_program_and_is_led_to_sign_up_and_back(client, world):
    response = client.get(join_url(world.program))
    html = response.content.decode()
    assert response.status_code == 200
    assert world.program.name in html
    assert "Mentoring for new managers." in html
    assert "<li>Grow confident new managers</li>" in html
    back = f"?next={join_url(world.program)}"
    assert reverse("account_signup") + back in html
    assert reverse("account_login") + back in html
    assert 'method="post" novalidate' not in html


def test_joining_by_the_open_link_enrols_and_opens_the_program_page(
    newcomer_client, newcomer, world
):
    response = newcomer_client.post(join_url(world.program), {**GOOD, "role": "mentor"})
    participant = Participant.objects.get(user=newcomer, program=world.program)
    assert response.status_code == 302
    assert response.url == reverse("programs:participation", kwargs={"code": participant.code})
    assert participant.role == "mentor"
    assert participant.state == Participant.State.ENROLLED
    assert participant.capacity == 2
    assert participant.department == "Finance"
    assert participant.manager_email == "boss@example.org"
    assert participant.cycle == world.cycle
    assert participant.age_confirmed_at is not None


def test_the_form_explains_what_a_mentors_capacity_means(newcomer_client, world):
    html = newcomer_client.get(join_url(world.program)).content.decode()
    assert "Mentees I can take" in html
    assert "about an hour a week" in html
    assert "I confirm I am at least 18 years old." in html


def test_a_mentee_capacity_is_ignored(newcomer_client, newcomer, world):
    response = newcomer_client.post(join_url(world.program), {**GOOD, "capacity": "99"})
    assert response.status_code == 302
    assert Participant.objects.get(user=newcomer).capacity is None


def test_an_under_age_person_is_refused_and_nothing_is_stored(newcomer_client, newcomer, world):
    data = {key: value for key, value in GOOD.items() if key != "age_confirmed"}
    response = newcomer_client.post(join_url(world.program), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "aged 18 or over" in str(form.errors["age_confirmed"])
    assert 'value="Finance"' in response.content.decode()
    assert not Participant.objects.filter(user=newcomer).exists()


def test_application_mode_records_an_application_with_its_message(newcomer_client, newcomer, world):
    program = make_program(
        world.users["coordinator"],
        name="Apply first",
        enrolment_mode=Program.EnrolmentMode.APPLICATION,
    )
    make_cycle(program, world.users["coordinator"])
    page = newcomer_client.get(join_url(program)).content.decode()
    assert "Why do you want to join?" in page

    missing = newcomer_client.post(join_url(program), GOOD)
    assert missing.status_code == 200
    assert "application_message" in missing.context["form"].errors
    assert not Participant.objects.filter(user=newcomer).exists()

    response = newcomer_client.post(
        join_url(program), {**GOOD, "application_message": "To learn to lead."}
    )
    participant = Participant.objects.get(user=newcomer, program=program)
    assert response.status_code == 302
    assert participant.state == Participant.State.APPLIED
    assert participant.application_message == "To learn to lead."
    follow = newcomer_client.get(response.url).content.decode()
    assert "Waiting for approval." in follow


def test_an_invitation_only_program_says_so_and_refuses_joining(newcomer_client, newcomer, world):
    program = make_program(
        world.users["coordinator"], name="Invited", enrolment_mode=Program.EnrolmentMode.INVITATION
    )
    page = newcomer_client.get(join_url(program))
    assert "by invitation only" in page.content.decode()
    assert 'method="post" novalidate' not in page.content.decode()
    response = newcomer_client.post(join_url(program), GOOD)
    assert response.status_code == 200
    assert "by invitation only" in response.content.decode()
    assert not Participant.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("status", [Program.Status.DRAFT, Program.Status.CLOSED])
def test_draft_and_closed_programs_do_not_exist_for_anyone_but_their_coordinators(
    client, world, status
):
    Program.objects.filter(pk=world.program.pk).update(status=status)
    url = join_url(world.program)
    assert client.get(url).status_code == 404
    for role in ["participant", "outsider", "other_coordinator", "staff_viewer"]:
        client.force_login(world.users[role])
        assert client.get(url).status_code == 404, role
    client.force_login(world.users["coordinator"])
    response = client.get(url)
    assert response.status_code == 200
    assert "Preview for coordinators" in response.content.decode()


def test_an_unknown_join_code_is_404(client, db):
    url = reverse("programs:join", kwargs={"join_code": "00000000-0000-0000-0000-000000000000"})
    assert client.get(url).status_code == 404


def test_without_dual_roles_a_member_cannot_join_again(participant_client, participant, world):
    page = participant_client.get(join_url(world.program))
    assert "You are already in this program." in page.content.decode()
    response = participant_client.post(join_url(world.program), {**GOOD, "role": "mentor"})
    assert response.status_code == 200
    assert Participant.objects.filter(user=participant, program=world.program).count() == 1


def test_with_dual_roles_only_the_other_role_is_offered(newcomer_client, newcomer, world):
    program = make_program(world.users["coordinator"], name="Both ways", allow_dual_role=True)
    make_cycle(program, world.users["coordinator"])
    enrol(program, newcomer, role="mentee")
    form = newcomer_client.get(join_url(program)).context["form"]
    assert [value for value, _label in form.fields["role"].choices] == ["mentor"]

    refused = newcomer_client.post(join_url(program), GOOD)
    assert refused.status_code == 200
    assert "role" in refused.context["form"].errors

    response = newcomer_client.post(join_url(program), {**GOOD, "role": "mentor"})
    assert response.status_code == 302
    assert set(
        Participant.objects.filter(user=newcomer, program=program).values_list("role", flat=True)
    ) == {"mentor", "mentee"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"role": ""}, "role"),
        ({"role": "coordinator"}, "role"),
        ({"department": "D" * 121}, "department"),
        ({"manager_email": "not an email"}, "manager_email"),
        ({"role": "mentor", "capacity": "0"}, "capacity"),
        ({"role": "mentor", "capacity": "5"}, "capacity"),
        ({"role": "mentor", "capacity": "many"}, "capacity"),
    ],
)
def test_bad_join_input_is_refused_next_to_the_field_keeping_what_was_typed(
    newcomer_client, newcomer, world, changes, field
):
    response = newcomer_client.post(join_url(world.program), {**GOOD, **changes})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert "invalid-feedback" in html
    if field != "department":
        assert 'value="Finance"' in html
    assert not Participant.objects.filter(user=newcomer).exists()


def test_html_in_the_department_is_stored_as_plain_text(newcomer_client, newcomer, world):
    department = "<script>alert(1)</script>"
    newcomer_client.post(join_url(world.program), {**GOOD, "department": department})
    assert Participant.objects.get(user=newcomer).department == department


def test_garbage_does_not_cause_an_error_page(newcomer_client, newcomer, world):
    body = b"role=%00&role=mentor&age_confirmed=%FF%FE&capacity=1e9&department=%ED%A0%80"
    response = newcomer_client.post(
        join_url(world.program), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 302)


@pytest.mark.django_db
def test_the_join_page_shows_when_enrolment_closes_in_the_visitors_time_zone(
    client, world, outsider
):
    outsider.time_zone = "Pacific/Auckland"
    outsider.save()
    client.force_login(outsider)
    url = reverse("programs:join", kwargs={"join_code": world.program.join_code})
    html = client.get(url).content.decode()
    closes = world.cycle.enrolment_closes_at.astimezone(zoneinfo.ZoneInfo("Pacific/Auckland"))
    assert f"open until {formats.date_format(closes, 'DATETIME_FORMAT')}, your time" in html


@pytest.mark.django_db
def test_the_join_page_hides_the_form_when_enrolment_is_closed(client, world, outsider):
    client.force_login(outsider)
    url = reverse("programs:join", kwargs={"join_code": world.program.join_code})
    closed = world.cycle.enrolment_closes_at + timedelta(minutes=1)
    with time_machine.travel(closed):
        html = client.get(url).content.decode()
    assert "Enrolment for this program is closed at the moment." in html
    assert "Join the program" not in html
