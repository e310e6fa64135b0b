"""The coordinator's dashboard, creating, editing and duplicating programs."""

import pytest
from django.urls import reverse

from programs.models import (
    Participant,
    Program,
    Question,
    QuestionPair,
    Resource,
    TrainingModule,
    WeeklyPrompt,
)
from tests.factories import UserFactory
from tests.programs.builders import enrol, make_cycle, make_program

GOOD = {
    "name": "Women in engineering",
    "description": "Pairs junior engineers with seniors.",
    "objectives": "Retain junior engineers\nGrow future leads",
    "topics": "Career paths\nCode review\n\nCareer paths",
    "cycle_weeks": "12",
    "hours_target": "12",
    "minimum_age": "18",
    "enrolment_mode": "application",
    "request_initiator": "both",
    "max_open_requests": "3",
    "reply_window_days": "7",
    "default_mentor_capacity": "2",
    "max_mentor_capacity": "4",
    "allow_dual_role": "on",
    "journal_writers": "both",
    "agenda_required_hours": "24",
    "max_extension_weeks": "4",
    "languages": ["en", "es"],
    "target_mentors": "20",
    "target_mentees": "30",
    "target_match_rate": "80",
    "target_average_hours": "10.5",
    "target_satisfaction": "4.2",
    "status": "draft",
}


def field_errors(response, field):
    form = response.context["form"]
    return " ".join(str(error) for error in form.errors.get(field, []))


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.users["coordinator"])
    return client


# --- the dashboard -----------------------------------------------------------


@pytest.mark.django_db
def test_the_dashboard_lists_the_coordinators_programs_with_counts_per_role(
    coordinator_client, world
):
    enrol(world.program, UserFactory(), role="mentor")
    enrol(world.program, UserFactory(), role="mentor")
    response = coordinator_client.get(reverse("programs:dashboard"))
    assert response.status_code == 200
    programs = list(response.context["programs"])
    assert [p.name for p in programs] == ["Leaders of tomorrow"]
    assert (programs[0].mentor_count, programs[0].mentee_count) == (2, 1)
    html = response.content.decode()
    assert "Language buddies" not in html
    assert reverse("programs:program_create") in html
    assert "Open for enrolment" in html


@pytest.mark.django_db
def test_withdrawn_participants_are_not_counted(coordinator_client, world):
    Participant.objects.filter(pk=world.participation.pk).update(state="withdrawn")
    response = coordinator_client.get(reverse("programs:dashboard"))
    assert response.context["programs"][0].mentee_count == 0


@pytest.mark.django_db
def test_a_staff_viewer_sees_every_program_but_no_new_program_button(client, world):
    client.force_login(world.users["staff_viewer"])
    response = client.get(reverse("programs:dashboard"))
    assert {p.name for p in response.context["programs"]} == {
        "Leaders of tomorrow",
        "Language buddies",
    }
    assert reverse("programs:program_create") not in response.content.decode()


@pytest.mark.django_db
def test_a_plain_participant_gets_404_on_the_dashboard_and_creation(client, world):
    client.force_login(world.users["participant"])
    assert client.get(reverse("programs:dashboard")).status_code == 404
    assert client.post(reverse("programs:program_create"), GOOD).status_code == 404
    assert not Program.objects.filter(name=GOOD["name"]).exists()


@pytest.mark.django_db
def test_program_names_are_shown_escaped_on_the_dashboard(coordinator_client, world):
    Program.objects.filter(pk=world.program.pk).update(name="<script>alert(1)</script>")
    html = coordinator_client.get(reverse("programs:dashboard")).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def grow_programs(coordinator, size):
    for n in range(size):
        program = make_program(coordinator, name=f"Program {n}", topics=["A"])
        for _ in range(2):
            enrol(program, UserFactory(), role="mentor")
            enrol(program, UserFactory(), role="mentee")


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 6])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, coordinator, django_assert_max_num_queries, size
):
    grow_programs(coordinator, size)
    client.force_login(coordinator)
    # Session, user, "may create?", staff-viewer group, the annotated program list, the
    # quiet-pair settings in use, the pairs at risk.
    with django_assert_max_num_queries(8):
        assert client.get(reverse("programs:dashboard")).status_code == 200


