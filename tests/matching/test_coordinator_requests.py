"""The coordinator's list of every match request of a program, and closing one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matching import services
from matching.models import MatchRequest, RequestEvent, Side, Source
from mentorship_site.accounts.models import User
from programs.models import Participant
from tests.matching.builders import make_ready, matching_world
from tests.programs.builders import enrol

pytestmark = pytest.mark.django_db


def list_url(world, query=""):
    return reverse("matching:coordinator_requests", kwargs={"code": world.program.code}) + query


def close_url(program, match_request):
    return reverse(
        "matching:coordinator_request_close",
        kwargs={"code": program.code, "request_code": match_request.code},
    )


def codes_on(response):
    return [match_request.code for match_request, _events, _form in response.context["rows"]]


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.users["coordinator"])
    return client


@pytest.fixture
def requests(world):
    """The participant's request (superseded), the accepted proposal, and a pending one."""
    people = matching_world(world)
    extra_mentee = make_ready(
        world.program, User.objects.create(email="mia@example.org", display_name="Mia Mentee")
    )
    pending = services.send_request(extra_mentee, people.mentor, by=extra_mentee.user)
    return people, pending


def test_it_lists_every_request_with_counts_per_status(coordinator_client, world, requests):
    people, pending = requests
    response = coordinator_client.get(list_url(world))
    assert response.status_code == 200
    assert set(codes_on(response)) == {people.request.code, people.proposal.code, pending.code}
    counts = {value: count for value, _label, count in response.context["counts"]}
    assert counts["pending"] == 1
    assert counts["approved"] == 1
    assert counts["superseded"] == 1
    assert response.context["total"] == 3
    assert response.context["active_matches"] == 1
    page = response.content.decode()
    assert "Mia Mentee" in page
    assert "The mentee started a match with someone else." in page  # the audit trail


def test_it_filters_by_status_source_cycle_and_name(coordinator_client, world, requests):
    people, pending = requests
    assert codes_on(coordinator_client.get(list_url(world, "?status=pending"))) == [pending.code]
    assert codes_on(coordinator_client.get(list_url(world, "?source=coordinator"))) == [
        people.proposal.code
    ]
    by_cycle = coordinator_client.get(list_url(world, f"?cycle={world.cycle.pk}"))
    assert len(codes_on(by_cycle)) == 3
    assert codes_on(coordinator_client.get(list_url(world, "?search=mia"))) == [pending.code]
    # Counts follow the other filters, so each status tab says what it would show.
    searched = coordinator_client.get(list_url(world, "?search=mia&status=approved"))
    assert codes_on(searched) == []
    assert {v: c for v, _l, c in searched.context["counts"]}["pending"] == 1


def test_stale_filters_are_ignored_not_an_error(coordinator_client, world, requests):
    response = coordinator_client.get(list_url(world, "?status=nonsense&cycle=abc&page=99"))
    assert response.status_code == 200
    assert len(codes_on(response)) == 3


def test_only_pending_requests_have_a_close_form(coordinator_client, world, requests):
    _people, pending = requests
    response = coordinator_client.get(list_url(world))
    with_forms = [row[0].code for row in response.context["rows"] if row[2] is not None]
    assert with_forms == [pending.code]
    assert close_url(world.program, pending) in response.content.decode()


def test_staff_viewers_read_without_forms(client, world, requests):
    client.force_login(world.users["staff_viewer"])
    response = client.get(list_url(world))
    assert response.status_code == 200
    assert all(form is None for _r, _e, form in response.context["rows"])
    assert "/close/" not in response.content.decode()


def test_closing_a_pending_request_records_who_and_why(
    coordinator_client, world, requests, mailoutbox, django_capture_on_commit_callbacks
):
    _people, pending = requests
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            close_url(world.program, pending),
            {"reason": "Mona is away this month.", "query": "status=pending"},
        )
    assert response.status_code == 302
    assert response["Location"] == list_url(world, "?status=pending")
    pending.refresh_from_db()
    assert pending.status == MatchRequest.Status.CLOSED
    assert pending.closed_by == world.users["coordinator"]
    assert pending.close_reason == "Mona is away this month."
    event = pending.events.last()
    assert (event.action, event.actor, event.note) == (
        "closed",
        world.users["coordinator"],
        "Mona is away this month.",
    )
    assert mailoutbox  # both people are told
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "is closed" in page


