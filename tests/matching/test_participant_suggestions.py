"""The participant's suggestions page: ranked people, the reasons, and its states."""

import pytest
from django.urls import reverse

from matching import services as matching
from matching.suggestions import forget_tables
from programs import services
from programs.models import Question
from tests.factories import UserFactory
from tests.matching.builders import answer_everything, make_ready

ALL_TOPICS = ("Negotiation", "Public speaking", "Careers")


@pytest.fixture
def mentee(program, participant):
    return make_ready(program, participant, role="mentee", topics=ALL_TOPICS)


def mentor(program, name, **answers):
    return make_ready(program, UserFactory(display_name=name), role="mentor", **answers)


def suggestions_url(participant):
    return reverse("matching:suggestions", kwargs={"code": participant.code})


def page_of(client, participant):
    client.force_login(participant.user)
    response = client.get(suggestions_url(participant))
    assert response.status_code == 200
    return response.content.decode()


def test_it_ranks_mentors_by_fit_and_says_why(client, program, mentee):
    mentor(program, "Ona One", topics=("Careers",))
    mentor(program, "Tia Three", topics=ALL_TOPICS)
    html = page_of(client, mentee)
    assert html.index("Tia Three") < html.index("Ona One")
    assert "3 topics in common: Careers, Negotiation, Public speaking" in html
    assert "1 topic in common: Careers" in html
    assert "You both speak English" in html
    assert "Fit " in html and "/100" in html
    assert "free places" in html
    assert "Ask for a match" in html


def test_it_explains_the_fair_spread_to_mentees(client, program, mentee):
    mentor(program, "Ona One")
    html = page_of(client, mentee)
    assert "How this list is ordered" in html
    assert "The score shown is never changed" in html


def test_it_never_shows_a_sensitive_answer(client, program, mentee):
    gender = Question.objects.get(program=program, role="mentor", label__icontains="gender")
    preference = Question.objects.get(program=program, role="mentee", label__icontains="gender")
    person = mentor(program, "Gwen Garcia", extra={gender.pk: "A non-binary person"})
    answer_everything(mentee, topics=ALL_TOPICS, extra={preference.pk: "A non-binary person"})
    assert person.answers.filter(question=gender, value="A non-binary person").exists()
    html = page_of(client, mentee)
    assert "Gwen Garcia" in html
    assert "non-binary" not in html
    assert "gender" not in html.lower()
    assert "kept private" in html


def test_mentors_see_the_mentees_who_would_fit(client, program, mentee):
    person = mentor(program, "Ona One")
    html = page_of(client, person)
    assert "Mentees who would fit" in html
    assert "Pat Participant" in html
    assert "How this list is ordered" not in html


def test_a_pending_request_replaces_the_ask_button(client, program, mentee):
    person = mentor(program, "Ona One")
    sent = matching.send_request(mentee, person, by=mentee.user)
    html = page_of(client, mentee)
    assert "Request sent — reply due by" in html
    assert reverse("matching:request", kwargs={"code": sent.code}) in html
    assert (
        reverse("matching:request_new", kwargs={"code": mentee.code, "other": person.code})
        not in html
    )


def test_the_receiver_is_offered_to_answer_instead(client, program, mentee):
    person = mentor(program, "Ona One")
    matching.send_request(mentee, person, by=mentee.user)
    assert "Answer Pat Participant" in page_of(client, person)


def test_it_says_who_asks_when_the_program_lets_only_mentors_ask(client, program, mentee):
    program.request_initiator = "mentors"
    program.save(update_fields=["request_initiator"])
    mentor(program, "Ona One")
    html = page_of(client, mentee)
    assert "In this program, mentors ask for a match" in html
    assert "Ask for a match</a>" not in html


def test_a_person_not_yet_ready_is_told_what_to_do(client, program, participant):
    unready = services.join_program(program, participant, role="mentee", age_confirmed=True)
    html = page_of(client, unready)
    assert "You are not ready to be matched yet." in html


def test_a_paused_person_is_told_so(client, program, mentee):
    services.pause_participant(mentee, by=mentee.user)
    mentee.refresh_from_db()
    assert "Your participation is paused." in page_of(client, mentee)


def test_a_matched_mentee_gets_a_link_to_the_match(client, program, mentee):
    person = mentor(program, "Ona One")
    sent = matching.send_request(mentee, person, by=mentee.user)
    match = matching.approve_request(sent, by=person.user).match
    mentee.refresh_from_db()
    html = page_of(client, mentee)
    assert "You already have a mentor" in html
    assert reverse("matching:match", kwargs={"code": match.code}) in html


def test_nobody_to_suggest_is_said_plainly(client, program, mentee):
    assert "Nobody fits yet." in page_of(client, mentee)


def test_another_persons_suggestions_are_not_found(client, program, mentee, stranger):
    client.force_login(stranger)
    assert client.get(suggestions_url(mentee)).status_code == 404


@pytest.mark.parametrize("size", [3, 30])
def test_the_page_runs_a_fixed_number_of_queries(
    client, program, mentee, django_assert_max_num_queries, size
):
    people = [mentor(program, f"Mentor {n}") for n in range(size)]
    for person in people[:2]:
        matching.send_request(mentee, person, by=mentee.user)
    client.force_login(mentee.user)
    forget_tables()
    # A cold cache reads and scores the whole pool, in a fixed number of queries too.
    with django_assert_max_num_queries(20):
        assert client.get(suggestions_url(mentee)).status_code == 200
    # Warm: session, user, navigation, participant, matches, demand, requests, open count.
    with django_assert_max_num_queries(8):
        assert client.get(suggestions_url(mentee)).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_a_mentors_page_runs_a_fixed_number_of_queries(
    client, program, django_assert_max_num_queries, size
):
    person = mentor(program, "Ona One")
    for n in range(size):
        asker = make_ready(program, UserFactory(display_name=f"Mentee {n}"), role="mentee")
        if n % 2:
            matching.send_request(asker, person, by=asker.user)
    client.force_login(person.user)
    client.get(suggestions_url(person))  # warm the score table
    with django_assert_max_num_queries(8):
        assert client.get(suggestions_url(person)).status_code == 200
