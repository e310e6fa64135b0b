"""The inbox, one request's page, and answering it: approve, decline, withdraw, seen."""

import pytest
from django.urls import reverse

from matching import services as matching
from matching.models import Match, MatchRequest
from tests.factories import UserFactory
from tests.matching.builders import make_ready, matching_program

Status = MatchRequest.Status


@pytest.fixture
def sent(mentee, mentor):
    """Pat (mentee) asks Mona (mentor)."""
    return matching.send_request(mentee, mentor, by=mentee.user, message="Shall we?")


def url(name, match_request):
    return reverse(f"matching:{name}", kwargs={"code": match_request.code})


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# --- the request page ------------------------------------------------------------------


def test_the_receiver_sees_the_message_the_reasons_and_both_answers(client, sent, mentor):
    client.force_login(mentor.user)
    html = client.get(url("request", sent)).content.decode()
    assert "Pat Participant asks you for a match" in html
    assert "Shall we?" in html
    assert "You both speak English" in html
    assert url("request_approve", sent) in html
    assert url("request_decline", sent) in html
    assert url("request_withdraw", sent) not in html
    assert "Request sent" in html  # the timeline


def test_the_sender_may_only_withdraw(client, sent, mentee):
    client.force_login(mentee.user)
    html = client.get(url("request", sent)).content.decode()
    assert "Your request to Mona Mentor" in html
    assert url("request_withdraw", sent) in html
    assert url("request_approve", sent) not in html
    assert url("request_seen", sent) not in html


def test_opening_the_page_never_marks_it_seen(client, sent, mentor):
    client.force_login(mentor.user)
    html = client.get(url("request", sent)).content.decode()
    sent.refresh_from_db()
    assert sent.seen_at is None
    assert f'hx-post="{url("request_seen", sent)}"' in html
    assert 'hx-trigger="load"' in html


def test_seen_is_recorded_for_the_side_that_must_answer(client, sent, mentor):
    client.force_login(mentor.user)
    response = client.post(url("request_seen", sent), headers={"HX-Request": "true"})
    assert response.status_code == 204
    sent.refresh_from_db()
    assert sent.seen_at is not None
    html = client.get(url("request", sent)).content.decode()
    assert url("request_seen", sent) not in html


def test_seen_by_the_sender_changes_nothing(client, sent, mentee):
    client.force_login(mentee.user)
    response = client.post(url("request_seen", sent))
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.seen_at is None


@pytest.mark.parametrize("name", ["request", "request_seen"])
def test_strangers_and_coordinators_get_404(client, sent, stranger, coordinator, name):
    for person in (stranger, coordinator):
        client.force_login(person)
        response = (
            client.get(url(name, sent)) if name == "request" else client.post(url(name, sent))
        )
        assert response.status_code == 404


@pytest.mark.parametrize(
    "name", ["request_approve", "request_decline", "request_withdraw", "request_seen"]
)
def test_actions_refuse_get(client, sent, mentor, name):
    client.force_login(mentor.user)
    assert client.get(url(name, sent)).status_code == 405
    sent.refresh_from_db()
    assert (sent.status, sent.seen_at) == (Status.PENDING, None)


@pytest.mark.parametrize("name", ["request_approve", "request_decline", "request_withdraw"])
def test_actions_by_a_stranger_are_not_found(client, sent, stranger, name):
    client.force_login(stranger)
    assert client.post(url(name, sent)).status_code == 404
    sent.refresh_from_db()
    assert sent.status == Status.PENDING


# --- answering -------------------------------------------------------------------------


def test_approving_starts_the_match_and_opens_it(client, sent, mentor):
    client.force_login(mentor.user)
    response = client.post(url("request_approve", sent), follow=True)
    match = Match.objects.get()
    assert response.redirect_chain[-1][0] == url("match", match)
    assert "You are matched!" in response.content.decode()
    assert "Your match with Pat Participant" in response.content.decode()


def test_the_sender_cannot_approve_again(client, sent, mentee):
    client.force_login(mentee.user)
    response = client.post(url("request_approve", sent), follow=True)
    assert response.redirect_chain[-1][0] == url("request", sent)
    assert any("already approved" in message for message in messages_of(response))
    assert not Match.objects.exists()


def test_the_sender_cannot_decline(client, sent, mentee):
    client.force_login(mentee.user)
    response = client.post(url("request_decline", sent), {"reason": ""}, follow=True)
    assert any("withdraw it instead" in message for message in messages_of(response))
    sent.refresh_from_db()
    assert sent.status == Status.PENDING


def test_the_receiver_cannot_withdraw(client, sent, mentor):
    client.force_login(mentor.user)
    response = client.post(url("request_withdraw", sent), follow=True)
    assert any("Only the person who sent" in message for message in messages_of(response))
    sent.refresh_from_db()
    assert sent.status == Status.PENDING


def test_declining_records_the_reason_for_the_sender(client, sent, mentor, mentee):
    client.force_login(mentor.user)
    response = client.post(url("request_decline", sent), {"reason": "Too busy this month."})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert (sent.status, sent.close_reason) == (Status.DECLINED, "Too busy this month.")
    client.force_login(mentee.user)
    html = client.get(url("request", sent)).content.decode()
    assert "Too busy this month." in html
    assert url("request_withdraw", sent) not in html


