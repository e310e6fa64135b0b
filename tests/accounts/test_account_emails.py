import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory


@pytest.mark.django_db
def test_password_reset_mail_has_both_parts_in_the_recipients_language(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="lea@example.org", preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "LEA@example.org"})
    assert response.status_code == 302
    message = mail.outbox[0]
    assert message.to == ["lea@example.org"]
    assert message.subject == "[Mentorat] E-mail de réinitialisation de mot de passe"
    html = message.alternatives[0].content
    assert message.alternatives[0].mimetype == "text/html"
    assert "Choisir un nouveau mot de passe" in html
    link = re.search(r"(/accounts/password/reset/key/[^\s\"<]+/)", message.body).group(1)
    assert link in html
    assert "Bonjour de la part de Mentorat" in message.body


@pytest.mark.django_db
def test_a_person_changes_their_email_after_verifying_the_new_one(
    participant_client, participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = participant_client.post(
            reverse("account_email"), {"action_add": "", "email": "pat.new@example.org"}
        )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.email == "pat@example.org"  # unchanged until verified

    message = mail.outbox[-1]
    assert message.to == ["pat.new@example.org"]
    assert message.alternatives, "the confirmation has an HTML part"
    link = re.search(r"(/accounts/confirm-email/[-:\w]+/)", message.body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        participant_client.post(link)

    participant.refresh_from_db()
    assert participant.email == "pat.new@example.org"
    assert EmailAddress.objects.get(user=participant, primary=True).email == "pat.new@example.org"


@pytest.mark.django_db
def test_repeated_failed_log_ins_are_rate_limited(client, participant):
    wrong = {"login": "pat@example.org", "password": "wrong"}
    for _ in range(5):
        response = client.post(reverse("account_login"), wrong)
        assert "too many" not in response.content.decode().lower()
    response = client.post(reverse("account_login"), wrong)
    assert response.status_code in (200, 429)
    assert "too many failed login attempts" in response.content.decode().lower()


@pytest.mark.django_db
def test_password_reset_does_not_say_whether_an_address_has_an_account(client, participant):
    known = client.post(reverse("account_reset_password"), {"email": "pat@example.org"})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("account_reset_password_done")
