"""The coordinators' review queue: submitted entries of their programs, oldest first."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from journals.services import journal as services
from tests.journals.builders import active_match
from tests.journals.test_journal_entries import submit

URL = reverse("journals:review_queue")


def codes(response) -> list[str]:
    return [str(entry.code) for entry in response.context["page"]]


@pytest.fixture
def pairs(coordinator):
    first = active_match(coordinator)
    second = active_match(coordinator)
    return first, second


def test_the_queue_lists_submitted_entries_oldest_first(client, coordinator, pairs):
    first, second = pairs
    now = timezone.now()
    with time_machine.travel(now - timedelta(hours=3), tick=False):
        oldest = submit(first, first.mentee)
    with time_machine.travel(now - timedelta(hours=2), tick=False):
        middle = submit(second, second.mentor)
    newest = submit(first, first.mentor)
    services.save_entry(first, by=first.mentee.user, discussed="A draft")
    reviewed = submit(second, second.mentee)
    services.review_entry(reviewed, by=coordinator, feedback="Done")
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    assert codes(response) == [str(oldest.code), str(middle.code), str(newest.code)]


def test_the_queue_filters_by_program_cycle_and_pair(client, coordinator, pairs):
    first, second = pairs
    a = submit(first, first.mentee)
    b = submit(second, second.mentee)
    other_program = active_match(coordinator)
    c = submit(other_program, other_program.mentee)
    client.force_login(coordinator)
    assert codes(client.get(URL, {"pair": str(first.code)})) == [str(a.code)]
    by_program = client.get(URL, {"program": str(other_program.program.code)})
    assert codes(by_program) == [str(c.code)]
    by_cycle = client.get(URL, {"cycle": str(second.cycle.code)})
    assert codes(by_cycle) == [str(b.code)]
    # A stale or made-up filter is ignored, never an error.
    assert len(codes(client.get(URL, {"program": "nonsense", "pair": "x"}))) == 3
    counts = {program.pk: count for program, count in client.get(URL).context["counts"]}
    assert counts[first.program_id] == 1 and counts[other_program.program_id] == 1


def test_the_queue_shows_only_the_coordinators_programs(client, coordinator, other_coordinator):
    match = active_match(coordinator)
    submit(match, match.mentee)
    theirs = active_match(other_coordinator)
    own = submit(theirs, theirs.mentee)
    client.force_login(other_coordinator)
    assert codes(client.get(URL)) == [str(own.code)]


def test_participants_and_staff_viewers_get_404(client, coordinator, staff_viewer):
    match = active_match(coordinator)
    for user in (match.mentee.user, match.mentor.user, staff_viewer):
        client.force_login(user)
        assert client.get(URL).status_code == 404


@pytest.mark.parametrize("size", [1, 15])
def test_the_queue_runs_a_fixed_number_of_queries(
    client, coordinator, django_assert_max_num_queries, size
):
    for _number in range(size):
        match = active_match(coordinator)
        submit(match, match.mentee)
    client.force_login(coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(URL)
    assert len(response.context["page"]) == size
