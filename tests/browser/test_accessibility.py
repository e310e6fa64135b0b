"""axe-core finds no violation on any page, in English and in French."""

import pytest
from django.urls import reverse

from tests.browser.conftest import assert_accessible, sign_in_as
from tests.pages import PAGES

pytestmark = pytest.mark.browser

VIEWABLE = [page for page in PAGES if page.meant_for]


@pytest.fixture
def cast(transactional_db, world):
    return world


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("entry", VIEWABLE, ids=lambda page: f"{page.name}-{page.meant_for}")
def test_every_page_has_no_axe_violations(page, live_server, cast, entry, language):
    if entry.meant_for != "anonymous":
        user = cast.users[entry.meant_for]
        user.preferred_language = language
        user.save()
        sign_in_as(page, live_server, user)
    else:
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
    kwargs = entry.kwargs(cast) if entry.kwargs else {}
    response = page.goto(reverse(entry.name, kwargs=kwargs) + entry.query)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)


def test_forms_with_errors_have_no_axe_violations(page, transactional_db):
    page.goto(reverse("account_signup"))
    page.get_by_label("Email").fill("not an email")
    page.locator("#id_password1").fill("short")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_selector(".invalid-feedback")
    assert_accessible(page)


def test_the_phone_layout_has_no_axe_violations_and_a_working_menu(
    page, transactional_db, participant, live_server
):
    sign_in_as(page, live_server, participant)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(reverse("home"))
    menu = page.get_by_role("button", name="Show or hide the menu")
    menu.click()
    page.get_by_role("link", name="Account").click()
    page.wait_for_url("**/accounts/settings/")
    assert_accessible(page)
