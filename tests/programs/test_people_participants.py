"""The coordinator's participant list, its CSV export and the participant page."""

import csv
import io

import pytest
from django.urls import reverse

from mentorship_site.accounts.models import User
from programs import services
from programs.models import Participant
from tests.programs.builders import enrol, make_cycle

pytestmark = pytest.mark.django_db


def add_people(program, count, *, role="mentee", state="enrolled", cycle=None, prefix="person"):
    """Add `count` participants in two bulk queries (fast enough for thousands)."""
    users = User.objects.bulk_create(
        User(email=f"{prefix}{n}@example.org", display_name=f"{prefix.title()} {n:05d}")
        for n in range(count)
    )
    return Participant.objects.bulk_create(
        Participant(user=user, program=program, role=role, state=state, cycle=cycle)
        for user in users
    )


def list_url(world, query=""):
    return reverse("programs:participants", kwargs={"code": world.program.code}) + query


def names_on(response):
    return [person.user.display_name for person in response.context["page"]]


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.users["coordinator"])
    return client


@pytest.fixture
def crowd(world):
    autumn = make_cycle(world.program, world.users["coordinator"], name="Autumn")
    add_people(world.program, 3, role="mentor", state="ready", cycle=world.cycle, prefix="mentor")
    add_people(world.program, 2, role="mentee", state="paused", cycle=autumn, prefix="paused")
    return autumn


def test_the_list_shows_everyone_by_name_with_a_link_to_each(coordinator_client, world, crowd):
    response = coordinator_client.get(list_url(world))
    assert response.status_code == 200
    assert names_on(response) == [
        "Mentor 00000", "Mentor 00001", "Mentor 00002", "Pat Participant", "Paused 00000",
        "Paused 00001",
    ]  # fmt: skip
    detail = reverse(
        "programs:participant_detail",
        kwargs={"code": world.program.code, "participant": world.participation.code},
    )
    assert detail in response.content.decode()


def test_it_filters_by_role_state_and_cycle(coordinator_client, world, crowd):
    assert names_on(coordinator_client.get(list_url(world, "?role=mentor"))) == [
        "Mentor 00000", "Mentor 00001", "Mentor 00002",
    ]  # fmt: skip
    assert names_on(coordinator_client.get(list_url(world, "?state=paused"))) == [
        "Paused 00000", "Paused 00001",
    ]  # fmt: skip
    assert len(names_on(coordinator_client.get(list_url(world, f"?cycle={crowd.pk}")))) == 2
    both = coordinator_client.get(
        list_url(world, f"?role=mentee&state=enrolled&cycle={world.cycle.pk}")
    )
    assert names_on(both) == ["Pat Participant"]


def test_it_searches_names_and_emails_ignoring_case(coordinator_client, world, crowd):
    assert names_on(coordinator_client.get(list_url(world, "?search=PAT"))) == ["Pat Participant"]
    assert names_on(coordinator_client.get(list_url(world, "?search=mentor1%40"))) == [
        "Mentor 00001"
    ]
    assert (
        "Nobody matches" in coordinator_client.get(list_url(world, "?search=zzz")).content.decode()
    )


def test_the_filter_form_keeps_what_was_typed_and_has_labels(coordinator_client, world, crowd):
    html = coordinator_client.get(list_url(world, "?search=Mentor&role=mentor")).content.decode()
    assert 'value="Mentor"' in html
    for label in ("Name or email", "Role", "State", "Cycle"):
        assert f">{label}</label>" in html or f">\n                {label}" in html or label in html


@pytest.mark.parametrize("query", ["?role=boss", "?state=asleep", "?cycle=999999", "?cycle=abc"])
def test_a_wrong_filter_shows_an_error_and_the_whole_list_never_a_500(
    coordinator_client, world, crowd, query
):
    response = coordinator_client.get(list_url(world, query))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(names_on(response)) == 6


def test_a_cycle_of_another_program_is_not_a_valid_filter(coordinator_client, world):
    other_cycle = world.other_program.cycles.get()
    response = coordinator_client.get(list_url(world, f"?cycle={other_cycle.pk}"))
    assert "cycle" in response.context["form"].errors


def test_it_pages_fifty_at_a_time_keeping_the_filters(coordinator_client, world):
    add_people(world.program, 120, role="mentor")
    first = coordinator_client.get(list_url(world, "?role=mentor"))
    assert len(names_on(first)) == 50
    assert "Page 1 of 3" in first.content.decode()
    assert 'aria-label="Pages of participants"' in first.content.decode()
    assert "?role=mentor&amp;page=2" in first.content.decode()
    last = coordinator_client.get(list_url(world, "?role=mentor&page=3"))
    assert len(names_on(last)) == 20
    beyond = coordinator_client.get(list_url(world, "?role=mentor&page=99"))
    assert beyond.status_code == 200
    assert len(names_on(beyond)) == 20
    assert coordinator_client.get(list_url(world, "?page=nonsense")).status_code == 200


@pytest.mark.parametrize("size", [50, 5_000])
def test_the_list_runs_the_same_queries_for_50_and_5000_people(
    client, world, django_assert_max_num_queries, size
):
    add_people(world.program, size, cycle=world.cycle)
    client.force_login(world.users["coordinator"])
    with django_assert_max_num_queries(9):
        response = client.get(list_url(world, f"?role=mentee&cycle={world.cycle.pk}&search=e"))
    assert len(names_on(response)) == 50


# --- the CSV export ----------------------------------------------------------


