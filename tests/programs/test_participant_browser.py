"""The participant's forms stay accessible when they show errors, and work in a real browser."""

import pytest
from django.urls import reverse

from programs.models import Participant
from tests.browser.conftest import assert_accessible, sign_in_as
from tests.factories import UserFactory
from tests.programs.builders import enrol

pytestmark = pytest.mark.browser


@pytest.fixture
def cast(transactional_db, world):
    return world


def test_the_questionnaire_with_errors_has_no_axe_violations(page, live_server, cast):
    sign_in_as(page, live_server, cast.users["participant"])
    page.goto(reverse("programs:questionnaire", kwargs={"code": cast.participation.code}))
    page.get_by_label("Monday, 09:00–10:00").check()
    page.get_by_role("button", name="Submit").click()
    page.wait_for_selector(".invalid-feedback")
    assert page.get_by_label("Monday, 09:00–10:00").is_checked()
    assert_accessible(page)


def test_a_draft_keeps_the_ticked_hours(page, live_server, cast):
    sign_in_as(page, live_server, cast.users["participant"])
    url = reverse("programs:questionnaire", kwargs={"code": cast.participation.code})
    page.goto(url)
    page.get_by_label("Careers").check()
    page.get_by_label("Friday, 18:00–19:00").check()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_selector("text=Your draft is saved")
    assert page.get_by_label("Careers").is_checked()
    assert page.get_by_label("Friday, 18:00–19:00").is_checked()


def test_a_mentors_page_and_the_join_form_with_errors_have_no_axe_violations(
    page, live_server, cast
):
    mentor = enrol(cast.program, UserFactory(email="mo@example.org"), role="mentor", capacity=2)
    Participant.objects.filter(pk=mentor.pk).update(state=Participant.State.PAUSED)
    sign_in_as(page, live_server, mentor.user)
    page.goto(reverse("programs:participation", kwargs={"code": mentor.code}))
    page.get_by_label("Mentees I can take").fill("9")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector(".invalid-feedback")
    assert_accessible(page)

    sign_in_as(page, live_server, cast.users["outsider"])
    page.goto(reverse("programs:join", kwargs={"join_code": cast.program.join_code}))
    page.get_by_label("Mentor", exact=True).check()
    page.get_by_role("button", name="Join the program").click()
    page.wait_for_selector(".invalid-feedback")
    assert_accessible(page)
