"""Ranked suggestions: order by score, fair spread of popular mentors, a cached score table."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching import services, suggestions
from matching.suggestions import suggestions_for
from programs import services as programs
from programs.models import Participant, Question
from tests.factories import UserFactory
from tests.matching.builders import make_ready


def mentor_of(program, name, *, capacity=2, **answers):
    user = UserFactory(display_name=name)
    return make_ready(program, user, role="mentor", capacity=capacity, **answers)


def mentee_of(program, name="Theo Mentee", **answers):
    return make_ready(program, UserFactory(display_name=name), role="mentee", **answers)


def reloaded(participant):
    """The participant as a page would load it, with the program's current pool version."""
    return Participant.objects.select_related("program", "user").get(pk=participant.pk)


def names(suggestion_list):
    return [s.person.user.display_name for s in suggestion_list.suggestions]


def test_mentors_are_ranked_by_score(program):
    mentee = mentee_of(program, topics=("Negotiation", "Careers"))
    mentor_of(program, "One topic", topics=("Careers",))
    mentor_of(program, "No topic", topics=("Public speaking",))
    mentor_of(program, "Two topics", topics=("Negotiation", "Careers"))

    found = suggestions_for(reloaded(mentee))

    assert found.in_pool and found.pool_size == 3
    assert names(found) == ["Two topics", "One topic", "No topic"]
    scores = [s.score for s in found.suggestions]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1] > scores[2]
    assert all(s.free_places == 2 and s.requested is None for s in found.suggestions)


def test_mentees_are_ranked_by_score_for_a_mentor(program):
    mentor = mentor_of(program, "Mia Mentor", topics=("Negotiation", "Careers"))
    mentee_of(program, "Far", topics=("Public speaking",))
    mentee_of(program, "Close", topics=("Negotiation", "Careers"))

    found = suggestions_for(reloaded(mentor))

    assert names(found) == ["Close", "Far"]
    assert all(s.free_places is None for s in found.suggestions)


def test_someone_out_of_the_pool_gets_no_suggestions(program):
    mentee = mentee_of(program)
    mentor_of(program, "Mia Mentor")
    programs.pause_participant(mentee, by=mentee.user)

    found = suggestions_for(reloaded(mentee))

    assert not found.in_pool and found.suggestions == []


def test_a_mentor_with_one_free_place_and_pending_requests_drops_below_an_equal_one(program):
    # Five mentors the requesters prefer, so that only our mentee counts either of the
    # two equal mentors among their five best: the pending requests make the difference.
    for n in range(5):
        mentor_of(program, f"Careers mentor {n}", topics=("Careers",))
    popular = mentor_of(program, "Pat Popular", capacity=1, topics=("Negotiation",))
    roomy = mentor_of(program, "Ray Roomy", capacity=2, topics=("Negotiation",))
    mentee = mentee_of(program, topics=("Negotiation",))
    requesters = [mentee_of(program, f"Requester {n}", topics=("Careers",)) for n in range(2)]

    before = suggestions_for(reloaded(mentee))
    assert names(before)[:2] == ["Pat Popular", "Ray Roomy"]  # equal scores, older first
    equal_score = before.suggestions[0].score
    assert before.suggestions[1].score == equal_score

    for requester in requesters:
        services.send_request(requester, popular, by=requester.user)
    after = suggestions_for(reloaded(mentee))

    order = names(after)
    assert order[0] == "Ray Roomy"
    assert order.index("Pat Popular") > order.index("Ray Roomy")
    shown = {s.person.pk: s for s in after.suggestions}
    assert shown[popular.pk].score == shown[roomy.pk].score == equal_score
    assert (shown[popular.pk].free_places, shown[roomy.pk].free_places) == (1, 2)


def test_the_score_table_is_cached_until_the_pool_changes(program):
    mentee = mentee_of(program, topics=("Negotiation",))
    mentor = mentor_of(program, "Mia Mentor", topics=("Careers",))
    mentor_of(program, "Ned Negotiator", topics=("Negotiation",))

    with CaptureQueriesContext(connection) as first:
        found = suggestions_for(reloaded(mentee))
    with CaptureQueriesContext(connection) as second:
        again = suggestions_for(reloaded(mentee))

    assert len(second) < len(first)
    assert names(again) == names(found) == ["Ned Negotiator", "Mia Mentor"]
    table = suggestions.table_for(reloaded(mentee).program, mentee.cycle_id)
    version = reloaded(mentee).program.pool_version

    # Mia now offers Negotiation too, and more: the pool changes, the table is recomputed.
    topics = Question.objects.for_role(program, "mentor").get(kind="topics")
    programs.save_answers(
        mentor, {topics.pk: ["Negotiation", "Careers"]}, by=mentor.user, submit=True
    )
    assert reloaded(mentee).program.pool_version > version
    with CaptureQueriesContext(connection) as third:
        changed = suggestions_for(reloaded(mentee))

    assert len(third) > len(second)
    assert suggestions.table_for(reloaded(mentee).program, mentee.cycle_id) is not table
    assert names(changed) == ["Mia Mentor", "Ned Negotiator"]


def test_a_cached_table_runs_a_fixed_number_of_queries(program, django_assert_num_queries):
    mentee = mentee_of(program)
    for n in range(3):
        mentor_of(program, f"Mentor {n}")
    suggestions_for(reloaded(mentee))
    page_mentee = reloaded(mentee)

    # Pending demand and the pending requests to the people shown.
    with django_assert_num_queries(2):
        suggestions_for(page_mentee)


def test_a_starting_match_moves_the_pool_and_leaves_the_full_mentor_out(program):
    full = mentor_of(program, "Fay Full", capacity=1)
    mentor_of(program, "Ola Other")
    mentee, other = mentee_of(program), mentee_of(program, "Ann")
    assert "Fay Full" in names(suggestions_for(reloaded(mentee)))

    services.approve_request(services.send_request(other, full, by=other.user), by=full.user)

    assert names(suggestions_for(reloaded(mentee))) == ["Ola Other"]


def test_a_pending_request_is_shown_on_the_suggestion(program):
    mentor = mentor_of(program, "Mia Mentor")
    mentee = mentee_of(program)
    request = services.send_request(mentee, mentor, by=mentee.user)

    found = suggestions_for(reloaded(mentee))

    assert found.suggestions[0].requested == request