# --- creating ---------------------------------------------------------------------


@pytest.mark.django_db
def test_creating_a_program_gives_default_content_to_adapt(coordinator_client, world):
    response = coordinator_client.post(reverse("programs:program_create"), GOOD)
    program = Program.objects.get(name="Women in engineering")
    assert response.status_code == 302
    assert response.url == reverse("programs:program_edit", kwargs={"code": program.code})
    assert list(program.coordinators.all()) == [world.users["coordinator"]]
    assert sorted(program.topics.values_list("name", flat=True)) == ["Career paths", "Code review"]
    assert program.languages == ["en", "es"]
    assert program.allow_dual_role
    assert str(program.target_average_hours) == "10.5"
    assert Question.objects.filter(program=program, role="mentor").count() == 7
    assert Question.objects.filter(program=program, role="mentee").count() == 6
    assert WeeklyPrompt.objects.filter(program=program).count() == 10
    assert Resource.objects.filter(program=program, kind="handbook").count() == 2
    assert TrainingModule.objects.filter(program=program).count() == 2
    assert QuestionPair.objects.filter(program=program).count() == 5


@pytest.mark.django_db
def test_a_superuser_may_create_a_program(client, world):
    client.force_login(world.users["superuser"])
    response = client.post(reverse("programs:program_create"), GOOD)
    assert response.status_code == 302
    assert Program.objects.filter(name=GOOD["name"]).exists()


@pytest.mark.django_db
def test_a_staff_viewer_cannot_create_a_program(client, world):
    client.force_login(world.users["staff_viewer"])
    assert client.get(reverse("programs:program_create")).status_code == 404
    assert client.post(reverse("programs:program_create"), GOOD).status_code == 404
    assert not Program.objects.filter(name=GOOD["name"]).exists()


BAD_SETTINGS = [
    (
        {"default_mentor_capacity": "5", "max_mentor_capacity": "3"},
        "default_mentor_capacity",
        "cannot be above the maximum",
    ),
    ({"minimum_age": "5"}, "minimum_age", "greater than or equal to 13"),
    ({"name": "N" * 121}, "name", "at most 120 characters"),
    ({"name": "   "}, "name", "required"),
    ({"cycle_weeks": "ten"}, "cycle_weeks", "whole number"),
    ({"cycle_weeks": "0"}, "cycle_weeks", "greater than or equal to 1"),
    ({"enrolment_mode": "magic"}, "enrolment_mode", "valid choice"),
    ({"languages": ["en", "klingon"]}, "languages", "valid choice"),
    ({"target_satisfaction": "7"}, "target_satisfaction", "less than or equal to 5"),
    ({"target_match_rate": "-1"}, "target_match_rate", "greater than or equal to 0"),
    ({"description": "x" * 5001}, "description", "at most 5000 characters"),
    ({"topics": "T" * 81}, "topics", "under 80 characters"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "field", "message"), BAD_SETTINGS)
def test_bad_settings_are_refused_next_to_the_field_keeping_what_was_typed(
    coordinator_client, world, changes, field, message
):
    url = reverse("programs:program_edit", kwargs={"code": world.program.code})
    response = coordinator_client.post(url, {**GOOD, **changes})
    assert response.status_code == 200
    assert message in field_errors(response, field)
    html = response.content.decode()
    assert 'class="invalid-feedback' in html
    typed_name = changes.get("name", GOOD["name"])
    if typed_name.strip():
        assert f'value="{typed_name}"' in html
    assert "Retain junior engineers" in html  # the objectives typed are kept
    world.program.refresh_from_db()
    assert world.program.name == "Leaders of tomorrow"
    assert world.program.cycle_weeks == 10


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "field", "message"), BAD_SETTINGS[:4])
def test_bad_input_on_creation_stores_nothing(coordinator_client, changes, field, message):
    before = Program.objects.count()
    response = coordinator_client.post(reverse("programs:program_create"), {**GOOD, **changes})
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert Program.objects.count() == before


