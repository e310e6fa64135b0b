"""The mentoring agreement: revisions, their history, and who confirms what."""

import pytest
from django.urls import reverse

from journals.errors import JournalError
from journals.models import Agreement
from journals.services.agreement import confirm_agreement, record_agreement
from matching import services as matching
from tests.factories import UserFactory
from tests.journals.builders import active_match

pytestmark = pytest.mark.django_db

TERMS = {"frequency": "fortnightly", "mode": "video", "channel": "messages"}


@pytest.fixture
def match(coordinator):
    return active_match(coordinator)


def write(match, user, goals=("Speak up in meetings",), **changes):
    return record_agreement(match, by=user, goals=list(goals), **{**TERMS, **changes})


def end(match, coordinator):
    return matching.end_match(match, by=coordinator, reason="Moved abroad.")


def agreement_url(match):
    return reverse("journals:agreement", kwargs={"code": match.code})


def confirm_url(match):
    return reverse("journals:agreement_confirm", kwargs={"code": match.code})


def form_data(*goals, **changes):
    data = {**TERMS, "notes": "", "goal_1": "", "goal_2": "", "goal_3": ""}
    for number, goal in enumerate(goals, start=1):
        data[f"goal_{number}"] = goal
    return {**data, **changes}


# --- the services -----------------------------------------------------------------------


def test_the_writers_side_is_confirmed_at_once_and_the_other_side_is_not(match):
    agreement = write(match, match.mentee.user)
    assert agreement.revision == 1
    assert agreement.mentee_confirmed_at is not None
    assert agreement.mentor_confirmed_at is None
    assert not agreement.is_confirmed
    assert agreement.written_by == match.mentee.user


def test_each_change_is_a_new_revision_and_earlier_ones_stay(match):
    first = write(match, match.mentee.user)
    second = write(match, match.mentor.user, goals=["Plan a career move"], frequency="monthly")
    assert second.revision == 2
    assert second.mentor_confirmed_at is not None and second.mentee_confirmed_at is None
    assert list(match.agreements.values_list("revision", flat=True)) == [2, 1]
    first.refresh_from_db()
    assert first.goals == ["Speak up in meetings"]


def test_goals_are_stripped_and_blank_ones_dropped(match):
    agreement = write(match, match.mentee.user, goals=["  Listen  ", "", "   ", "Ask"])
    assert agreement.goals == ["Listen", "Ask"]


@pytest.mark.parametrize(
    ("goals", "message"),
    [
        ([], "Write at least one goal."),
        (["  "], "Write at least one goal."),
        (["a", "b", "c", "d"], "Agree on 3 goals at most."),
        (["x" * 301], "Keep each goal under 300 characters."),
    ],
)
def test_it_refuses_goals_outside_the_rules(match, goals, message):
    with pytest.raises(JournalError) as refusal:
        write(match, match.mentee.user, goals=goals)
    assert refusal.value.message == message
    assert refusal.value.field == "goals"
    assert not Agreement.objects.exists()


def test_a_goal_of_300_characters_is_accepted(match):
    assert write(match, match.mentee.user, goals=["x" * 300]).goals == ["x" * 300]


@pytest.mark.parametrize("field", ["frequency", "mode", "channel"])
def test_it_refuses_a_choice_that_does_not_exist(match, field):
    with pytest.raises(JournalError) as refusal:
        write(match, match.mentee.user, **{field: "daily-ish"})
    assert refusal.value.field == field


def test_the_other_side_confirms_the_latest_revision(match):
    agreement = confirm_agreement(write(match, match.mentee.user), by=match.mentor.user)
    assert agreement.is_confirmed
    agreement.refresh_from_db()
    assert agreement.mentor_confirmed_at is not None


def test_the_writer_cannot_confirm_their_own_revision(match):
    agreement = write(match, match.mentee.user)
    with pytest.raises(JournalError, match="You wrote this revision"):
        confirm_agreement(agreement, by=match.mentee.user)


def test_a_revision_is_confirmed_once(match):
    agreement = confirm_agreement(write(match, match.mentee.user), by=match.mentor.user)
    with pytest.raises(JournalError, match="You already confirmed this revision."):
        confirm_agreement(agreement, by=match.mentor.user)


def test_an_older_revision_cannot_be_confirmed(match):
    first = write(match, match.mentee.user)
    write(match, match.mentee.user, goals=["Something else"])
    with pytest.raises(JournalError, match="revision 2 replaced it"):
        confirm_agreement(first, by=match.mentor.user)
    first.refresh_from_db()
    assert first.mentor_confirmed_at is None


def test_a_coordinator_can_neither_write_nor_confirm(match, coordinator):
    with pytest.raises(JournalError, match="Only the two people of the match"):
        write(match, coordinator)
    agreement = write(match, match.mentee.user)
    with pytest.raises(JournalError, match="Only the two people of the match"):
        confirm_agreement(agreement, by=coordinator)


def test_a_stranger_can_neither_write_nor_confirm(match):
    stranger = UserFactory()
    with pytest.raises(JournalError):
        write(match, stranger)
    agreement = write(match, match.mentee.user)
    with pytest.raises(JournalError):
        confirm_agreement(agreement, by=stranger)


def test_an_ended_match_refuses_writing_and_confirming(match, coordinator):
    agreement = write(match, match.mentee.user)
    end(match, coordinator)
    match.refresh_from_db()
    with pytest.raises(JournalError, match="This match has ended."):
        write(match, match.mentor.user)
    with pytest.raises(JournalError, match="This match has ended."):
        confirm_agreement(agreement, by=match.mentor.user)


# --- the page ---------------------------------------------------------------------------


