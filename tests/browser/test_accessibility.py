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


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_questionnaire_with_every_question_type_has_no_axe_violations(
    page, live_server, cast, language
):
    from programs.models import Question

    program = cast.program
    extra = [
        ("short_text", "Your job title", []),
        ("single_choice", "How did you hear of us?", ["A colleague", "The intranet"]),
        ("multiple_choice", "Which formats suit you?", ["Video", "Phone", "Chat"]),
        ("scale", "How confident do you feel at work?", []),
    ]
    for position, (kind, label, choices) in enumerate(extra, start=20):
        Question.objects.create(
            program=program,
            role="mentee",
            kind=kind,
            label=label,
            choices=choices,
            position=position,
        )
    kinds = set(Question.objects.for_role(program, "mentee").shown().values_list("kind", flat=True))
    assert kinds == set(Question.Kind.values)
    user = cast.users["participant"]
    user.preferred_language = language
    user.save()
    sign_in_as(page, live_server, user)
    url = reverse("programs:questionnaire", kwargs={"code": cast.participation.code})
    page.goto(url)
    assert_accessible(page)
    page.get_by_role("button", name="Submit" if language == "en" else "Envoyer").click()
    page.wait_for_selector(".invalid-feedback")
    assert_accessible(page)
