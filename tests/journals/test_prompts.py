"""The weekly guide of a match: the weeks so far for the pair, all of it for coordinators."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from matching.models import Match
from programs.models import WeeklyPrompt
from tests.journals.builders import active_match

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(coordinator):
    match = active_match(coordinator)
    on = date(2027, 3, 1)
    Match.objects.filter(pk=match.pk).update(started_on=on, ends_on=on + timedelta(weeks=10))
    return match


def prompts_page(client, user, match):
    url = reverse("journals:prompts", kwargs={"code": match.code})
    # Day 16: week 3.
    with time_machine.travel(datetime(2027, 3, 17, 6, tzinfo=UTC)):
        client.force_login(user)
        response = client.get(url)
    assert response.status_code == 200
    return response


def titles(match, weeks):
    return [WeeklyPrompt.objects.get(program=match.program, week=w).title for w in weeks]


def test_the_pair_sees_the_weeks_so_far_and_not_the_later_ones(client, match):
    response = prompts_page(client, match.mentee.user, match)
    assert [p.week for p in response.context["prompts"]] == [1, 2, 3]
    html = response.content.decode()
    for title in titles(match, [1, 2, 3]):
        assert title in html
    for title in titles(match, [4, 9, 10]):
        assert title not in html
    assert "This week" in html


def test_a_coordinator_sees_every_week_with_the_current_one_marked(client, match, coordinator):
    response = prompts_page(client, coordinator, match)
    assert [p.week for p in response.context["prompts"]] == list(range(1, 11))
    assert response.context["week"] == 3
    assert 'aria-current="true"' in response.content.decode()


def test_the_workspace_links_back_to_earlier_weeks(client, match):
    with time_machine.travel(datetime(2027, 3, 17, 6, tzinfo=UTC)):
        client.force_login(match.mentor.user)
        html = client.get(reverse("journals:workspace", kwargs={"code": match.code})).content
    assert reverse("journals:prompts", kwargs={"code": match.code}) in html.decode()


@pytest.mark.parametrize("count", [4, 10])
def test_the_page_runs_a_fixed_number_of_queries(
    client, coordinator, count, django_assert_max_num_queries
):
    match = active_match(coordinator, cycle_weeks=count)
    client.force_login(coordinator)
    with django_assert_max_num_queries(6):
        client.get(reverse("journals:prompts", kwargs={"code": match.code}))


def test_the_activity_a_coordinator_writes_shows_in_the_workspace(client, match, coordinator):
    from programs.services import builder

    builder.save_weekly_prompts(
        match.program, by=coordinator, weeks={3: ("Practice", "Try it.", "Role-play a pitch.")}
    )
    builder.save_weekly_prompts(match.program, by=coordinator, weeks={3: ("Practice", "Again.")})
    html = prompts_page(client, match.mentee.user, match).content.decode()
    assert "Role-play a pitch." in html  # a week saved without an activity keeps its own
