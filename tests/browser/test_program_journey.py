"""A coordinator sets a program up and invites a mentee by CSV; the mentee gets ready to match."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Participant, Program
from tests.browser.conftest import assert_accessible, sign_in_as
from tests.conftest import CHROMIUM_ARGS  # noqa: F401 - the browser fixture launches with them
from tests.programs.builders import make_program

pytestmark = pytest.mark.browser

PASSPHRASE = "orchard-lantern-river-88"


def link_in(message, pattern):
    return re.search(rf"https?://\S+{pattern}\S*?/(?=\s|$)", message.body, re.MULTILINE).group(0)


def test_a_coordinator_sets_up_a_program_and_a_mentee_gets_ready_to_match(
    browser, live_server, transactional_db, coordinator, settings
):
    settings.SITE_URL = live_server.url
    make_program(coordinator, name="Last year's program")  # coordinators start new programs
    today = timezone.now().date()

    # --- the coordinator creates the program -------------------------------------
    cora = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    sign_in_as(cora, live_server, coordinator)
    cora.goto("/programs/coordinate/")
    cora.get_by_role("link", name="New program").click()
    cora.locator("#id_name").fill("Women in engineering")
    cora.locator("#id_description").fill("Ten weeks with a senior engineer.")
    cora.locator("#id_objectives").fill("Lead a technical project\nSpeak at a conference")
    cora.locator("#id_topics").fill("System design\nPublic speaking\nCareer planning")
    cora.locator("#id_enrolment_mode").select_option("invitation")
    cora.locator("#id_status").select_option("open")
    cora.get_by_role("button", name="Save").click()
    expect(cora.get_by_role("heading", level=1)).to_contain_text("Women in engineering")
    program = Program.objects.get(name="Women in engineering")
    assert program.coordinators.filter(pk=coordinator.pk).exists()
    assert_accessible(cora)

    # --- a cycle ---------------------------------------------------------------------
    cora.goto(f"/programs/coordinate/{program.code}/cycles/new/")
    cora.locator("#id_name").fill("Spring")
    for field, days in [
        ("enrolment_opens_on", -1),
        ("enrolment_closes_on", 20),
        ("matching_opens_on", 0),
        ("matching_closes_on", 30),
        ("starts_on", 31),
    ]:
        cora.locator(f"#id_{field}").fill((today + timedelta(days=days)).isoformat())
    cora.get_by_role("button", name="Save").click()
    expect(cora.get_by_text("Spring").first).to_be_visible()

    # --- the mentee questionnaire gets one more question -------------------------------
    cora.goto(f"/programs/coordinate/{program.code}/questionnaire/mentee/")
    assert_accessible(cora)
    cora.goto(f"/programs/coordinate/{program.code}/questionnaire/mentee/new/")
    cora.locator("#id_label").fill("What is your current job title?")
    cora.locator("#id_kind").select_option("short_text")
    cora.get_by_role("button", name="Save").click()
    expect(cora.get_by_role("link", name="What is your current job title?")).to_be_visible()

    # --- a mentee is invited by CSV ------------------------------------------------------
    cora.goto(f"/programs/coordinate/{program.code}/invitations/upload/")
    cora.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "mentees.csv",
                "mimeType": "text/csv",
                "buffer": b"email,name,role,department\nnoa@example.org,Noa Levi,mentee,Research\n",
            }
        ]
    )
    cora.get_by_role("button", name="Check the file").click()
    expect(cora.get_by_text("noa@example.org")).to_be_visible()
    assert_accessible(cora)
    cora.get_by_role("button", name=re.compile("Send 1 invitation")).click()
    invitation_mail = next(m for m in mail.outbox if m.to == ["noa@example.org"])
    invitation_link = link_in(invitation_mail, "/programs/invitation/")

    cora.goto(f"/programs/coordinate/{program.code}/")
    funnel = cora.get_by_role("table").first
    expect(funnel).to_contain_text("Invited")
    assert_accessible(cora)

    # --- the mentee signs up through the invitation ---------------------------------------
    noa = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Asia/Jerusalem"
    ).new_page()
    noa.goto(invitation_link)
    expect(noa.get_by_text("Women in engineering").first).to_be_visible()
    noa.get_by_role("link", name=re.compile("Create (an|your) account|Sign up", re.I)).first.click()
    noa.locator("#id_email").fill("noa@example.org")
    noa.locator("#id_display_name").fill("Noa Levi")
    noa.locator("#id_password1").fill(PASSPHRASE)
    noa.locator("#id_password2").fill(PASSPHRASE)
    noa.get_by_role("button", name="Sign Up").click()
    expect(noa.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")
    confirm = link_in(
        next(m for m in reversed(mail.outbox) if m.to == ["noa@example.org"]),
        "/accounts/confirm-email/",
    )
    noa.goto(confirm)
    noa.get_by_role("button", name="Confirm").click()

    noa.goto(invitation_link)
    noa.get_by_label(re.compile("at least 18")).check()
    noa.get_by_role("button", name="Accept the invitation").click()
    participant = Participant.objects.get(user__email="noa@example.org", program=program)
    assert (participant.role, participant.department) == ("mentee", "Research")

    # --- the questionnaire, half-done then complete ------------------------------------------
    noa.goto(f"/programs/me/{participant.code}/questionnaire/")
    noa.get_by_label("What is your current job title?").fill("Junior engineer")
    noa.get_by_role("button", name="Save draft").click()
    noa.goto(f"/programs/me/{participant.code}/questionnaire/")
    expect(noa.get_by_label("What is your current job title?")).to_have_value("Junior engineer")
    noa.get_by_role("button", name="Submit").click()
    expect(noa.locator(".invalid-feedback").first).to_be_visible()  # required answers missing
    expect(noa.get_by_label("What is your current job title?")).to_have_value("Junior engineer")
    noa.get_by_role("checkbox", name="System design").check()
    noa.get_by_role("checkbox", name="English").first.check()
    availability = program.questions.get(role="mentee", kind="availability")
    noa.locator(f"input[type=checkbox][name='question_{availability.pk}']").nth(40).check()
    noa.get_by_label("What do you hope to achieve in ten weeks?").fill(
        "Lead my first design review."
    )
    noa.get_by_role("button", name="Submit").click()
    participant.refresh_from_db()
    assert participant.questionnaire_submitted_at is not None
    assert participant.state == Participant.State.ENROLLED  # the training is still to do

    # --- the required training ------------------------------------------------------------------
    module = program.training_modules.get(audience="mentee")
    noa.goto(f"/programs/me/{participant.code}/training/{module.code}/")
    assert_accessible(noa)
    noa.get_by_role("checkbox").check()
    noa.get_by_role("button", name="Complete the module").click()
    noa.goto(f"/programs/me/{participant.code}/")
    expect(noa.get_by_text("You are ready to be matched.")).to_be_visible()
    assert_accessible(noa)

    # --- the coordinator sees the funnel move -------------------------------------------------
    cora.goto(f"/programs/coordinate/{program.code}/")
    participant.refresh_from_db()
    assert participant.state == Participant.State.READY
    expect(cora.get_by_role("table").first).to_contain_text("Ready")
