"""The figure pages and their CSV: the known history gives exactly its figures on the
page, in the CSV and in the JSON, another program never shows, filters are kept in the
address and bad ones are reported, and the query count does not grow with the data."""

import csv
import io
import json
import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.dashboard import flatten
from mentorship_site.accounts.models import User
from programs.models import Cycle, Program
from tests.evaluation.kpi_builders import START, add_pairs
from tests.matching.builders import matching_program

pytestmark = pytest.mark.django_db

LATER = START + timedelta(weeks=11)
html = SimpleTestCase()


@pytest.fixture
def world(kpi_history, staff_viewer):
    """The known history (built once for the module), another program's busier one, and
    a staff viewer."""
    kpi_history.viewer = staff_viewer
    kpi_history.other_coordinator = kpi_history.other.coordinator
    return kpi_history


@pytest.fixture
def later():
    with time_machine.travel(LATER, tick=False):
        yield


def get(client, user, name, *args, query=""):
    if client.session.get("_auth_user_id") != str(user.pk):
        client.force_login(user)
    return client.get(reverse(f"evaluation:{name}", args=args) + query)


def csv_of(response) -> list[list[str]]:
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def row(heading, *cells) -> str:
    return f'<tr><th scope="row">{heading}</th>' + "".join(
        f'<td class="text-end">{cell}</td>' for cell in cells
    )


def test_the_page_shows_exactly_the_known_history(client, world, later):
    response = get(client, world.coordinator, "program_dashboard", world.program.code)
    assert response.status_code == 200
    page = response.content.decode()
    for outcome, count in [
        ("Waiting for an answer", 0),
        ("Approved: the match started", 4),
        ("Declined", 2),
        ("Withdrawn", 2),
        ("Expired", 1),
        ("Closed by the platform", 1),
    ]:
        html.assertInHTML(row(outcome, count) + "</tr>", page)
    for name, shown in [
        ("matches_active", "2"),
        ("matches_completed", "1"),
        ("matches_ended_early", "1"),
        ("hours_total", "12.0"),
        ("match_rate", "50.0\u00a0%"),
    ]:
        card = re.search(rf'id="figure-{name}".*?figure-value">([^<]*)<', page, re.DOTALL)
        assert card.group(1) == shown, name
    assert "Language buddies" not in page


def test_the_csv_and_the_json_give_the_same_figures_under_the_same_names(client, world, later):
    rows = csv_of(get(client, world.coordinator, "program_export", world.program.code, "figures"))
    assert rows[0] == ["figure", "value"]
    from_csv = dict(rows[1:])
    out = StringIO()
    call_command("kpis", str(world.program.code), "--json", stdout=out)
    from_json = {
        name: "" if value is None else str(value)
        for name, value in flatten(json.loads(out.getvalue()))
    }
    assert from_csv == from_json
    assert from_csv["matching.requests.approved"] == "4"
    assert from_csv["matching.requests.declined"] == "2"
    assert from_csv["matching.requests.withdrawn"] == "2"
    assert from_csv["matching.requests.expired"] == "1"
    assert from_csv["matching.requests.superseded"] == "1"
    assert from_csv["outcomes.matches_completed"] == "1"
    assert from_csv["outcomes.matches_ended_early"] == "1"
    assert from_csv["outcomes.matches_active"] == "2"
    assert from_csv["hours.hours_total"] == "12.0"


def test_each_table_downloads_as_the_page_shows_it(client, world, later):
    requests = csv_of(get(client, world.viewer, "program_export", world.program.code, "requests"))
    assert requests[0] == ["outcome", "requests"]
    assert dict(requests[1:]) == {
        "pending": "0",
        "approved": "4",
        "declined": "2",
        "withdrawn": "2",
        "expired": "1",
        "superseded": "1",
        "closed": "0",
    }
    reasons = csv_of(get(client, world.viewer, "program_export", world.program.code, "reasons"))
    assert reasons[1:] == [["We could not find time to meet", "2"]]


def test_the_pairs_csv_lists_each_pair_of_the_program_with_its_hours(client, world, later):
    rows = csv_of(get(client, world.coordinator, "program_export", world.program.code, "pairs"))
    header, pairs = rows[0], rows[1:]
    assert header[:5] == ["mentor", "mentee", "cycle", "proposed_by", "status"]
    assert len(pairs) == 4
    hours = sorted(float(pair[header.index("hours")]) for pair in pairs)
    assert hours == [0.0, 2.0, 5.0, 5.0]
    assert sorted(pair[header.index("status")] for pair in pairs) == [
        "active",
        "active",
        "completed",
        "ended",
    ]
    other_names = set(
        Program.objects.get(pk=world.other.program.pk).participants.values_list(
            "user__display_name", flat=True
        )
    )
    assert not other_names & ({pair[0] for pair in pairs} | {pair[1] for pair in pairs})


