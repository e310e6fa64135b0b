"""Writing a program's training modules."""

import pytest
from django.urls import reverse

from programs.models import TrainingModule
from programs.services import ProgramError, builder

GOOD = {
    "title": "Giving feedback",
    "audience": "mentor",
    "content": "## Why it matters\n\nFeedback helps **growth**.\n\n<script>alert(1)</script>",
    "estimated_minutes": "10",
    "check_question": "What should feedback be?",
    "check_choices": "Vague\nSpecific\nLate",
    "check_answer": "2",
    "required": "on",
}


def field_errors(response, field):
    return " ".join(str(error) for error in response.context["form"].errors.get(field, []))


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.users["coordinator"])
    return client


def list_url(world):
    return reverse("programs:training_modules", kwargs={"code": world.program.code})


def create_url(world):
    return reverse("programs:training_create", kwargs={"code": world.program.code})


def edit_url(world, module):
    return reverse(
        "programs:training_edit", kwargs={"code": world.program.code, "module": module.code}
    )


@pytest.mark.django_db
def test_the_training_page_lists_the_default_modules(coordinator_client, world):
    response = coordinator_client.get(list_url(world))
    html = response.content.decode()
    assert "Mentoring online: the essentials" in html
    assert "Getting the most from your mentor" in html
    assert "Quiz" in html and "Acknowledgement" in html


@pytest.mark.django_db
def test_a_coordinator_adds_a_quiz_and_sees_the_rendered_preview(coordinator_client, world):
    response = coordinator_client.post(create_url(world), GOOD, follow=True)
    module = TrainingModule.objects.get(title="Giving feedback")
    assert response.redirect_chain[-1][0] == edit_url(world, module)
    assert module.check_choices == ["Vague", "Specific", "Late"]
    assert module.check_answer == 2
    assert list(world.program.training_modules.all())[-1] == module
    html = response.content.decode()
    assert "<h2>Why it matters</h2>" in html
    assert "<strong>growth</strong>" in html
    assert "<script>alert(1)</script>" not in html


@pytest.mark.django_db
def test_a_module_without_choices_is_an_acknowledgement(coordinator_client, world):
    changes = {"check_choices": "", "check_answer": "", "check_question": "I have read it."}
    coordinator_client.post(create_url(world), {**GOOD, **changes})
    module = TrainingModule.objects.get(title="Giving feedback")
    assert not module.is_quiz and module.check_answer is None


@pytest.mark.django_db
def test_a_coordinator_edits_a_module(coordinator_client, world):
    response = coordinator_client.post(
        edit_url(world, world.module), {**GOOD, "title": "Preparing meetings"}
    )
    assert response.status_code == 302
    world.module.refresh_from_db()
    assert world.module.title == "Preparing meetings"
    assert world.module.is_quiz


BAD_MODULES = [
    ({"check_answer": "4"}, "check_answer", "from 1 to 3"),
    ({"check_answer": "0"}, "check_answer", "from 1 to 3"),
    ({"check_answer": "two"}, "check_answer", "whole number"),
    ({"check_answer": ""}, "check_answer", "number of the right choice"),
    ({"check_choices": "", "check_answer": "1"}, "check_answer", "Leave this empty"),
    ({"check_choices": "Only one", "check_answer": "1"}, "check_choices", "at least two"),
    ({"title": ""}, "title", "required"),
    ({"title": "T" * 201}, "title", "at most 200 characters"),
    ({"content": ""}, "content", "required"),
    ({"estimated_minutes": "0"}, "estimated_minutes", "greater than or equal to 1"),
    ({"estimated_minutes": "601"}, "estimated_minutes", "less than or equal to 600"),
    ({"audience": "managers"}, "audience", "valid choice"),
    ({"check_question": ""}, "check_question", "required"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "field", "message"), BAD_MODULES)
def test_a_bad_module_is_refused_keeping_what_was_typed(
    coordinator_client, world, changes, field, message
):
    before = TrainingModule.objects.count()
    response = coordinator_client.post(create_url(world), {**GOOD, **changes})
    assert response.status_code == 200
    assert message in field_errors(response, field)
    html = response.content.decode()
    assert 'class="invalid-feedback' in html
    typed_title = changes.get("title", GOOD["title"])
    if typed_title:
        assert f'value="{typed_title}"' in html
    if "content" not in changes:
        assert "Feedback helps **growth**" in html
    assert TrainingModule.objects.count() == before


@pytest.mark.django_db
def test_the_service_refuses_a_quiz_answer_out_of_range(world):
    with pytest.raises(ProgramError) as refused:
        builder.update_training_module(
            world.module,
            by=world.users["coordinator"],
            title="Quiz",
            audience="everyone",
            content="Text",
            estimated_minutes=5,
            check_question="Which?",
            check_choices=["A", "B"],
            check_answer=3,
            required=True,
        )
    assert refused.value.field == "check_answer"
    world.module.refresh_from_db()
    assert world.module.title == "Getting the most from your mentor"


@pytest.mark.django_db
def test_a_staff_viewer_reads_a_module_but_cannot_change_or_add_one(client, world):
    client.force_login(world.users["staff_viewer"])
    response = client.get(edit_url(world, world.module))
    assert response.status_code == 200
    assert "Save</button>" not in response.content.decode()
    assert client.post(edit_url(world, world.module), GOOD).status_code == 404
    assert client.post(create_url(world), GOOD).status_code == 404
    assert not TrainingModule.objects.filter(title="Giving feedback").exists()