def test_an_overlong_decline_reason_is_refused_and_kept(client, sent, mentor):
    client.force_login(mentor.user)
    reason = "No. " * 300
    response = client.post(url("request_decline", sent), {"reason": reason})
    assert response.status_code == 200
    assert reason.strip() in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == Status.PENDING


def test_answering_a_withdrawn_request_names_its_state(client, sent, mentee, mentor):
    client.force_login(mentee.user)
    client.post(url("request_withdraw", sent))
    sent.refresh_from_db()
    assert sent.status == Status.WITHDRAWN
    client.force_login(mentor.user)
    for name in ("request_approve", "request_decline"):
        response = client.post(url(name, sent), {"reason": ""}, follow=True)
        assert response.redirect_chain[-1][0] == url("request", sent)
        assert any("it is withdrawn" in message for message in messages_of(response))
    assert not Match.objects.exists()


def test_a_proposal_waits_for_both_sides(client, program, mentee, mentor, coordinator):
    proposal = matching.propose_match(mentor, mentee, by=coordinator, message="A good fit.")
    client.force_login(mentee.user)
    response = client.post(url("request_approve", proposal), follow=True)
    assert response.redirect_chain[-1][0] == url("request", proposal)
    assert "as soon as the other person approves" in response.content.decode()
    client.force_login(mentor.user)
    response = client.post(url("request_approve", proposal))
    assert response.url == url("match", Match.objects.get())


# --- the inbox ---------------------------------------------------------------------------


def inbox(client, participant):
    client.force_login(participant.user)
    response = client.get(reverse("matching:requests", kwargs={"code": participant.code}))
    assert response.status_code == 200
    return response


def test_the_inbox_counts_what_waits_for_an_answer(client, program, mentor):
    for n in range(2):
        asker = make_ready(program, UserFactory(display_name=f"Asker {n}"), role="mentee")
        matching.send_request(asker, mentor, by=asker.user)
    response = inbox(client, mentor)
    assert [r.mentee.user.display_name for r in response.context["awaiting"]] == [
        "Asker 0",
        "Asker 1",
    ]
    assert response.context["waiting"] == []
    html = response.content.decode()
    assert "Waiting for your answer" in html
    assert "Asker 0" in html and "Asker 1" in html


def test_the_sender_sees_sent_and_past_requests_with_their_state(client, program, sent, mentee):
    other = make_ready(program, UserFactory(display_name="Omar Other"), role="mentor")
    declined = matching.send_request(mentee, other, by=mentee.user)
    matching.decline_request(declined, by=other.user, reason="Not this time.")
    response = inbox(client, mentee)
    assert [r.code for r in response.context["waiting"]] == [sent.code]
    assert [r.code for r in response.context["past"]] == [declined.code]
    html = response.content.decode()
    assert "Sent, not seen yet" in html
    assert "Reply due by" in html
    assert "Not this time." in html


def test_someone_elses_inbox_is_not_found(client, mentee, stranger):
    client.force_login(stranger)
    response = client.get(reverse("matching:requests", kwargs={"code": mentee.code}))
    assert response.status_code == 404


# --- queries -----------------------------------------------------------------------------


@pytest.fixture
def crowd(program, mentor):
    def build(size):
        requests = []
        for n in range(size):
            asker = make_ready(program, UserFactory(display_name=f"Asker {n}"), role="mentee")
            requests.append(matching.send_request(asker, mentor, by=asker.user, message="Hi"))
        for request in requests[: size // 2]:
            matching.decline_request(request, by=mentor.user, reason="Full")
        return requests

    return build


@pytest.mark.parametrize("size", [3, 30])
def test_the_inbox_runs_a_fixed_number_of_queries(
    client, mentor, crowd, django_assert_max_num_queries, size
):
    crowd(size)
    client.force_login(mentor.user)
    address = reverse("matching:requests", kwargs={"code": mentor.code})
    # Session, user, navigation, participant, awaiting, waiting, past, matches.
    with django_assert_max_num_queries(8):
        assert client.get(address).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_the_request_page_runs_a_fixed_number_of_queries(
    client, mentor, crowd, django_assert_max_num_queries, size
):
    requests = crowd(size)
    client.force_login(mentor.user)
    # Session, user, navigation, request, events, then the pair's score (answers,
    # question pairs, topics, managers, past matches).
    for request in (requests[0], requests[-1]):
        with django_assert_max_num_queries(11):
            assert client.get(url("request", request)).status_code == 200


def test_the_home_page_says_which_requests_wait_for_an_answer(client, coordinator):
    program, _cycle = matching_program(coordinator)
    mentee = make_ready(program, UserFactory(display_name="Mia"))
    mentor = make_ready(program, UserFactory(display_name="Mona"), role="mentor")
    matching.send_request(mentee, mentor, by=mentee.user)
    client.force_login(mentor.user)
    html = client.get(reverse("home")).content.decode()
    assert "Match requests wait for your answer" in html
    assert reverse("matching:requests", kwargs={"code": mentor.code}) in html
    client.force_login(mentee.user)  # the sender: nothing waits for them
    assert "Match requests wait for your answer" not in client.get(reverse("home")).content.decode()