def test_closing_without_a_reason_is_refused_with_a_message(coordinator_client, world, requests):
    _people, pending = requests
    response = coordinator_client.post(close_url(world.program, pending), {"reason": "  "})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == MatchRequest.Status.PENDING
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "Give a reason" in page


def test_closing_a_finished_request_names_its_state(coordinator_client, world, requests):
    people, _pending = requests
    response = coordinator_client.post(
        close_url(world.program, people.proposal), {"reason": "Too late."}, follow=True
    )
    assert response.status_code == 200
    assert "it is approved: the match started" in response.content.decode().lower()
    people.proposal.refresh_from_db()
    assert people.proposal.status == MatchRequest.Status.APPROVED


def test_a_request_of_another_program_is_not_found(client, world, requests):
    _people, pending = requests
    client.force_login(world.users["other_coordinator"])
    assert client.post(close_url(world.other_program, pending), {"reason": "No"}).status_code == 404
    assert client.post(close_url(world.program, pending), {"reason": "No"}).status_code == 404
    pending.refresh_from_db()
    assert pending.is_pending


def test_staff_viewers_cannot_close(client, world, requests):
    _people, pending = requests
    client.force_login(world.users["staff_viewer"])
    assert client.post(close_url(world.program, pending), {"reason": "No"}).status_code == 404
    pending.refresh_from_db()
    assert pending.is_pending


def test_closing_is_post_only(coordinator_client, world, requests):
    _people, pending = requests
    assert coordinator_client.get(close_url(world.program, pending)).status_code == 405


# --- queries ------------------------------------------------------------------------------


def add_requests(world, count):
    """Add `count` pending requests with two events each, in a few bulk queries."""
    program = world.program
    users = User.objects.bulk_create(
        User(email=f"crowd{n}-{count}@example.org", display_name=f"Crowd {n:04d}")
        for n in range(2 * count)
    )
    people = Participant.objects.bulk_create(
        Participant(
            user=user,
            program=program,
            cycle=world.cycle,
            role="mentor" if n % 2 else "mentee",
            capacity=2 if n % 2 else None,
            state="ready",
        )
        for n, user in enumerate(users)
    )
    now = timezone.now()
    requests = MatchRequest.objects.bulk_create(
        MatchRequest(
            program=program,
            cycle=world.cycle,
            mentee=people[2 * n],
            mentor=people[2 * n + 1],
            mentee_user=users[2 * n],
            mentor_user=users[2 * n + 1],
            source=Source.PARTICIPANT,
            sender=Side.MENTEE,
            sent_by=users[2 * n],
            mentee_approved_at=now,
            reply_due_at=now + timedelta(days=7),
        )
        for n in range(count)
    )
    RequestEvent.objects.bulk_create(
        RequestEvent(request=r, actor=r.sent_by, action=action)
        for r in requests
        for action in ("sent", "approved")
    )


@pytest.mark.parametrize("size", [3, 40])
def test_the_list_runs_a_fixed_number_of_queries(
    coordinator_client, world, size, django_assert_max_num_queries
):
    add_requests(world, size)
    with django_assert_max_num_queries(13):
        response = coordinator_client.get(list_url(world))
    assert len(response.context["rows"]) == size


def test_the_list_is_paginated(coordinator_client, world):
    add_requests(world, 55)
    assert len(coordinator_client.get(list_url(world)).context["rows"]) == 50
    assert len(coordinator_client.get(list_url(world, "?page=2")).context["rows"]) == 5


def test_a_mentee_of_the_program_sees_nothing(client, world):
    enrol(world.program, world.users["outsider"], role="mentor")
    client.force_login(world.users["outsider"])
    assert client.get(list_url(world)).status_code == 404
