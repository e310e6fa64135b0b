"""A newcomer signs up, verifies the email, logs in, sets time zone and language, logs out."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from mentorship_site.accounts.models import User
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

PASSPHRASE = "river-lantern-orchard-77"


def test_a_newcomer_signs_up_verifies_logs_in_and_sets_preferences(page, transactional_db):
    page.goto("/")
    page.get_by_role("link", name="Create your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign Up")
    # The browser runs in Tokyo: the form suggests that zone, to be confirmed.
    expect(page.locator("#id_time_zone")).to_have_value("Asia/Tokyo")

    page.locator("#id_email").fill("mina@example.org")
    page.locator("#id_display_name").fill("Mina Sato")
    page.locator("#id_password1").fill(PASSPHRASE)
    page.locator("#id_password2").fill(PASSPHRASE)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Mina Sato")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()

    page.goto("/accounts/login/")
    page.locator("#id_login").fill("MINA@example.org")
    page.locator("#id_password").fill(PASSPHRASE)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Mina Sato")
    expect(page.get_by_text("Your time zone is Asia/Tokyo")).to_be_visible()

    page.get_by_role("link", name="Account").click()
    page.locator("#id_time_zone").select_option("America/Toronto")
    page.locator("#id_preferred_language").select_option("fr")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nom, fuseau horaire et langue")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_accessible(page)
    user = User.objects.get(email="mina@example.org")
    assert (user.time_zone, user.preferred_language) == ("America/Toronto", "fr")

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()


def test_the_site_works_by_keyboard_alone(page, transactional_db, participant, password):
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to main content")
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_attribute("id", "main")

    page.locator("#id_login").focus()
    page.keyboard.type("pat@example.org")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("id", "id_password")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Pat Participant")

    # Every link and button in the header can be reached with Tab.
    reached = set()
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.textContent.trim()"))
    assert {"Home", "Account", "Sign out"} <= reached
