"""The clock's program settings on the set-up form, and the pairs at risk on the
coordinator dashboard."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from journals.services import messages as message_services
from tests.journals.builders import active_match
from tests.programs.test_setup_programs import GOOD

START = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def start():
    with time_machine.travel(START, tick=False):
        yield


# --- settings ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_coordinator_changes_the_reminder_and_alert_settings(client, coordinator):
    match = active_match(coordinator)
    program = match.program
    client.force_login(coordinator)
    url = reverse("programs:program_edit", kwargs={"code": program.code})
    page = client.get(url).content.decode()
    assert "Remind journal writers after (days without an entry)" in page
    assert "Flag a pair as at risk after (days without activity)" in page
    values = {**GOOD, "status": program.status, "cycle_weeks": "10", "languages": ["en"]}
    response = client.post(
        url, {**values, "journal_nudge_days": "10", "review_reminder_days": "0", "quiet_days": "28"}
    )
    assert response.status_code == 302, response.context["form"].errors
    program.refresh_from_db()
    assert (program.journal_nudge_days, program.review_reminder_days, program.quiet_days) == (
        10,
        0,
        28,
    )
    # Left empty, a setting keeps its value.
    client.post(url, {**values, "journal_nudge_days": "", "quiet_days": "30"})
    program.refresh_from_db()
    assert (program.journal_nudge_days, program.quiet_days) == (10, 30)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("review_reminder_days", "91", "less than or equal to 90"),
        ("journal_nudge_days", "-1", "greater than or equal to 0"),
        ("quiet_days", "70", "A match lasts 70 days: flag quiet pairs sooner"),
        ("journal_nudge_days", "75", "A match lasts 70 days: remind writers sooner"),
        ("review_reminder_days", "many", "Enter a whole number"),
    ],
)
def test_bad_settings_are_refused_and_what_was_typed_is_kept(
    client, coordinator, field, value, message
):
    program = active_match(coordinator).program
    client.force_login(coordinator)
    url = reverse("programs:program_edit", kwargs={"code": program.code})
    values = {**GOOD, "status": program.status, "cycle_weeks": "10", "languages": ["en"]}
    response = client.post(url, {**values, field: value})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'value="{value}"' in response.content.decode()
    program.refresh_from_db()
    assert getattr(program, field) in (14, 7, 21)


# --- the dashboard -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dashboard_shows_quiet_pairs_with_days_and_a_workspace_link(
    client, coordinator, other_coordinator
):
    quiet = active_match(coordinator)
    lively = active_match(coordinator)
    never = active_match(coordinator, quiet_days=0)
    elsewhere = active_match(other_coordinator)
    with time_machine.travel(START + timedelta(days=20), tick=False):
        message_services.post_message(lively, by=lively.mentor.user, body="Hi")
    with time_machine.travel(START + timedelta(days=25), tick=False):
        client.force_login(coordinator)
        html = client.get(reverse("programs:dashboard")).content.decode()
    assert "Pairs at risk" in html
    workspace = reverse("journals:workspace", kwargs={"code": quiet.code})
    assert f'href="{workspace}"' in html
    row = html.split(f'href="{workspace}"')[0].rsplit("<tr>", 1)[1]
    assert "Mona Mentor &amp; Mia Mentee" in row
    assert '<td class="text-end">25</td>' in row
    for other in (lively, never, elsewhere):
        assert str(other.code) not in html


@pytest.mark.django_db
def test_the_dashboard_says_when_no_pair_is_quiet(client, coordinator):
    active_match(coordinator)
    client.force_login(coordinator)
    assert "No pair has gone quiet." in client.get(reverse("programs:dashboard")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 4])
def test_the_dashboard_with_quiet_pairs_runs_a_fixed_number_of_queries(
    client, coordinator, django_assert_max_num_queries, size
):
    for _ in range(size):
        active_match(coordinator)
    with time_machine.travel(START + timedelta(days=30), tick=False):
        client.force_login(coordinator)
        # Session, user, "may create?", staff-viewer group, navigation, the programs, the
        # quiet-pair settings in use, the pairs at risk.
        with django_assert_max_num_queries(8):
            response = client.get(reverse("programs:dashboard"))
    assert response.content.decode().count("Open the workspace") == size
