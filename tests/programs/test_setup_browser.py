"""Program set-up in a real browser: forms with errors stay accessible, buttons work."""

import re

import pytest
from django.urls import reverse

from tests.browser.conftest import assert_accessible, sign_in_as

pytestmark = pytest.mark.browser


@pytest.fixture
def cast(transactional_db, world):
    return world


def test_the_settings_form_with_errors_has_no_axe_violations(page, live_server, cast):
    sign_in_as(page, live_server, cast.users["coordinator"])
    page.goto(reverse("programs:program_edit", kwargs={"code": cast.program.code}))
    page.get_by_label("Minimum age").fill("5")
    page.get_by_label("Mentees per mentor (default)").fill("9")
    page.get_by_label("Mentees per mentor (maximum)").fill("3")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_selector(".invalid-feedback")
    assert page.locator("#id_minimum_age").input_value() == "5"
    assert_accessible(page)


def test_a_question_moves_up_with_its_button(page, live_server, cast):
    sign_in_as(page, live_server, cast.users["coordinator"])
    page.goto(
        reverse(
            "programs:questionnaire_builder", kwargs={"code": cast.program.code, "role": "mentee"}
        )
    )
    second = "Which languages can you be mentored in?"
    page.get_by_role("button", name=re.compile(rf"^Up\s*:\s*{re.escape(second)}$")).click()
    page.wait_for_load_state()
    first_row = page.locator("tbody tr").first
    assert second in first_row.inner_text()
    assert_accessible(page)
