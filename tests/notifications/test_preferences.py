"""The email choices page: one group of options per category, saved for the person."""

import pytest
from django.urls import reverse

from mentorship_site.notifications import services
from mentorship_site.notifications.kinds import Category
from tests.programs.builders import make_program

pytestmark = pytest.mark.django_db

URL = "/notifications/email/"


def test_the_url_is_named():
    assert reverse("notifications:preferences") == URL


def test_it_offers_one_group_per_category_and_on_or_off_for_the_digest(participant_client):
    page = participant_client.get(URL).content.decode()
    # Coordinator alerts are for coordinators only.
    shown = [category for category in Category if category != Category.COORDINATION]
    assert page.count("<fieldset") == len(shown)
    for category in shown:
        assert f">{category.label}</legend>" in page
    assert f">{Category.COORDINATION.label}</legend>" not in page
    assert 'id="id_choice-meetings_1"' in page  # email, digest, off
    assert 'id="id_choice-meetings_2"' in page
    assert 'id="id_choice-digest_1"' in page  # send it, off
    assert 'id="id_choice-digest_2"' not in page
    assert "always go out" in page


def test_everything_is_emailed_until_the_person_chooses(participant_client):
    page = participant_client.get(URL).content.decode()
    assert 'value="email" checked' in page.replace("\n", "")


def test_a_coordinator_also_chooses_how_alerts_reach_them(client, coordinator):
    make_program(coordinator)
    client.force_login(coordinator)
    page = client.get(URL).content.decode()
    assert page.count("<fieldset") == len(Category)


def test_keeping_emails_for_a_digest_that_is_off_is_refused(participant_client, participant):
    choices = {f"choice-{category}": "email" for category in Category.values}
    choices.update({"choice-surveys": "digest", "choice-digest": "off"})
    response = participant_client.post(URL, choices)
    assert response.status_code == 200
    page = response.content.decode()
    assert "With the weekly digest off, nothing would reach you about: Surveys." in page
    assert 'id="id_choice-surveys_1" value="digest" checked' in page
    assert services.preferences_of(participant)["surveys"] == "email"  # nothing saved


def test_saving_records_each_choice(participant_client, participant):
    choices = {f"choice-{category}": "email" for category in Category.values}
    choices.update({"choice-meetings": "digest", "choice-surveys": "off"})
    response = participant_client.post(URL, choices, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Your email choices are saved." in response.content.decode()
    saved = services.preferences_of(participant)
    assert (saved["meetings"], saved["surveys"], saved["digest"]) == ("digest", "off", "email")
    assert saved["requests"] == "email"


def test_a_refused_choice_keeps_what_was_picked(participant_client, participant):
    choices = {f"choice-{category}": "email" for category in Category.values}
    # The digest cannot go in the digest.
    choices.update({"choice-meetings": "off", "choice-digest": "digest"})
    response = participant_client.post(URL, choices)
    assert response.status_code == 200
    page = response.content.decode()
    assert "is-invalid" in page
    assert 'id="id_choice-meetings_2" value="off" checked' in page
    assert services.preferences_of(participant)["meetings"] == "email"  # nothing saved


def test_strangers_to_the_site_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_account_pages_link_to_it(participant_client):
    page = participant_client.get(reverse("accounts:settings")).content.decode()
    assert f'href="{URL}"' in page