def test_a_name_a_spreadsheet_would_run_is_written_as_text(client, world, later):
    User.objects.filter(pk=world.matches[0].mentor.user_id).update(display_name="=HYPERLINK(x)")
    rows = csv_of(get(client, world.coordinator, "program_export", world.program.code, "pairs"))
    assert "'=HYPERLINK(x)" in [pair[0] for pair in rows[1:]]


def test_a_cycle_and_a_range_are_kept_in_the_address_and_in_the_exports(client, world, later):
    autumn = Cycle.objects.create(
        program=world.program,
        name="Autumn",
        enrolment_opens_on=START.date(),
        enrolment_closes_on=START.date(),
        matching_opens_on=START.date(),
        matching_closes_on=START.date(),
        starts_on=START.date(),
    )
    add_pairs(world.program, autumn, 2)
    query = f"?cycle={autumn.code}"
    page = get(client, world.viewer, "program_dashboard", world.program.code, query=query)
    text = page.content.decode()
    assert f"figures/pairs.csv?cycle={autumn.code}" in text
    pairs = get(client, world.viewer, "program_export", world.program.code, "pairs", query=query)
    assert 'filename="leaders-of-tomorrow-autumn-pairs.csv"' in pairs["Content-Disposition"]
    ranged = get(
        client,
        world.viewer,
        "program_export",
        world.program.code,
        "figures",
        query=f"{query}&since=2027-03-01&until=2027-03-31",
    )
    assert (
        'filename="leaders-of-tomorrow-autumn-from-2027-03-01-to-2027-03-31-figures.csv"'
        in ranged["Content-Disposition"]
    )
    assert f'<option value="{autumn.code}" selected>Autumn</option>' in text
    # The scope line names the cycle and its start, not the program's whole history.
    assert "Cycle “Autumn” · the whole cycle (it starts on March 1, 2027)" in text
    assert "since the program began" not in text
    rows = csv_of(
        get(client, world.viewer, "program_export", world.program.code, "figures", query=query)
    )
    figures = dict(rows[1:])
    assert figures["cycle"] == "Autumn"
    assert figures["outcomes.matches_active"] == "2"
    assert figures["matching.requests.total"] == "0"


def test_filters_that_cannot_be_used_are_reported_and_kept(client, world, later):
    other_cycle = world.other.cycle.code
    query = f"?cycle={other_cycle}&since=2027-05-01&until=2027-04-01"
    response = get(client, world.viewer, "program_dashboard", world.program.code, query=query)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Some filters could not be used" in text
    assert "The end of the range comes before its start." in text
    assert "Select a valid choice" in text
    assert 'value="2027-04-01"' in text  # what was typed stays in the field
    # Neither day alone is what was meant: the whole range is left out, on the page
    # and in the report its links lead to, which says so too.
    assert response.context["scope"]["since"] is None
    assert response.context["scope"]["until"] is None
    report = get(client, world.viewer, "program_report", world.program.code, query=query)
    assert "Some filters could not be used" in report.content.decode()
    assert report.context["scope"]["since"] is None
    garbled = get(
        client,
        world.viewer,
        "program_dashboard",
        world.program.code,
        query="?cycle=nope&since=31/02/2027&until=99999-01-01",
    )
    assert garbled.status_code == 200
    assert "Enter a valid date." in garbled.content.decode()


def test_a_date_range_counts_what_happened_in_it(client, world, later):
    query = (
        f"?since={(START + timedelta(days=2)).date()}&until={(START + timedelta(days=2)).date()}"
    )
    rows = csv_of(
        get(client, world.viewer, "program_export", world.program.code, "requests", query=query)
    )
    counted = dict(rows[1:])
    # All ten requests went out that day.
    assert counted["approved"] == "4"
    assert sum(int(value) for value in counted.values()) == 10


def test_the_organization_page_lists_each_readable_program_with_its_figures(client, world, later):
    response = get(client, world.viewer, "dashboard")
    text = response.content.decode()
    assert "Leaders of tomorrow" in text and "Language buddies" in text
    rows = csv_of(get(client, world.viewer, "organization_export"))
    by_name = {line[0]: dict(zip(rows[0], line, strict=True)) for line in rows[1:]}
    known = by_name["Leaders of tomorrow"]
    assert (known["matches_active"], known["matches_completed"]) == ("2", "1")
    assert known["matches_ended_early"] == "1"
    assert known["hours_total"] == "12.0"
    assert known["match_rate"] == "50.0"
    assert by_name["Language buddies"]["matches_active"] == "5"

    # A coordinator sees their own programs only.
    own = csv_of(get(client, world.coordinator, "organization_export"))
    assert [line[0] for line in own[1:]] == ["Leaders of tomorrow"]


def test_staff_viewers_read_the_figures_without_any_form_to_change_them(client, world, later):
    for name, args in [
        ("program_dashboard", [world.program.code]),
        ("program_cycles", [world.program.code]),
        ("program_report", [world.program.code]),
        ("dashboard", []),
    ]:
        text = get(client, world.viewer, name, *args).content.decode()
        # The only forms that post are the navigation's sign-out and language ones.
        actions = re.findall(r'<form method="post" action="([^"]*)"', text)
        assert len(actions) == text.count('method="post"'), name
        assert set(actions) <= {reverse("account_logout"), reverse("switch_language")}, name


