"""The coordinator's people pages stay accessible full of data and when they show errors."""

import pytest
from django.urls import reverse

from programs import services
from tests.browser.conftest import assert_accessible, sign_in_as
from tests.programs.builders import enrol
from tests.programs.test_people_participants import add_people

pytestmark = pytest.mark.browser


@pytest.fixture
def cast(transactional_db, world):
    return world


def test_a_full_list_with_filters_and_pages_has_no_axe_violations(page, live_server, cast):
    add_people(cast.program, 60, role="mentor", state="ready", cycle=cast.cycle)
    add_people(cast.program, 3, role="mentee", state="paused", prefix="paused")
    add_people(cast.program, 2, role="mentee", state="withdrawn", prefix="left")
    sign_in_as(page, live_server, cast.users["coordinator"])
    page.goto(reverse("programs:participants", kwargs={"code": cast.program.code}))
    page.get_by_label("Role").select_option("mentor")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_selector("text=60 participants")
    assert_accessible(page)
    page.get_by_role("link", name="Next").click()
    page.wait_for_selector("text=Page 2 of 2")
    assert page.get_by_label("Role").input_value() == "mentor"
    assert_accessible(page)


def test_the_participant_page_with_a_refused_decline_has_no_axe_violations(
    page, live_server, cast, stranger
):
    cast.program.enrolment_mode = "application"
    cast.program.save()
    applicant = enrol(cast.program, stranger, role="mentor", application_message="Let me in")
    sign_in_as(page, live_server, cast.users["coordinator"])
    page.goto(reverse("programs:applications", kwargs={"code": cast.program.code}))
    assert_accessible(page)
    page.goto(
        reverse(
            "programs:participant_detail",
            kwargs={"code": cast.program.code, "participant": applicant.code},
        )
    )
    page.get_by_role("button", name="Decline").click()
    page.wait_for_selector(".invalid-feedback")
    assert_accessible(page)


def test_invitation_errors_and_a_refused_csv_preview_have_no_axe_violations(
    page, live_server, cast, tmp_path
):
    services.invite_person(
        cast.program, by=cast.users["coordinator"], email="gone@example.org", role="mentee"
    )
    sign_in_as(page, live_server, cast.users["coordinator"])
    page.goto(reverse("programs:invitations", kwargs={"code": cast.program.code}))
    page.locator("#id_email").fill("not an email")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_selector(".invalid-feedback")
    assert page.locator("#id_email").input_value() == "not an email"
    assert_accessible(page)

    bad = tmp_path / "people.csv"
    bad.write_text("email,name,role\nnope,No,mentee\nok@example.org,Ok,coach\n", encoding="utf-8")
    page.goto(reverse("programs:invitations_upload", kwargs={"code": cast.program.code}))
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_selector("text=Nothing has been imported")
    assert_accessible(page)

    good = tmp_path / "good.csv"
    good.write_text("email;name;role\nnew@example.org;New;mentor\n", encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_selector("text=Send 1 invitation")
    assert_accessible(page)
    page.get_by_role("button", name="Send 1 invitation").click()
    page.wait_for_selector("text=1 invitation sent.")
    assert_accessible(page)