def export_rows(client, world, query=""):
    response = client.get(
        reverse("programs:participants_export", kwargs={"code": world.program.code}) + query
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def answer_everything(world):
    mentee = world.participation
    values = {}
    for question in world.program.questions.filter(role="mentee"):
        values[question.pk] = {
            "topics": ["Negotiation", "Careers"],
            "languages": ["en", "fr"],
            "availability": {"time_zone": "Europe/Paris", "slots": ["0-9", "0-10", "2-18"]},
            "long_text": '=HYPERLINK("https://evil.example")',
            "single_choice": "A woman",
            "multiple_choice": ["Build confidence"],
        }[question.kind]
    services.save_answers(mentee, values, by=world.users["participant"], submit=True)


def test_the_export_has_a_header_and_every_answer_made_readable(coordinator_client, world):
    answer_everything(world)
    header, *rows = export_rows(coordinator_client, world)
    assert header[:4] == ["Name", "Email", "Role", "State"]
    assert "Mentee: Which topics do you want to work on?" in header
    assert "Mentor: Which topics can you help with?" in header
    sensitive = "Mentee: Would you prefer a mentor of a particular gender? (sensitive)"
    assert sensitive in header
    (pat,) = rows
    assert pat[:4] == ["Pat Participant", "pat@example.org", "Mentee", "Enrolled"]
    by_column = dict(zip(header, pat, strict=True))
    assert by_column["Mentee: Which topics do you want to work on?"] == "Negotiation; Careers"
    assert by_column["Mentee: Which languages can you be mentored in?"] == "en; fr"
    assert by_column["Mentee: When are you usually free to meet?"] == (
        "3 slots a week (Europe/Paris)"
    )
    assert by_column[sensitive] == "A woman"
    # A formula typed into an answer never runs in the coordinator's spreadsheet.
    assert by_column["Mentee: What do you hope to achieve in ten weeks?"].startswith("'=")
    assert by_column["Mentor: Which topics can you help with?"] == ""


def test_the_export_follows_the_filters(coordinator_client, world):
    add_people(world.program, 3, role="mentor", prefix="mentor")
    header, *rows = export_rows(coordinator_client, world, "?role=mentor&search=mentor1")
    assert [row[0] for row in rows] == ["Mentor 00001"]


def test_staff_viewers_get_the_export_without_sensitive_answers(client, world):
    answer_everything(world)
    client.force_login(world.users["staff_viewer"])
    header, *rows = export_rows(client, world)
    assert not any("sensitive" in column for column in header)
    assert "A woman" not in rows[0]


@pytest.mark.parametrize("size", [10, 300])
def test_the_export_runs_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries, size
):
    add_people(world.program, size)
    client.force_login(world.users["coordinator"])
    with django_assert_max_num_queries(8):
        client.get(reverse("programs:participants_export", kwargs={"code": world.program.code}))


# --- one participant -----------------------------------------------------------


def detail_url(world, participation=None):
    return reverse(
        "programs:participant_detail",
        kwargs={
            "code": world.program.code,
            "participant": (participation or world.participation).code,
        },
    )


def test_the_participant_page_shows_the_person_answers_training_and_history(
    coordinator_client, world
):
    answer_everything(world)
    module = world.module
    answer = module.check_answer if module.is_quiz else True
    services.complete_training(
        world.participation, module, by=world.users["participant"], answer=answer
    )
    html = coordinator_client.get(detail_url(world)).content.decode()
    assert "Pat Participant" in html
    assert "pat@example.org" in html
    assert "Spring" in html
    assert "Negotiation; Careers" in html
    assert "Sensitive: coordinators only" in html
    assert "A woman" in html
    assert module.title in html
    assert f'<td class="text-end">{module.estimated_minutes}</td>' in html
    assert "Joined through the program&#x27;s link" in html
    assert "Ready to match" in html  # the questionnaire and training made them ready
    assert "Withdraw from the program" in html


def test_staff_viewers_see_the_page_without_buttons_or_sensitive_answers(client, world):
    answer_everything(world)
    client.force_login(world.users["staff_viewer"])
    html = client.get(detail_url(world)).content.decode()
    assert "Negotiation; Careers" in html
    assert "A woman" not in html
    assert '<form method="post" action="/programs/coordinate/' not in html
    assert "Withdraw from the program" not in html


def test_a_participant_of_another_program_is_not_found(coordinator_client, world):
    response = coordinator_client.get(
        reverse(
            "programs:participant_detail",
            kwargs={"code": world.program.code, "participant": world.outsider_participation.code},
        )
    )
    assert response.status_code == 404


@pytest.mark.parametrize("size", [1, 30])
def test_the_participant_page_runs_a_fixed_number_of_queries(
    client, world, stranger, django_assert_max_num_queries, size
):
    for _ in range(size):
        services.pause_participant(world.participation, by=world.users["coordinator"])
        services.resume_participant(world.participation, by=world.users["coordinator"])
    client.force_login(world.users["coordinator"])
    with django_assert_max_num_queries(11):
        assert client.get(detail_url(world)).status_code == 200


def test_an_applicant_shows_their_application_message(coordinator_client, world, stranger):
    world.program.enrolment_mode = "application"
    world.program.save()
    applicant = enrol(world.program, stranger, role="mentor", application_message="I love teaching")
    html = coordinator_client.get(detail_url(world, applicant)).content.decode()
    assert "I love teaching" in html
    assert ">Approve</button>" in html
