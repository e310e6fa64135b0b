"""Inviting many people from a CSV file: check, preview, then send all or nothing."""

import re

import pytest
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs import services
from programs.forms.people import IMPORT_SALT
from programs.models import Invitation

pytestmark = pytest.mark.django_db

CLEAN = (
    "email,name,role,department,manager_email\n"
    "amina@example.org,Amina Diallo,mentee,Sales,boss@example.org\n"
    "li@example.org,Li Wei,mentor,,\n"
    "zoe@example.org,Zoé Martin,mentee,Finance,\n"
)


def upload_url(world):
    return reverse("programs:invitations_upload", kwargs={"code": world.program.code})


def upload(client, world, content, *, name="people.csv", **extra):
    raw = content.encode() if isinstance(content, str) else content
    return client.post(
        upload_url(world), {"file": SimpleUploadedFile(name, raw, "text/csv"), **extra}
    )


def payload_of(response) -> str:
    return re.search(r'name="payload" value="([^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.users["coordinator"])
    return client


def test_a_clean_file_is_previewed_then_imported_with_one_email_each(
    coordinator_client, world, django_capture_on_commit_callbacks
):
    before = Invitation.objects.count()
    preview = upload(coordinator_client, world, CLEAN, cycle=world.cycle.pk)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Send 3 invitations" in html
    assert "Zoé Martin" in html
    assert Invitation.objects.count() == before  # nothing before the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(upload_url(world), {"payload": payload_of(preview)})
    assert response.status_code == 302
    assert response.url == reverse("programs:invitations", kwargs={"code": world.program.code})
    imported = Invitation.objects.filter(
        email__in=["amina@example.org", "li@example.org", "zoe@example.org"]
    )
    assert imported.count() == 3
    assert {invitation.cycle for invitation in imported} == {world.cycle}
    amina = imported.get(email="amina@example.org")
    assert (amina.department, amina.manager_email, amina.role) == (
        "Sales",
        "boss@example.org",
        "mentee",
    )
    assert sorted(message.to[0] for message in mail.outbox) == [
        "amina@example.org", "li@example.org", "zoe@example.org",
    ]  # fmt: skip
    assert all(message.alternatives for message in mail.outbox)
    page = coordinator_client.get(response.url).content.decode()
    assert "3 invitations sent." in page


def test_a_file_with_a_bad_row_lists_every_problem_and_imports_nothing(coordinator_client, world):
    content = CLEAN + (
        "not-an-email,Bad,mentee,,\n"
        "x@example.org,X,coach,,\n"
        "li@example.org,Li again,mentor,,\n"
        "pat@example.org,Pat,mentee,,\n"
        "newcomer@example.org,New,mentor,,\n"
        "short@example.org,Short\n"
    )
    before = Invitation.objects.count()
    response = upload(coordinator_client, world, content)
    html = response.content.decode()
    assert "Nothing has been imported" in html
    assert "“not-an-email” is not an email address." in html
    assert "Unknown role “coach”" in html
    assert "The same person and role are already on line 3." in html
    assert "pat@example.org is already in this program as a Mentee." in html
    assert "newcomer@example.org already has an invitation waiting." in html
    assert "This row has 2 values" in html
    assert 'name="payload"' not in html
    assert "Send " not in html
    assert Invitation.objects.count() == before
    assert mail.outbox == []


def test_a_file_with_a_bom_and_semicolons_is_read(coordinator_client, world):
    content = b"\xef\xbb\xbf" + CLEAN.replace(",", ";").encode()
    response = upload(coordinator_client, world, content)
    assert "Send 3 invitations" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"\n\n  \n", "The file is empty."),
        (b"email,phone\na@example.org,123\n", "The first row must name the columns"),
        ("email,name,role\nzoe@example.org,Zoé,mentee\n".encode("cp1252"), "not in UTF-8"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "This is not a CSV file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a CSV file"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_by_the_field(
    coordinator_client, world, content, message
):
    before = Invitation.objects.count()
    response = upload(coordinator_client, world, content)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert "is-invalid" in response.content.decode()
    assert Invitation.objects.count() == before


def test_a_ten_thousand_row_file_is_refused_with_advice_to_split(coordinator_client, world):
    content = "email,name,role\n" + "".join(
        f"person{n}@example.org,Person {n},mentee\n" for n in range(10_000)
    )
    response = upload(coordinator_client, world, content)
    assert response.status_code == 200
    assert "Split the file" in " ".join(response.context["form"].errors["file"])
    assert not Invitation.objects.filter(email="person0@example.org").exists()


def test_a_file_over_one_megabyte_is_refused_before_it_is_read(coordinator_client, world):
    content = "email,name,role\n" + "a@example.org,A,mentee\n" * 50_000
    response = upload(coordinator_client, world, content)
    assert "Split the file" in " ".join(response.context["form"].errors["file"])


def test_the_upload_form_keeps_the_chosen_cycle_when_refused(coordinator_client, world):
    response = upload(coordinator_client, world, b"", cycle=world.cycle.pk)
    assert f'<option value="{world.cycle.pk}" selected>' in response.content.decode()


def test_a_tampered_confirmation_is_refused_and_imports_nothing(coordinator_client, world):
    preview = upload(coordinator_client, world, CLEAN)
    payload = payload_of(preview)
    tampered = payload[:-3] + ("abc" if not payload.endswith("abc") else "xyz")
    before = Invitation.objects.count()
    response = coordinator_client.post(upload_url(world), {"payload": tampered})
    assert response.status_code == 200
    assert "This preview is no longer valid: upload the file again." in response.content.decode()
    assert Invitation.objects.count() == before


def test_a_forged_payload_signed_for_another_program_is_refused(coordinator_client, world):
    forged = signing.dumps(
        {
            "program": str(world.other_program.code),
            "by": world.users["coordinator"].pk,
            "cycle": None,
            "rows": [{"email": "e@example.org", "name": "", "role": "mentee", "department": "",
                      "manager_email": ""}],
        },
        salt=IMPORT_SALT,
        compress=True,
    )  # fmt: skip
    response = coordinator_client.post(upload_url(world), {"payload": forged})
    assert "no longer valid" in response.content.decode()
    assert not Invitation.objects.filter(email="e@example.org").exists()


def test_a_confirmation_from_another_coordinator_is_refused(client, world, superuser):
    client.force_login(superuser)
    payload = payload_of(upload(client, world, CLEAN))
    client.force_login(world.users["coordinator"])
    response = client.post(upload_url(world), {"payload": payload})
    assert "no longer valid" in response.content.decode()
    assert not Invitation.objects.filter(email="amina@example.org").exists()


def test_someone_invited_between_preview_and_confirmation_stops_the_whole_import(
    coordinator_client, world, django_capture_on_commit_callbacks
):
    preview = upload(coordinator_client, world, CLEAN)
    services.invite_person(
        world.program, by=world.users["coordinator"], email="zoe@example.org", role="mentee"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(upload_url(world), {"payload": payload_of(preview)})
    html = response.content.decode()
    assert "zoe@example.org already has an invitation waiting" in html
    assert "Nothing has been imported." in html
    assert not Invitation.objects.filter(email="amina@example.org").exists()
    assert mail.outbox == []  # the rolled-back import queued no email


def test_the_upload_page_explains_the_columns(coordinator_client, world):
    html = coordinator_client.get(upload_url(world)).content.decode()
    assert "email,name,role,department,manager_email" in html
    assert 'enctype="multipart/form-data"' in html
