"""One-click unsubscribe: a genuine link works without signing in, a POST (even without a
CSRF token) turns the category off, and any other link is refused without a clue."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mentorship_site.notifications import services
from mentorship_site.notifications.models import EmailPreference

pytestmark = pytest.mark.django_db


def link(token):
    return reverse("notifications:unsubscribe", kwargs={"token": token})


def test_a_genuine_link_shows_what_it_turns_off_and_changes_nothing(client, participant):
    response = client.get(link(services.unsubscribe_token(participant, "meetings")))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Meetings and meeting reminders" in page
    assert 'method="post"' in page
    assert services.preferences_of(participant)["meetings"] == "email"


def test_posting_the_link_turns_the_category_off_without_signing_in(client, participant):
    response = client.post(link(services.unsubscribe_token(participant, "meetings")))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Meetings and meeting reminders" in page
    assert reverse("notifications:preferences") in page
    choices = services.preferences_of(participant)
    assert choices["meetings"] == "off"
    assert choices["requests"] == "email"  # only that category


def test_a_mail_clients_one_click_post_needs_no_cookie_nor_csrf_token(participant):
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        link(services.unsubscribe_token(participant, "digest")),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert services.preferences_of(participant)["digest"] == "off"


def test_the_link_works_for_its_owner_only_even_when_someone_else_is_signed_in(
    client, participant, stranger
):
    client.force_login(stranger)
    client.post(link(services.unsubscribe_token(participant, "matches")))
    assert services.preferences_of(participant)["matches"] == "off"
    assert services.preferences_of(stranger)["matches"] == "email"


def forged_for(victim, attacker):
    """The attacker's own genuine token with the user id swapped for the victim's."""
    token = services.unsubscribe_token(attacker, "meetings")
    return token.replace(f"{attacker.pk}.", f"{victim.pk}.", 1)


def tampered(victim, _attacker):
    token = services.unsubscribe_token(victim, "meetings")
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def other_category(victim, _attacker):
    return services.unsubscribe_token(victim, "meetings").replace(".meetings:", ".requests:", 1)


def garbage(_victim, _attacker):
    return "not-a-token"


@pytest.mark.parametrize("make_token", [forged_for, tampered, other_category, garbage])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_link_is_refused_with_a_neutral_page_and_changes_nothing(
    client, participant, stranger, make_token, method
):
    url = link(make_token(participant, stranger))
    response = getattr(client, method)(url)
    assert response.status_code == 404
    # The language switcher echoes the address typed; nothing else may name anything.
    page = response.content.decode().replace(url, "")
    assert "This link does not work" in page
    for clue in ("Pat", "pat@example.org", "Sasha", "sasha@", "meeting", "Meeting", "request"):
        assert clue not in page
    assert not EmailPreference.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_link_is_refused_the_same_way(client, participant, settings, method):
    with time_machine.travel(
        timezone.now() - timedelta(seconds=settings.UNSUBSCRIBE_LINK_MAX_AGE + 60)
    ):
        token = services.unsubscribe_token(participant, "meetings")
    response = getattr(client, method)(link(token))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert "Meetings" not in response.content.decode()
    assert not EmailPreference.objects.exists()


def test_a_link_just_within_its_lifetime_still_works(client, participant, settings):
    with time_machine.travel(
        timezone.now() - timedelta(seconds=settings.UNSUBSCRIBE_LINK_MAX_AGE - 60)
    ):
        token = services.unsubscribe_token(participant, "meetings")
    assert client.post(link(token)).status_code == 200
    assert services.preferences_of(participant)["meetings"] == "off"


def test_the_page_speaks_the_language_of_the_person_the_email_went_to(client, participant):
    participant.preferred_language = "fr"
    participant.save()
    url = link(services.unsubscribe_token(participant, "meetings"))
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="fr"' in page
    assert "Stop these emails?" not in page
    # A language chosen with the switcher wins.
    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    assert '<html lang="en"' in page and "Stop these emails?" in page


def test_a_link_opened_again_says_the_emails_are_already_off(client, participant):
    token = services.unsubscribe_token(participant, "meetings")
    client.post(link(token))
    page = client.get(link(token)).content.decode()
    assert "Done: these emails are off" in page
    assert f'action="{link(token)}"' not in page
