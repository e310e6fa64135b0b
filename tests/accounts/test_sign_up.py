import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from mentorship_site.accounts.models import User
from mentorship_site.mail.models import OutboundEmail
from tests.factories import UserFactory

GOOD = {
    "email": "noor@example.org",
    "display_name": "Noor Rahman",
    "time_zone": "Asia/Kolkata",
    "preferred_language": "en",
    "password1": "mentoring-is-a-craft-42",
    "password2": "mentoring-is-a-craft-42",
}


def sign_up(client, **changes):
    return client.post(reverse("account_signup"), {**GOOD, **changes})


def field_errors(response, field):
    form = response.context["form"]
    return " ".join(str(error) for error in form.errors.get(field, []))


@pytest.mark.django_db
def test_sign_up_stores_the_details_and_holds_the_email_until_commit(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = sign_up(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="noor@example.org")
    assert (user.display_name, user.time_zone, user.preferred_language) == (
        "Noor Rahman",
        "Asia/Kolkata",
        "en",
    )
    assert not EmailAddress.objects.get(user=user).verified
    # Nothing leaves before the transaction commits: the message waits in the outbox table.
    assert mail.outbox == []
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.QUEUED
    assert len(callbacks) == 1

    callbacks[0]()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["noor@example.org"]
    assert re.search(r"/accounts/confirm-email/[-:\w]+/", message.body)
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


@pytest.mark.django_db
def test_the_verification_link_confirms_on_post_only_and_logs_the_person_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    link = re.search(r"(/accounts/confirm-email/[-:\w]+/)", mail.outbox[0].body).group(1)

    page = client.get(link)
    assert page.status_code == 200
    assert not EmailAddress.objects.get(email="noor@example.org").verified  # a GET changes nothing

    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="noor@example.org").verified
    home = client.get(reverse("home"))
    assert home.context["user"].email == "noor@example.org"


@pytest.mark.django_db
def test_an_unverified_person_cannot_log_in(client):
    UserFactory(email="late@example.org", verified_email=False)
    EmailAddress.objects.create(
        user=User.objects.get(email="late@example.org"), email="late@example.org", verified=False
    )
    response = client.post(
        reverse("account_login"),
        {"login": "late@example.org", "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_log_in_ignores_the_case_of_the_email(client, participant, password):
    response = client.post(
        reverse("account_login"), {"login": "PAT@Example.ORG", "password": password}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == participant.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"email": ""}, "email", "required"),
        ({"email": "a" * 243 + "@example.org"}, "email", "at most 254 characters"),
        ({"password2": "something-else-entirely"}, "password2", "same password"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"password1": "1234567890123", "password2": "1234567890123"}, "password1", "numeric"),
        ({"password1": "password1234", "password2": "password1234"}, "password1", "too common"),
        ({"display_name": "N" * 81}, "display_name", "at most 80 characters"),
        ({"display_name": "   "}, "display_name", "required"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "valid choice"),
        ({"preferred_language": "xx"}, "preferred_language", "valid choice"),
    ],
)
def test_bad_sign_up_input_is_refused_next_to_the_field_keeping_what_was_typed(
    client, changes, field, message
):
    response = sign_up(client, **changes)
    assert response.status_code == 200
    assert message in field_errors(response, field).lower() or message in field_errors(
        response, field
    )
    html = response.content.decode()
    # The error is rendered beside its field, and the typed values are still there.
    assert 'class="invalid-feedback' in html
    typed_email = changes.get("email", GOOD["email"])
    if typed_email:
        assert f'value="{typed_email}"' in html
    typed_name = changes.get("display_name", GOOD["display_name"])
    if typed_name.strip():
        assert f'value="{typed_name}"' in html
    assert not User.objects.filter(email=GOOD["email"]).exists()


@pytest.mark.django_db
def test_an_email_taken_in_another_case_is_refused(client, participant):
    response = sign_up(client, email="Pat@EXAMPLE.org")
    assert response.status_code == 200
    assert "already registered" in field_errors(response, "email")
    assert User.objects.filter(email__iexact="pat@example.org").count() == 1


@pytest.mark.django_db
def test_html_in_a_name_is_kept_as_text_and_shown_escaped(
    client, django_capture_on_commit_callbacks
):
    name = '<script>alert("hi")</script><b>Bold</b>'
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, display_name=name)
    assert response.status_code == 302
    user = User.objects.get(email=GOOD["email"])
    assert user.display_name == name
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;&lt;b&gt;Bold&lt;/b&gt;" in html


@pytest.mark.django_db
def test_sign_up_survives_garbage_without_an_error_page(client):
    body = b"email=%00%40x&display_name=%FF%FE%ED%A0%80&time_zone=a&time_zone=b&password1="
    response = client.post(
        reverse("account_signup"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert response.context["form"].errors
