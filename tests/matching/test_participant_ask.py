"""Asking for a match from a suggestion: the page, the form and its refusals."""

import uuid

import pytest
from django.urls import reverse

from matching.models import MatchRequest
from programs import services
from tests.matching.builders import make_ready


@pytest.fixture
def mentee_client(client, mentee):
    client.force_login(mentee.user)
    return client


def ask_url(participant, other_code):
    return reverse("matching:request_new", kwargs={"code": participant.code, "other": other_code})


def test_the_page_shows_the_person_the_reasons_and_the_form(mentee_client, mentee, mentor):
    response = mentee_client.get(ask_url(mentee, mentor.code))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ask Mona Mentor for a match" in html
    assert "You both speak English" in html
    assert 'name="message"' in html
    assert not MatchRequest.objects.exists()


def test_sending_creates_the_request_and_opens_it(mentee_client, mentee, mentor):
    response = mentee_client.post(ask_url(mentee, mentor.code), {"message": "Shall we?"})
    sent = MatchRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("matching:request", kwargs={"code": sent.code})
    assert (sent.mentor, sent.mentee, sent.message) == (mentor, mentee, "Shall we?")
    page = mentee_client.get(response.url).content.decode()
    assert "Your request is sent to Mona Mentor." in page


def test_an_overlong_message_is_refused_and_kept(mentee_client, mentee, mentor):
    message = "Hello " * 200
    response = mentee_client.post(ask_url(mentee, mentor.code), {"message": message})
    assert response.status_code == 200
    html = response.content.decode()
    assert "at most 1000 characters" in html
    assert message.strip() in html
    assert not MatchRequest.objects.exists()


def test_html_in_the_message_is_shown_escaped(mentee_client, mentee, mentor):
    mentee_client.post(ask_url(mentee, mentor.code), {"message": "<script>alert(1)</script>"})
    sent = MatchRequest.objects.get()
    html = mentee_client.get(reverse("matching:request", kwargs={"code": sent.code})).content
    assert b"<script>alert(1)</script>" not in html
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_someone_of_another_program_is_not_found(mentee_client, mentee, world):
    other = world.outsider_participation
    assert mentee_client.get(ask_url(mentee, other.code)).status_code == 404
    assert mentee_client.post(ask_url(mentee, other.code), {"message": ""}).status_code == 404


def test_someone_of_the_same_role_is_not_found(mentee_client, mentee, program):
    other = make_ready(program, role="mentee")
    assert mentee_client.get(ask_url(mentee, other.code)).status_code == 404
    assert mentee_client.post(ask_url(mentee, other.code)).status_code == 404


def test_an_unknown_code_is_not_found(mentee_client, mentee):
    assert mentee_client.get(ask_url(mentee, uuid.uuid4())).status_code == 404


def test_someone_who_left_is_not_found(mentee_client, mentee, mentor):
    services.withdraw_participant(mentor, by=mentor.user, reason="")
    assert mentee_client.get(ask_url(mentee, mentor.code)).status_code == 404
    assert mentee_client.post(ask_url(mentee, mentor.code)).status_code == 404


def test_a_paused_person_cannot_be_asked(mentee_client, mentee, mentor):
    services.pause_participant(mentor, by=mentor.user)
    page = mentee_client.get(ask_url(mentee, mentor.code)).content.decode()
    assert "Mona Mentor is not taking new matches at the moment." in page
    response = mentee_client.post(ask_url(mentee, mentor.code), {"message": "Hi"})
    assert response.status_code == 200
    assert "Mona Mentor is paused and cannot start a match." in response.content.decode()
    assert not MatchRequest.objects.exists()


def test_asking_where_mentors_ask_is_refused_clearly(mentee_client, mentee, mentor, program):
    program.request_initiator = "mentors"
    program.save(update_fields=["request_initiator"])
    page = mentee_client.get(ask_url(mentee, mentor.code)).content.decode()
    assert "In this program, the other side asks for a match." in page
    assert 'name="message"' not in page
    response = mentee_client.post(ask_url(mentee, mentor.code), {"message": "Hi"})
    assert response.status_code == 200
    assert "In this program, the other side asks for a match." in response.content.decode()
    assert not MatchRequest.objects.exists()


def test_asking_twice_points_to_the_waiting_request(mentee_client, mentee, mentor):
    mentee_client.post(ask_url(mentee, mentor.code), {"message": ""})
    page = mentee_client.get(ask_url(mentee, mentor.code)).content.decode()
    assert "already waiting for an answer" in page
    response = mentee_client.post(ask_url(mentee, mentor.code), {"message": ""})
    assert "already waiting for an answer" in response.content.decode()
    assert MatchRequest.objects.count() == 1


def test_someone_elses_participation_is_not_found(client, mentee, mentor, stranger):
    client.force_login(stranger)
    assert client.get(ask_url(mentee, mentor.code)).status_code == 404
