from datetime import UTC, datetime

import pytest
from django.urls import reverse

URL = reverse("accounts:settings")


@pytest.mark.django_db
def test_a_person_changes_name_time_zone_and_language(participant_client, participant):
    response = participant_client.post(
        URL, {"display_name": "Pat P.", "time_zone": "America/Toronto", "preferred_language": "fr"}
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.display_name, participant.time_zone, participant.preferred_language) == (
        "Pat P.",
        "America/Toronto",
        "fr",
    )
    page = participant_client.get(URL)
    assert page["Content-Language"] == "fr"
    assert "Nom, fuseau horaire et langue" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"display_name": ""}, "display_name"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"time_zone": "Nowhere/Special"}, "time_zone"),
        ({"preferred_language": "de"}, "preferred_language"),
    ],
)
def test_bad_account_input_is_refused_and_nothing_is_saved(
    participant_client, participant, changes, field
):
    typed = {"display_name": "Pat New", "time_zone": "Asia/Tokyo", "preferred_language": "en"}
    response = participant_client.post(URL, {**typed, **changes})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    if field != "display_name":
        assert 'value="Pat New"' in response.content.decode()
    participant.refresh_from_db()
    assert participant.display_name == "Pat Participant"
    assert participant.time_zone == "Europe/Paris"


@pytest.mark.django_db
def test_times_are_shown_in_the_viewers_own_time_zone(client, participant):
    participant.date_joined = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    participant.time_zone = "Asia/Tokyo"
    participant.save()
    client.force_login(participant)
    html = client.get(URL).content.decode()
    assert "March 2, 2026, 8:30 a.m." in html  # 23:30 UTC is the next morning in Tokyo

    participant.time_zone = "America/Los_Angeles"
    participant.save()
    html = client.get(URL).content.decode()
    assert "March 1, 2026, 3:30 p.m." in html


@pytest.mark.django_db
def test_a_get_of_the_account_page_changes_nothing(participant_client, participant):
    participant_client.get(URL, {"display_name": "Hacked", "time_zone": "UTC"})
    participant.refresh_from_db()
    assert participant.display_name == "Pat Participant"


@pytest.mark.django_db
def test_the_language_switcher_remembers_a_signed_in_persons_choice(
    participant_client, participant
):
    response = participant_client.post(
        reverse("switch_language"), {"language": "fr", "next": reverse("home")}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    participant.refresh_from_db()
    assert participant.preferred_language == "fr"
    assert "Bienvenue" in participant_client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_the_language_switcher_works_for_visitors_and_refuses_foreign_redirects(client):
    response = client.post(
        reverse("switch_language"), {"language": "fr", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response.url == "/"
    assert response.cookies["django_language"].value == "fr"
    html = client.get(reverse("home")).content.decode()
    assert 'lang="fr"' in html


@pytest.mark.django_db
def test_an_unknown_language_is_ignored(participant_client, participant):
    participant_client.post(reverse("switch_language"), {"language": "klingon", "next": "/"})
    participant.refresh_from_db()
    assert participant.preferred_language == "en"


@pytest.mark.django_db
def test_a_refused_form_does_not_show_half_applied_values(participant_client):
    response = participant_client.post(
        URL, {"display_name": "x" * 81, "time_zone": "Asia/Tokyo", "preferred_language": "en"}
    )
    html = response.content.decode()
    assert "Signed in as Pat Participant" in html
    assert "Times are shown in Europe/Paris" in html
