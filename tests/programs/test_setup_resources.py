"""A program's library: handbook pages, guides, links and files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.models import Resource
from programs.models.training import RESOURCE_MAX_BYTES
from programs.services import ProgramError, builder

GOOD = {
    "kind": "link",
    "title": "Feedback models",
    "audience": "everyone",
    "url": "https://example.org/feedback",
}


def field_errors(response, field):
    return " ".join(str(error) for error in response.context["form"].errors.get(field, []))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.users["coordinator"])
    return client


def create_url(world):
    return reverse("programs:resource_create", kwargs={"code": world.program.code})


def edit_url(world, resource):
    return reverse(
        "programs:resource_edit", kwargs={"code": world.program.code, "resource": resource.code}
    )


def upload(name="agenda.pdf", size=1000):
    return SimpleUploadedFile(name, b"x" * size, content_type="application/octet-stream")


@pytest.mark.django_db
def test_the_library_lists_the_default_handbooks(coordinator_client, world):
    url = reverse("programs:resource_list", kwargs={"code": world.program.code})
    html = coordinator_client.get(url).content.decode()
    assert "Mentor handbook" in html and "Mentee handbook" in html


@pytest.mark.django_db
def test_a_coordinator_adds_a_link(coordinator_client, world):
    response = coordinator_client.post(create_url(world), GOOD)
    resource = Resource.objects.get(title="Feedback models")
    assert response.status_code == 302
    assert response.url == edit_url(world, resource)
    assert (resource.kind, resource.url, resource.file_size) == (
        "link",
        "https://example.org/feedback",
        0,
    )


@pytest.mark.django_db
def test_a_coordinator_uploads_a_file_and_its_size_is_stored(coordinator_client, world):
    response = coordinator_client.post(
        create_url(world), {**GOOD, "kind": "file", "url": "", "file": upload(size=2048)}
    )
    assert response.status_code == 302
    resource = Resource.objects.get(title="Feedback models")
    assert resource.file_size == 2048
    assert resource.file.name.endswith(".pdf")
    # Editing without a new upload keeps the file.
    response = coordinator_client.post(
        edit_url(world, resource), {**GOOD, "kind": "file", "url": "", "title": "Agenda"}
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.title, resource.file_size) == ("Agenda", 2048)
    assert resource.file


@pytest.mark.django_db
def test_a_guide_shows_its_markdown_preview_safely(coordinator_client, world):
    body = "## Agenda\n\n- First\n\n<img src=x onerror=alert(1)>"
    response = coordinator_client.post(
        create_url(world), {**GOOD, "kind": "guide", "url": "", "body": body}, follow=True
    )
    html = response.content.decode()
    assert "<h2>Agenda</h2>" in html
    assert "<img src=x" not in html


BAD_RESOURCES = [
    ({"url": ""}, "url", "Give the address"),
    ({"url": "not a url"}, "url", "valid URL"),
    ({"kind": "guide", "url": "", "body": "  "}, "body", "Write the text"),
    ({"kind": "handbook", "body": "x" * 50001}, "body", "at most 50000 characters"),
    ({"kind": "file", "url": ""}, "file", "Choose the file"),
    ({"kind": "file", "file": "big"}, "file", "the limit is 10"),
    ({"kind": "file", "file": "exe"}, "file", "cannot be shared here"),
    ({"kind": "podcast"}, "kind", "valid choice"),
    ({"title": ""}, "title", "required"),
    ({"title": "T" * 201}, "title", "at most 200 characters"),
    ({"audience": "managers"}, "audience", "valid choice"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "field", "message"), BAD_RESOURCES)
def test_a_bad_resource_is_refused_keeping_what_was_typed(
    coordinator_client, world, changes, field, message
):
    changes = dict(changes)
    if changes.get("file") == "big":
        changes["file"] = upload(size=RESOURCE_MAX_BYTES + 1)
    elif changes.get("file") == "exe":
        changes["file"] = upload(name="setup.exe")
    before = Resource.objects.count()
    response = coordinator_client.post(create_url(world), {**GOOD, **changes})
    assert response.status_code == 200
    assert message in field_errors(response, field)
    html = response.content.decode()
    assert 'class="invalid-feedback' in html
    typed_title = changes.get("title", GOOD["title"])
    if typed_title:
        assert f'value="{typed_title}"' in html
    assert Resource.objects.count() == before


@pytest.mark.django_db
def test_the_service_refuses_a_file_too_big_or_of_the_wrong_kind(world):
    coordinator = world.users["coordinator"]
    for file, message in [
        (upload(size=RESOURCE_MAX_BYTES + 1), "the limit is"),
        (upload(name="virus.exe"), "cannot be shared"),
    ]:
        with pytest.raises(ProgramError, match=message) as refused:
            builder.create_resource(
                world.program, by=coordinator, kind="file", audience="everyone", title="F",
                file=file,
            )  # fmt: skip
        assert refused.value.field == "file"
    with pytest.raises(ProgramError, match="address"):
        builder.create_resource(
            world.program, by=coordinator, kind="link", audience="everyone", title="L"
        )
    assert not Resource.objects.filter(title__in=["F", "L"]).exists()


@pytest.mark.django_db
def test_a_staff_viewer_reads_a_resource_but_cannot_change_or_add_one(client, world):
    client.force_login(world.users["staff_viewer"])
    assert client.get(edit_url(world, world.resource)).status_code == 200
    assert client.post(edit_url(world, world.resource), GOOD).status_code == 404
    assert client.post(create_url(world), GOOD).status_code == 404
    world.resource.refresh_from_db()
    assert world.resource.kind == "handbook"
