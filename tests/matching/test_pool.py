"""Hard rules of the pool, from real questionnaire answers."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from matching import pool as pool_module
from matching import reasons, scoring, services
from matching.models import Match
from matching.services import MatchingError
from programs import services as programs
from programs.models import Participant
from tests.factories import UserFactory
from tests.matching.builders import make_ready, matching_program
from tests.programs.builders import enrol

State = Participant.State


def mentor_of(program, name="Mia Mentor", *, email=None, capacity=2, **answers):
    user = UserFactory(display_name=name, **({"email": email} if email else {}))
    return make_ready(program, user, role="mentor", capacity=capacity, **answers)


def mentee_of(program, name="Theo Mentee", **answers):
    return make_ready(program, UserFactory(display_name=name), role="mentee", **answers)


def set_details(participant, **details):
    Participant.objects.filter(pk=participant.pk).update(**details)
    participant.refresh_from_db()
    return participant


def match_with(mentor, mentee):
    request = services.send_request(mentee, mentor, by=mentee.user)
    return services.approve_request(request, by=mentor.user).match


def refusal(program, mentee, mentor):
    mentee.refresh_from_db()
    mentor.refresh_from_db()
    return pool_module.pair_refusal(program, mentee, mentor)


def mentor_ids_in_pool(program):
    cycle_id = program.cycles.get().pk
    return set(pool_module.mentors_in_pool(program.pk, cycle_id).values_list("pk", flat=True))


def test_a_pair_with_no_common_language_is_removed(program):
    mentor = mentor_of(program, languages=("fr",))
    mentee = mentee_of(program, languages=("en",))
    bilingual = mentor_of(program, "Bea Bilingual", languages=("fr", "en"))

    assert refusal(program, mentee, mentor) == "languages"
    assert refusal(program, mentee, bilingual) is None
    pool, _people = pool_module.build_pool(program, [mentee], [mentor, bilingual])
    assert not scoring.allowed(pool)[0, 0] and scoring.allowed(pool)[0, 1]
    assert scoring.score_matrix(pool)[0, 0] == -float("inf")
    with pytest.raises(MatchingError, match="These two people have no language in common."):
        services.send_request(mentee, mentor, by=mentee.user)


def test_the_mentees_manager_is_removed(program):
    manager = mentor_of(program, "Max Manager", email="max@example.org")
    mentee = set_details(mentee_of(program), manager_email="max@example.org")

    assert refusal(program, mentee, manager) == "conflict"
    with pytest.raises(MatchingError, match="one of them manages the other"):
        services.send_request(mentee, manager, by=mentee.user)


def test_the_managers_manager_is_removed_but_not_a_third_level(program):
    grand = mentor_of(program, "Gina Grandboss", email="gina@example.org")
    great = mentor_of(program, "Greg Greatboss", email="greg@example.org")
    # The manager takes part too; their own manager is on their participation.
    set_details(
        enrol(program, UserFactory(email="max@example.org"), role="mentee"),
        manager_email="gina@example.org",
    )
    set_details(grand, manager_email="greg@example.org")
    mentee = set_details(mentee_of(program), manager_email="max@example.org")

    assert refusal(program, mentee, grand) == "conflict"
    assert refusal(program, mentee, great) is None


def test_the_same_team_is_removed_only_when_the_program_says_so(program, coordinator):
    mentor = set_details(mentor_of(program), department="Finance")
    mentee = set_details(mentee_of(program), department=" finance ")

    assert refusal(program, mentee, mentor) is None

    programs.update_program(program, by=coordinator, avoid_same_team=True)
    program.refresh_from_db()
    assert refusal(program, mentee, mentor) == "same_team"
    with pytest.raises(MatchingError, match="does not pair people from the same team"):
        services.send_request(mentee, mentor, by=mentee.user)
    other_team = set_details(mentor_of(program, "Olli Other"), department="Sales")
    assert refusal(program, mentee, other_team) is None


def _past_match(program, mentee, mentor, *, mentor_again, mentee_again):
    today = timezone.now().date()
    return Match.objects.create(
        program=program,
        cycle=mentee.cycle,
        mentor=mentor,
        mentee=mentee,
        status=Match.Status.COMPLETED,
        started_on=today - timedelta(weeks=12),
        ends_on=today - timedelta(weeks=2),
        ended_at=timezone.now() - timedelta(weeks=2),
        mentor_asks_again=mentor_again,
        mentee_asks_again=mentee_again,
    )


@pytest.mark.parametrize(
    ("mentor_again", "mentee_again", "removed"),
    [(False, False, True), (True, False, True), (False, True, True), (True, True, False)],
)
def test_a_previous_match_removes_the_pair_unless_both_ask_again(
    program, mentor_again, mentee_again, removed
):
    mentor, mentee = mentor_of(program), mentee_of(program)
    _past_match(program, mentee, mentor, mentor_again=mentor_again, mentee_again=mentee_again)

    assert refusal(program, mentee, mentor) == ("conflict" if removed else None)
    if removed:
        with pytest.raises(MatchingError, match="already matched in this program"):
            services.send_request(mentee, mentor, by=mentee.user)
    else:
        assert services.send_request(mentee, mentor, by=mentee.user).is_pending


def test_a_previous_match_in_another_program_does_not_count(program, coordinator):
    other_program, _cycle = matching_program(coordinator, name="Other program")
    mentor, mentee = mentor_of(program), mentee_of(program)
    elsewhere_mentor = make_ready(other_program, mentor.user, role="mentor")
    elsewhere_mentee = make_ready(other_program, mentee.user, role="mentee")
    _past_match(
        other_program, elsewhere_mentee, elsewhere_mentor, mentor_again=False, mentee_again=False
    )

    assert refusal(program, mentee, mentor) is None


def test_paused_full_and_unready_mentors_are_not_in_the_pool(program):
    ready = mentor_of(program, "Rita Ready")
    paused = mentor_of(program, "Paul Paused")
    programs.pause_participant(paused, by=paused.user)
    full = mentor_of(program, "Fay Full", capacity=1)
    match_with(full, mentee_of(program, "Ann"))
    unready = enrol(program, UserFactory(), role="mentor")
    matched_with_room = mentor_of(program, "Mo Room", capacity=2)
    match_with(matched_with_room, mentee_of(program, "Ben"))

    assert unready.state == State.ENROLLED
    assert mentor_ids_in_pool(program) == {ready.pk, matched_with_room.pk}


def test_matched_paused_and_unready_mentees_are_not_in_the_pool(program):
    mentor = mentor_of(program, capacity=3)
    waiting = mentee_of(program, "Wes Waiting")
    matched = mentee_of(program, "Mat Matched")
    match_with(mentor, matched)
    paused = mentee_of(program, "Pia Paused")
    programs.pause_participant(paused, by=paused.user)
    enrol(program, UserFactory(), role="mentee")

    cycle_id = program.cycles.get().pk
    in_pool = pool_module.mentees_in_pool(program.pk, cycle_id)
    assert set(in_pool.values_list("pk", flat=True)) == {waiting.pk}


def test_asking_a_paused_or_full_mentor_is_refused_with_a_readable_message(program):
    paused = mentor_of(program, "Paul Paused")
    programs.pause_participant(paused, by=paused.user)
    full = mentor_of(program, "Fay Full", capacity=1)
    match_with(full, mentee_of(program, "Ann"))
    mentee = mentee_of(program)

    with pytest.raises(MatchingError, match="Paul Paused is paused and cannot start a match."):
        services.send_request(mentee, paused, by=mentee.user)
    with pytest.raises(MatchingError, match="Fay Full has no free places left."):
        services.send_request(mentee, full, by=mentee.user)


def test_asking_a_mentor_who_is_not_ready_is_refused(program):
    unready = enrol(program, UserFactory(display_name="Una Unready"), role="mentor")
    mentee = mentee_of(program)

    with pytest.raises(MatchingError, match="Una Unready is enrolled and cannot start a match."):
        services.send_request(mentee, unready, by=mentee.user)


# Monday 16:00 and 17:00 in Tokyo are 07:00 and 08:00 UTC; in January Paris is UTC+1.
TOKYO_AFTERNOON = ["0-16", "0-17"]
PARIS_MORNING = ["0-8", "0-9", "0-10"]


@time_machine.travel(datetime(2025, 1, 15, 9, 0, tzinfo=UTC), tick=False)
def test_availability_overlaps_across_time_zones_and_is_told_in_your_time(coordinator):
    program, _cycle = matching_program(coordinator)
    mentor = make_ready(
        program,
        UserFactory(time_zone="Asia/Tokyo"),
        role="mentor",
        slots=TOKYO_AFTERNOON,
    )
    mentee = make_ready(
        program, UserFactory(time_zone="Europe/Paris"), role="mentee", slots=PARIS_MORNING
    )

    pool, people = pool_module.build_pool(program, [mentee], [mentor])
    availability = next(c for c in pool.criteria if c.key == "availability")
    overlap = availability.mentee[0] & availability.mentor[0]
    assert sorted(int(hour) for hour in overlap.nonzero()[0]) == [7, 8]  # Monday, UTC

    contributions = scoring.explain(pool, 0, 0)
    hours = next(c for c in contributions if c.key == "availability")
    assert hours.hours == (7, 8)
    as_mentee = reasons.describe(
        contributions, viewer=mentee.user, as_mentor=False, pairs=people.pairs
    )
    as_mentor = reasons.describe(
        contributions, viewer=mentor.user, as_mentor=True, pairs=people.pairs
    )
    assert "You overlap 2 hours a week: Monday mornings, your time" in [r.text for r in as_mentee]
    assert "You overlap 2 hours a week: Monday afternoons, your time" in [r.text for r in as_mentor]


@time_machine.travel(datetime(2025, 1, 15, 9, 0, tzinfo=UTC), tick=False)
def test_the_same_local_hours_in_distant_zones_do_not_overlap(coordinator):
    program, _cycle = matching_program(coordinator)
    mentor = make_ready(
        program, UserFactory(time_zone="Asia/Tokyo"), role="mentor", slots=["0-18", "0-19"]
    )
    mentee = make_ready(
        program, UserFactory(time_zone="Europe/Paris"), role="mentee", slots=["0-18", "0-19"]
    )

    pool, people = pool_module.build_pool(program, [mentee], [mentor])
    contributions = scoring.explain(pool, 0, 0)
    hours = next(c for c in contributions if c.key == "availability")
    assert hours.hours == ()
    texts = [
        r.text
        for r in reasons.describe(
            contributions, viewer=mentee.user, as_mentor=False, pairs=people.pairs
        )
    ]
    assert "No free hour in common in a usual week" in texts