@pytest.mark.django_db
def test_editing_settings_saves_them_and_the_topics(coordinator_client, world):
    url = reverse("programs:program_edit", kwargs={"code": world.program.code})
    response = coordinator_client.post(url, {**GOOD, "name": "Leaders 2027"})
    assert response.status_code == 302
    world.program.refresh_from_db()
    assert world.program.name == "Leaders 2027"
    assert world.program.enrolment_mode == "application"
    assert world.program.objective_list == ["Retain junior engineers", "Grow future leads"]
    assert sorted(world.program.topics.values_list("name", flat=True)) == [
        "Career paths",
        "Code review",
    ]


@pytest.mark.django_db
def test_html_in_the_description_is_stored_as_typed_and_shown_escaped(coordinator_client, world):
    description = '<img src=x onerror="alert(1)"><b>Bold</b>'
    url = reverse("programs:program_edit", kwargs={"code": world.program.code})
    coordinator_client.post(url, {**GOOD, "description": description, "name": "<i>Lead</i>"})
    world.program.refresh_from_db()
    assert world.program.description == description
    html = coordinator_client.get(url).content.decode()
    assert "<img src=x" not in html
    assert "<i>Lead</i>" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;b&gt;Bold&lt;/b&gt;" in html
    assert "&lt;i&gt;Lead&lt;/i&gt;" in html


@pytest.mark.django_db
def test_the_settings_page_shows_the_link_to_join_for_open_programs(coordinator_client, world):
    url = reverse("programs:program_edit", kwargs={"code": world.program.code})
    html = coordinator_client.get(url).content.decode()
    assert str(world.program.join_code) in html
    Program.objects.filter(pk=world.program.pk).update(enrolment_mode="invitation")
    assert str(world.program.join_code) not in coordinator_client.get(url).content.decode()


@pytest.mark.django_db
def test_the_settings_page_shows_when_each_window_closes_in_the_viewers_zone(
    coordinator_client, world
):
    coordinator = world.users["coordinator"]
    coordinator.time_zone = "Asia/Tokyo"
    coordinator.save()
    url = reverse("programs:program_edit", kwargs={"code": world.program.code})
    html = coordinator_client.get(url).content.decode()
    closes = world.cycle.enrolment_closes_at  # 12:00 UTC the day after: 21:00 in Tokyo
    assert closes.hour == 12
    assert "Asia/Tokyo" in html
    assert "9 p.m." in html or "21:00" in html


@pytest.mark.django_db
def test_a_staff_viewer_reads_the_settings_but_cannot_change_them(client, world):
    client.force_login(world.users["staff_viewer"])
    url = reverse("programs:program_edit", kwargs={"code": world.program.code})
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="name"' in html and "disabled" in html
    assert "Save</button>" not in html
    assert client.post(url, {**GOOD, "name": "Taken over"}).status_code == 404
    world.program.refresh_from_db()
    assert world.program.name == "Leaders of tomorrow"


@pytest.mark.django_db
def test_a_get_never_changes_the_program(coordinator_client, world):
    url = reverse("programs:program_edit", kwargs={"code": world.program.code})
    coordinator_client.get(url, {**GOOD, "name": "Sneaky"})
    world.program.refresh_from_db()
    assert world.program.name == "Leaders of tomorrow"


# --- duplicating ------------------------------------------------------------------


