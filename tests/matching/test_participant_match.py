"""The match page: the partner, the dates, and nothing sensitive."""

import pytest
from django.urls import reverse

from matching import services as matching
from programs.models import Question
from tests.factories import UserFactory
from tests.matching.builders import make_ready


@pytest.fixture
def match(program, participant):
    mentee = make_ready(program, participant, role="mentee", topics=("Careers",))
    gender = Question.objects.get(program=program, role="mentor", label__icontains="gender")
    mentor = make_ready(
        program,
        UserFactory(display_name="Mona Mentor"),
        role="mentor",
        topics=("Careers", "Negotiation"),
        languages=("en", "fr"),
        extra={gender.pk: "A non-binary person"},
    )
    sent = matching.send_request(mentee, mentor, by=mentee.user)
    return matching.approve_request(sent, by=mentor.user).match


def match_url(match):
    return reverse("matching:match", kwargs={"code": match.code})


def test_the_mentee_sees_the_mentor_dates_and_topics(client, match, participant):
    client.force_login(participant)
    html = client.get(match_url(match)).content.decode()
    assert "Your match with Mona Mentor" in html
    assert "Your mentor" in html
    assert "Leaders of tomorrow" in html
    assert "Careers, Negotiation" in html
    assert "English, French" in html
    assert "non-binary" not in html
    assert "workspace" in html


def test_the_mentor_sees_the_mentee(client, match):
    client.force_login(match.mentor.user)
    html = client.get(match_url(match)).content.decode()
    assert "Your match with Pat Participant" in html
    assert "Your mentee" in html


def test_strangers_and_coordinators_get_404(client, match, stranger, coordinator):
    for person in (stranger, coordinator):
        client.force_login(person)
        assert client.get(match_url(match)).status_code == 404


def test_the_page_runs_a_fixed_number_of_queries(
    client, match, participant, django_assert_max_num_queries
):
    client.force_login(participant)
    # Session, user, navigation, match with both people, the partner's answers.
    with django_assert_max_num_queries(5):
        assert client.get(match_url(match)).status_code == 200
