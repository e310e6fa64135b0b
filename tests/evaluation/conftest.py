"""A match of a ten-week program, started on START, for the survey tests; and the known
KPI history, built once per test module."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

from matching.models import Match, MatchRequest
from matching.suggestions import forget_tables
from mentorship_site.accounts.models import User
from mentorship_site.celery import app as celery_app
from programs.models import Cycle, Program
from tests.evaluation.kpi_builders import add_pairs, known_history
from tests.factories import UserFactory
from tests.journals.builders import active_match

START = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def match(coordinator):
    with time_machine.travel(START, tick=False):
        return active_match(coordinator)


# What the autouse fixtures of tests/conftest.py give each test, for a build that runs
# before any test of its module has started.
BUILD_SETTINGS = {
    "EMAIL_BACKEND": "mentorship_site.mail.backends.QueuedEmailBackend",
    "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}


@pytest.fixture(scope="module")
def kpi_history_keys(django_db_setup, django_db_blocker):
    """Build the known history (and another program's, with three more busy pairs, that
    must never show up) once for the module, and return the primary keys of its rows.

    The rows live in a transaction rolled back when the module ends, so nothing is ever
    committed: the next module and a reused database start clean, and a killed run leaves
    nothing behind. Each test's own transaction (`db`) is a savepoint inside it, so what
    a test writes is undone before the next test.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = True
        cache.clear()
        forget_tables()
        try:
            with override_settings(**BUILD_SETTINGS):
                coordinator = UserFactory(display_name="Cora Coordinator")
                other_coordinator = UserFactory(display_name="Otto Othercoord")
                known = known_history(coordinator)
                other = known_history(other_coordinator, name="Language buddies")
                add_pairs(other.program, other.cycle, 3)
        finally:
            celery_app.conf.task_always_eager = eager
            cache.clear()
            forget_tables()
        yield SimpleNamespace(
            coordinator=coordinator.pk,
            program=known.program.pk,
            cycle=known.cycle.pk,
            matches=tuple(match.pk for match in known.matches),
            superseded=known.superseded.pk,
            other_coordinator=other_coordinator.pk,
            other_program=other.program.pk,
            other_cycle=other.cycle.pk,
        )
        transaction.set_rollback(True)


@pytest.fixture
def kpi_history(request, db, kpi_history_keys):
    """Return the known history, loaded afresh for each test so that no test sees the
    objects another one used."""
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        pytest.fail("the known KPI history lives in a transaction: use `db`, not a real commit")
    keys = kpi_history_keys
    programs = Program.objects.in_bulk([keys.program, keys.other_program])
    cycles = Cycle.objects.in_bulk([keys.cycle, keys.other_cycle])
    people = User.objects.in_bulk([keys.coordinator, keys.other_coordinator])
    matches = Match.objects.in_bulk(keys.matches)
    return SimpleNamespace(
        program=programs[keys.program],
        cycle=cycles[keys.cycle],
        coordinator=people[keys.coordinator],
        matches=[matches[pk] for pk in keys.matches],
        superseded=MatchRequest.objects.get(pk=keys.superseded),
        other=SimpleNamespace(
            program=programs[keys.other_program],
            cycle=cycles[keys.other_cycle],
            coordinator=people[keys.other_coordinator],
        ),
    )