@pytest.mark.django_db
def test_duplicating_copies_the_content_without_people_or_cycles(coordinator_client, world):
    url = reverse("programs:program_duplicate", kwargs={"code": world.program.code})
    form_page = coordinator_client.get(url)
    assert 'value="Leaders of tomorrow (copy)"' in form_page.content.decode()
    response = coordinator_client.post(url, {"name": "Leaders of 2027"})
    copy = Program.objects.get(name="Leaders of 2027")
    assert response.status_code == 302
    assert response.url == reverse("programs:program_edit", kwargs={"code": copy.code})
    assert copy.status == Program.Status.DRAFT
    assert copy.code != world.program.code and copy.join_code != world.program.join_code
    assert list(copy.coordinators.all()) == [world.users["coordinator"]]
    assert copy.participants.count() == 0
    assert copy.cycles.count() == 0
    assert copy.invitations.count() == 0
    assert copy.questions.count() == world.program.questions.count() == 13
    assert copy.question_pairs.count() == 5
    assert copy.training_modules.count() == 2
    assert copy.resources.count() == 2
    assert copy.weekly_prompts.count() == 10
    assert set(copy.topics.values_list("name", flat=True)) == {
        "Negotiation",
        "Public speaking",
        "Careers",
    }
    # The copy's pairs link the copy's own questions.
    pair = copy.question_pairs.select_related("mentor_question").first()
    assert pair.mentor_question.program_id == copy.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"), [("", "required"), ("N" * 121, "at most 120 characters")]
)
def test_duplicating_without_a_good_name_is_refused(coordinator_client, world, name, message):
    before = Program.objects.count()
    url = reverse("programs:program_duplicate", kwargs={"code": world.program.code})
    response = coordinator_client.post(url, {"name": name})
    assert response.status_code == 200
    assert message in field_errors(response, "name")
    assert Program.objects.count() == before


@pytest.mark.django_db
def test_another_programs_coordinator_cannot_duplicate_it(client, world):
    client.force_login(world.users["other_coordinator"])
    url = reverse("programs:program_duplicate", kwargs={"code": world.program.code})
    assert client.post(url, {"name": "Stolen"}).status_code == 404
    assert not Program.objects.filter(name="Stolen").exists()


@pytest.mark.django_db
def test_the_settings_page_lists_the_cycles(coordinator_client, world):
    make_cycle(world.program, world.users["coordinator"], name="Autumn")
    url = reverse("programs:program_edit", kwargs={"code": world.program.code})
    html = coordinator_client.get(url).content.decode()
    assert "Spring" in html and "Autumn" in html
    assert (
        reverse(
            "programs:cycle_edit", kwargs={"code": world.program.code, "cycle": world.cycle.code}
        )
        in html
    )


@pytest.mark.django_db
def test_a_coordinator_shares_the_program_with_a_colleague(client, world):
    from programs import services

    program = world.program
    colleague = world.users["other_coordinator"]
    client.force_login(world.users["coordinator"])
    page = client.get(reverse("programs:program_edit", kwargs={"code": program.code}))
    form = page.context["form"]
    post = {name: form[name].value() for name in form.fields}
    post.update(coordinator_emails="OTTO@example.org", topics="Negotiation\nCareers")
    post = {k: v for k, v in post.items() if v is not None and v is not False}
    response = client.post(reverse("programs:program_edit", kwargs={"code": program.code}), post)
    assert response.status_code == 302, response.context["form"].errors
    assert set(program.coordinators.all()) == {world.users["coordinator"], colleague}

    post["coordinator_emails"] = "nobody@example.org"
    response = client.post(reverse("programs:program_edit", kwargs={"code": program.code}), post)
    assert response.status_code == 200
    assert "No account uses nobody@example.org" in str(response.context["form"].errors)
    assert set(program.coordinators.all()) == {world.users["coordinator"], colleague}

    with pytest.raises(services.ProgramError):
        services.programs.set_coordinators(program, ["ghost@example.org"], by=colleague)
