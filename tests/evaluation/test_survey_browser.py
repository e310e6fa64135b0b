"""The survey in a real browser: errors announced next to the questions, and the
answered survey, with no axe-core violation."""

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.models import SurveyInvitation
from tests.browser.conftest import assert_accessible, sign_in_as
from tests.matching.builders import matching_world

pytestmark = pytest.mark.browser


@pytest.fixture
def invitation(transactional_db, world):
    match = matching_world(world).match
    services.ensure_questions(world.program)
    return SurveyInvitation.objects.create(
        match=match, user=world.users["participant"], role="mentee", kind="end"
    )


def test_a_survey_with_errors_and_then_answered_has_no_axe_violations(
    page, live_server, invitation
):
    sign_in_as(page, live_server, invitation.user)
    page.goto(reverse("evaluation:survey", kwargs={"code": invitation.code}))
    page.get_by_label("Anything else you would like to tell the coordinators?").fill("Merci")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_selector(".invalid-feedback")
    assert page.get_by_text("Answer this question.").first.is_visible()
    assert (
        page.get_by_label("Anything else you would like to tell the coordinators?").input_value()
        == "Merci"
    )
    assert_accessible(page)

    page.get_by_role(
        "group", name="Overall, how satisfied are you with your mentoring?"
    ).get_by_label("4").check()
    page.get_by_role("group", name="How likely are you to recommend").get_by_label("9").check()
    page.get_by_role("group", name="Did you reach the goals").get_by_label("Partly").check()
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("Thank you: your answers are recorded.").wait_for()
    assert_accessible(page)
