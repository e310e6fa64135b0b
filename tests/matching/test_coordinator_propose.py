"""A coordinator proposes a pair; both sides must approve before the match starts."""

import pytest
from django.urls import reverse

from matching import services
from matching.models import MatchRequest, Side, Source
from programs import services as programs
from programs.models import Participant
from tests.factories import UserFactory
from tests.matching.builders import make_ready, matching_program
from tests.programs.builders import enrol, make_cycle

pytestmark = pytest.mark.django_db


def propose_url(program):
    return reverse("matching:propose", kwargs={"code": program.code})


@pytest.fixture
def pool(coordinator):
    program, cycle = matching_program(coordinator)
    mentee = make_ready(program, UserFactory(display_name="Mae Mentee"))
    mentor = make_ready(program, UserFactory(display_name="Milo Mentor"), role="mentor")
    return program, mentee, mentor


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def test_the_form_lists_only_people_in_the_pool(coordinator_client, pool):
    program, mentee, mentor = pool
    unready = UserFactory(display_name="Una Unready")
    enrol(program, unready, role="mentee")
    response = coordinator_client.get(propose_url(program))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["mentee"].queryset) == [mentee]
    assert list(form.fields["mentor"].queryset) == [mentor]
    assert "Una Unready" not in response.content.decode()


def test_a_proposal_waits_for_both_sides(coordinator_client, coordinator, pool, mailoutbox):
    program, mentee, mentor = pool
    response = coordinator_client.post(
        propose_url(program), {"mentee": mentee.pk, "mentor": mentor.pk, "message": "Go!"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "matching:coordinator_requests", kwargs={"code": program.code}
    )
    proposal = MatchRequest.objects.get()
    assert (proposal.source, proposal.sender, proposal.sent_by) == (
        Source.COORDINATOR,
        Side.COORDINATOR,
        coordinator,
    )
    assert proposal.message == "Go!"
    assert proposal.awaits(Side.MENTOR) and proposal.awaits(Side.MENTEE)
    services.approve_request(proposal, by=mentor.user)
    proposal.refresh_from_db()
    assert proposal.is_pending
    assert services.approve_request(proposal, by=mentee.user).match is not None


def test_the_preview_scores_the_pair_without_proposing(coordinator_client, pool):
    program, mentee, mentor = pool
    response = coordinator_client.post(
        propose_url(program),
        {"mentee": mentee.pk, "mentor": mentor.pk, "message": "Keep me", "preview": "1"},
    )
    assert response.status_code == 200
    preview = response.context["preview"]
    assert 0 <= preview.score <= 100
    assert preview.reasons
    page = response.content.decode()
    assert "Keep me" in page  # what was typed is kept
    assert "How this pair scores" in page
    assert not MatchRequest.objects.exists()


def assert_refused(response, text):
    assert response.status_code == 200
    assert text in response.content.decode()
    assert not MatchRequest.objects.exists()


@pytest.mark.parametrize("field", ["mentee", "mentor"])
def test_crafted_ids_are_form_errors(coordinator_client, pool, world, field):
    program, mentee, mentor = pool
    ids = {"mentee": mentee.pk, "mentor": mentor.pk}
    for crafted in [world.outsider_participation.pk, "abc", 10**9, ""]:
        response = coordinator_client.post(propose_url(program), {**ids, field: crafted})
        assert response.status_code == 200
        assert response.context["form"].errors[field]
    # A mentor offered as a mentee, and the other way round.
    swapped = coordinator_client.post(
        propose_url(program), {"mentee": mentor.pk, "mentor": mentee.pk}
    )
    assert set(swapped.context["form"].errors) == {"mentee", "mentor"}
    assert not MatchRequest.objects.exists()


def test_withdrawn_and_paused_people_are_refused(coordinator_client, coordinator, pool):
    program, mentee, mentor = pool
    other_mentee = make_ready(program)
    programs.pause_participant(mentor, by=coordinator, reason="Holiday")
    response = coordinator_client.post(
        propose_url(program), {"mentee": mentee.pk, "mentor": mentor.pk}
    )
    assert response.context["form"].errors["mentor"]
    programs.resume_participant(mentor, by=coordinator)
    programs.withdraw_participant(other_mentee, by=coordinator, reason="Left")
    response = coordinator_client.post(
        propose_url(program), {"mentee": other_mentee.pk, "mentor": mentor.pk}
    )
    assert response.context["form"].errors["mentee"]
    assert not MatchRequest.objects.exists()


def test_a_person_cannot_be_proposed_to_themselves(coordinator_client, coordinator):
    program, _cycle = matching_program(coordinator, allow_dual_role=True)
    both = UserFactory(display_name="Dee Dual")
    as_mentee = make_ready(program, both)
    as_mentor = make_ready(program, both, role="mentor")
    response = coordinator_client.post(
        propose_url(program), {"mentee": as_mentee.pk, "mentor": as_mentor.pk}
    )
    assert_refused(response, "cannot be their own mentor")


def test_a_refusal_of_the_service_is_shown_with_what_was_typed(
    coordinator_client, coordinator, pool
):
    program, mentee, mentor = pool
    services.propose_match(mentor, mentee, by=coordinator)
    response = coordinator_client.post(
        propose_url(program), {"mentee": mentee.pk, "mentor": mentor.pk, "message": "Again"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "already waiting for an answer" in page
    assert "Again" in page
    assert MatchRequest.objects.count() == 1


def test_a_hard_rule_is_refused_and_explained_in_the_preview(coordinator_client, coordinator):
    program, _cycle = matching_program(coordinator)
    mentee = make_ready(program, languages=("fr",))
    mentor = make_ready(program, role="mentor", languages=("en",))
    preview = coordinator_client.post(
        propose_url(program), {"mentee": mentee.pk, "mentor": mentor.pk, "preview": "1"}
    )
    assert "no language in common" in preview.content.decode()
    response = coordinator_client.post(
        propose_url(program), {"mentee": mentee.pk, "mentor": mentor.pk}
    )
    assert_refused(response, "no language in common")


def test_people_of_different_cycles_are_refused(coordinator_client, coordinator, pool):
    program, mentee, mentor = pool
    autumn = make_cycle(program, coordinator, name="Autumn")
    Participant.objects.filter(pk=mentor.pk).update(cycle=autumn)
    response = coordinator_client.post(
        propose_url(program), {"mentee": mentee.pk, "mentor": mentor.pk}
    )
    assert_refused(response, "same cycle")


@pytest.mark.parametrize("role", ["staff_viewer", "other_coordinator", "participant"])
def test_only_coordinators_may_propose(client, world, role):
    client.force_login(world.users[role])
    assert client.get(propose_url(world.program)).status_code == 404
    assert client.post(propose_url(world.program), {}).status_code == 404