def test_the_cycles_page_puts_each_cycle_beside_the_whole_program(client, world, later):
    response = get(client, world.viewer, "program_cycles", world.program.code)
    comparison = response.context["comparison"]
    assert comparison.columns == [world.cycle.name, "All cycles"]
    completed = next(cells for first, cells in comparison.rows if first.name == "matches_completed")
    assert [cell.value for cell in completed] == [1, 1]
    garbled = get(client, world.viewer, "program_cycles", world.program.code, query="?cycle=x")
    assert garbled.status_code == 200


PAGES = [
    ("program_dashboard", True),
    ("program_cycles", True),
    ("program_report", True),
    ("dashboard", False),
]
EXPORTS = ["figures", "pairs", "trends", "funnel", "requests", "hours", "surveys", "reasons"]


def _queries(client, user, world) -> dict[str, int]:
    """Return the number of queries of each figure page and export."""
    counts = {}
    client.force_login(user)
    for name, of_program in PAGES:
        args = [world.program.code] if of_program else []
        with CaptureQueriesContext(connection) as queries:
            assert get(client, user, name, *args).status_code == 200
        counts[name] = len(queries)
    for table in [*EXPORTS, None]:
        with CaptureQueriesContext(connection) as queries:
            if table is None:
                csv_of(get(client, user, "organization_export"))
            else:
                csv_of(get(client, user, "program_export", world.program.code, table))
        counts[table or "organization_export"] = len(queries)
    return counts


def test_the_query_count_does_not_grow_with_the_programs(client, world, later):
    small = _queries(client, world.viewer, world)
    # A handful each: session, user, navigation, program, then the figures' own.
    assert small["program_dashboard"] <= 30
    assert small["program_cycles"] <= 45
    assert small["dashboard"] <= 15
    assert max(small[table] for table in EXPORTS) <= 24
    add_pairs(world.program, world.cycle, 40)
    for number in range(4):
        program, cycle = matching_program(world.other_coordinator, name=f"More {number}")
        add_pairs(program, cycle, 5)
    assert _queries(client, world.viewer, world) == small


def test_the_organization_page_counts_a_date_range_and_links_programs_with_it(client, world, later):
    query = "?since=2027-03-03&until=2027-03-03"
    page = get(client, world.viewer, "dashboard", query=query).content.decode()
    assert "/figures/?since=2027-03-03&amp;until=2027-03-03" in page
    export = get(client, world.viewer, "organization_export", query=query)
    assert 'filename="programs-from-2027-03-03-to-2027-03-03.csv"' in export["Content-Disposition"]
    rows = csv_of(export)
    known = dict(
        zip(
            rows[0],
            next(line for line in rows[1:] if line[0] == "Leaders of tomorrow"),
            strict=True,
        )
    )
    # The four matches started that day and were all in progress at its end; none
    # ended that day, and the completed pair's survey was answered later.
    assert known["matches_active"] == "4"
    assert known["matches_completed"] == known["matches_ended_early"] == "0"
    assert known["satisfaction"] == ""
    # Over the spring, each outcome by the day it happened: one ended early in March,
    # one completed in May, two still in progress at the end of June.
    spring = csv_of(
        get(client, world.viewer, "organization_export", query="?since=2027-03-01&until=2027-06-30")
    )
    known = dict(
        zip(
            spring[0],
            spring[1 + [row[0] for row in spring[1:]].index("Leaders of tomorrow")],
            strict=True,
        )
    )
    assert (known["matches_active"], known["matches_completed"], known["matches_ended_early"]) == (
        "2",
        "1",
        "1",
    )
    empty = csv_of(get(client, world.viewer, "organization_export", query="?since=2030-01-01"))
    assert {line[0]: line[6] for line in empty[1:]}["Leaders of tomorrow"] == "0"
    wrong = get(client, world.viewer, "dashboard", query="?since=soon&until=2027-01-01")
    assert wrong.status_code == 200
    assert "Enter a valid date." in wrong.content.decode()


def test_a_zero_target_is_no_target(client, world, later):
    Program.objects.filter(pk=world.program.pk).update(target_average_hours=0)
    page = get(client, world.viewer, "program_dashboard", world.program.code).content.decode()
    card = page.split('id="figure-average_hours"')[1].split('id="figure-')[0]
    assert "Target" not in card and "reached" not in card


def test_early_end_reasons_are_shown_in_the_readers_language(client, world, later):
    world.viewer.preferred_language = "fr"
    world.viewer.save()
    page = get(client, world.viewer, "program_dashboard", world.program.code).content.decode()
    assert "Nous n’avons pas trouvé le temps de nous rencontrer" in page
    rows = csv_of(get(client, world.viewer, "program_export", world.program.code, "reasons"))
    assert rows[1:] == [["We could not find time to meet", "2"]]
