"""The matching cast: a program whose matching window is open, a ready mentee and mentor."""

import pytest

from tests.factories import UserFactory
from tests.matching.builders import make_ready, matching_program


@pytest.fixture
def program(coordinator):
    """A program with a cycle whose matching window is open today."""
    return matching_program(coordinator)[0]


@pytest.fixture
def mentee(program, participant):
    """The standing participant, ready to match as a mentee."""
    return make_ready(program, participant, role="mentee")


@pytest.fixture
def mentor(program):
    return make_ready(program, UserFactory(display_name="Mona Mentor"), role="mentor")
