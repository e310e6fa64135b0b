"""Shared fixtures: the standing cast, real mail through the queue, a real browser."""

import os

import pytest
from django.contrib.auth.models import Group

from mentorship_site.accounts.models import STAFF_VIEWERS_GROUP
from mentorship_site.celery import app as celery_app
from tests.factories import PASSWORD, UserFactory

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def queued_mail(settings):
    """Send mail as production does: stored, then delivered by a task after commit.

    The task runs eagerly in tests (unless a test starts a real worker) and
    delivers to Django's in-memory outbox.
    """
    settings.EMAIL_BACKEND = "mentorship_site.mail.backends.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing strength is Django's business; tests need speed."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def eager_celery():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits live in the cache: start every test from an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fresh_score_tables():
    """Score tables are cached per process: start every test without them."""
    from matching.suggestions import forget_tables

    forget_tables()
    yield
    forget_tables()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def participant(db):
    return UserFactory(display_name="Pat Participant", email="pat@example.org")


@pytest.fixture
def stranger(db):
    return UserFactory(display_name="Sasha Stranger", email="sasha@example.org")


@pytest.fixture
def staff_viewer(db):
    user = UserFactory(display_name="Vic Viewer", email="vic@example.org")
    user.groups.add(Group.objects.get_or_create(name=STAFF_VIEWERS_GROUP)[0])
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(
        display_name="Ada Admin", email="ada@example.org", is_staff=True, is_superuser=True
    )


@pytest.fixture
def participant_client(client, participant):
    client.force_login(participant)
    return client


# --- the browser ---------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Asia/Tokyo"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, email, password=PASSWORD):
    """Log `email` in through the real form."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


# --- programs: the standing cast ----------------------------------------


@pytest.fixture
def coordinator(db):
    return UserFactory(display_name="Cora Coordinator", email="cora@example.org")


@pytest.fixture
def other_coordinator(db):
    return UserFactory(display_name="Otto Othercoord", email="otto@example.org")


@pytest.fixture
def outsider(db):
    """A participant of another program."""
    return UserFactory(display_name="Olga Outsider", email="olga@example.org")


@pytest.fixture
def world(participant, outsider, coordinator, other_coordinator, staff_viewer, superuser):
    """Two programs with their coordinators and one participant each, and what hangs off them."""
    from tests.programs.builders import build_world

    return build_world(
        participant=participant,
        outsider=outsider,
        coordinator=coordinator,
        other_coordinator=other_coordinator,
        staff_viewer=staff_viewer,
        superuser=superuser,
    )