def test_the_page_shows_the_latest_revision_and_the_history(client, match):
    write(match, match.mentee.user, goals=["Old goal"])
    confirm_agreement(
        write(match, match.mentee.user, goals=["Negotiate a raise", "<b>Bold</b> moves"]),
        by=match.mentor.user,
    )
    client.force_login(match.mentor.user)
    html = client.get(agreement_url(match)).content.decode()
    assert "Negotiate a raise" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; moves" in html
    assert "Every two weeks" in html and "Video call" in html
    assert "Confirmed by both" in html
    assert "Version 2" in html and "Version 1" in html and "Old goal" in html
    assert "written by Mia Mentee" in html


def test_the_form_is_prefilled_from_the_latest_revision(client, match):
    write(match, match.mentee.user, goals=["Negotiate a raise"], mode="phone")
    client.force_login(match.mentor.user)
    form = client.get(agreement_url(match)).context["form"]
    assert form["goal_1"].value() == "Negotiate a raise"
    assert form["mode"].value() == "phone"


def test_posting_the_form_records_a_revision_for_the_partner_to_confirm(client, match):
    client.force_login(match.mentor.user)
    response = client.post(agreement_url(match), form_data("Build a network", "", "Read more"))
    assert response.status_code == 302
    agreement = Agreement.objects.get(match=match)
    assert agreement.goals == ["Build a network", "Read more"]
    assert agreement.mentor_confirmed_at is not None
    client.force_login(match.mentee.user)
    html = client.get(agreement_url(match)).content.decode()
    assert "Waiting for Mia Mentee to confirm" in html
    assert "I agree: confirm this version" in html


def test_an_invalid_form_keeps_what_was_typed(client, match):
    client.force_login(match.mentor.user)
    too_long = "y" * 301
    response = client.post(agreement_url(match), form_data("Keep this", too_long))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Keep this" in html and too_long in html
    assert response.context["form"].errors["goal_2"]
    assert not Agreement.objects.exists()


def test_a_form_without_goals_is_refused_next_to_the_first_goal(client, match):
    client.force_login(match.mentor.user)
    response = client.post(agreement_url(match), form_data(notes="Just notes"))
    assert response.context["form"].errors["goal_1"] == ["Write at least one goal."]
    assert "Just notes" in response.content.decode()


def test_the_partner_confirms_through_the_page(client, match):
    write(match, match.mentee.user)
    client.force_login(match.mentor.user)
    response = client.post(confirm_url(match), {"revision": "1"}, follow=True)
    assert "You confirmed the agreement." in response.content.decode()
    assert Agreement.objects.get().is_confirmed


def test_confirming_a_replaced_revision_through_the_page_says_why(client, match):
    write(match, match.mentee.user)
    write(match, match.mentee.user, goals=["New"])
    client.force_login(match.mentor.user)
    response = client.post(confirm_url(match), {"revision": "1"}, follow=True)
    assert "revision 2 replaced it" in response.content.decode()


@pytest.mark.parametrize("revision", ["", "abc", "99", "-1", "9" * 40])
def test_confirming_a_revision_that_does_not_exist_is_refused_with_a_message(
    client, match, revision
):
    write(match, match.mentee.user)
    client.force_login(match.mentor.user)
    response = client.post(confirm_url(match), {"revision": revision}, follow=True)
    assert response.status_code == 200
    assert "There is no such revision of the agreement." in response.content.decode()


def test_a_coordinator_reads_without_forms_and_their_posts_are_refused(client, match, coordinator):
    write(match, match.mentee.user, goals=["Negotiate a raise"])
    client.force_login(coordinator)
    response = client.get(agreement_url(match))
    html = response.content.decode()
    assert response.status_code == 200 and "Negotiate a raise" in html
    assert response.context["form"] is None and '<form method="post" action="/journals' not in html
    response = client.post(agreement_url(match), form_data("Mine"), follow=True)
    assert "Only the two people of the match can do this." in response.content.decode()
    response = client.post(confirm_url(match), {"revision": "1"}, follow=True)
    assert "Only the two people of the match can do this." in response.content.decode()
    assert Agreement.objects.count() == 1


def test_after_the_end_the_page_is_readable_and_posts_are_refused(client, match, coordinator):
    write(match, match.mentee.user, goals=["Negotiate a raise"])
    end(match, coordinator)
    client.force_login(match.mentor.user)
    response = client.get(agreement_url(match))
    html = response.content.decode()
    assert "Negotiate a raise" in html and "This match has ended." in html
    assert response.context["form"] is None and not response.context["may_confirm"]
    for url, data in [(agreement_url(match), form_data("Late")), (confirm_url(match), {})]:
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert "This match has ended." in response.content.decode()
    assert Agreement.objects.count() == 1


@pytest.mark.parametrize("who", ["stranger", "other_coordinator", "staff_viewer"])
def test_anyone_else_gets_404_on_every_url(client, match, request, who):
    write(match, match.mentee.user)
    client.force_login(request.getfixturevalue(who))
    assert client.get(agreement_url(match)).status_code == 404
    assert client.post(agreement_url(match), form_data("Mine")).status_code == 404
    assert client.post(confirm_url(match), {"revision": "1"}).status_code == 404
    assert Agreement.objects.get().goals == ["Speak up in meetings"]


@pytest.mark.parametrize("revisions", [1, 15])
@pytest.mark.parametrize("side", ["mentee", "coordinator"])
def test_the_page_runs_a_fixed_number_of_queries(
    client, match, coordinator, django_assert_max_num_queries, revisions, side
):
    for number in range(revisions):
        write(match, match.mentee.user, goals=[f"Goal {number}"])
    client.force_login(coordinator if side == "coordinator" else match.mentee.user)
    # Session, user, navigation, the match, (the coordinator check), the revisions.
    with django_assert_max_num_queries(6):
        assert client.get(agreement_url(match)).status_code == 200
