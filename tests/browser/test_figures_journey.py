"""A staff viewer reads the figures: the organization's page, a program, another cycle,
the CSV download and the printable report, with axe on every page, charts included."""

from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from programs.models import Cycle
from tests.browser.conftest import assert_accessible, sign_in_as
from tests.evaluation.kpi_builders import START, add_pairs, known_history

pytestmark = pytest.mark.browser


@pytest.fixture
def history(transactional_db, coordinator):
    known = known_history(coordinator)
    autumn = Cycle.objects.create(
        program=known.program,
        name="Autumn",
        enrolment_opens_on=START.date() + timedelta(weeks=20),
        enrolment_closes_on=START.date() + timedelta(weeks=22),
        matching_opens_on=START.date() + timedelta(weeks=21),
        matching_closes_on=START.date() + timedelta(weeks=23),
        starts_on=START.date() + timedelta(weeks=23),
    )
    add_pairs(known.program, autumn, 3, start=START + timedelta(weeks=23))
    return known


def test_a_staff_viewer_drills_from_the_organization_into_a_cycle_and_downloads_the_csv(
    browser, live_server, history, staff_viewer, tmp_path
):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/Paris", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    with time_machine.travel(START + timedelta(weeks=26), tick=True):
        sign_in_as(page, live_server, staff_viewer)
        page.goto("/")
        page.get_by_role("link", name="Figures").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Figures of every program")
        assert_accessible(page)

        page.get_by_role("link", name="Leaders of tomorrow").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Figures")
        headline = page.locator("#figure-matches_completed .figure-value")
        expect(headline).to_have_text("1")
        expect(page.locator("#figure-matches_active .figure-value")).to_have_text("5")
        expect(page.locator("svg.chart").first).to_be_visible()
        assert_accessible(page)

        # Another cycle, chosen with the keyboard: the address keeps it.
        page.get_by_label("Cycle").focus()
        page.get_by_label("Cycle").select_option(label="Autumn")
        page.get_by_role("button", name="Show").press("Enter")
        page.wait_for_url("**cycle=*")
        expect(page.locator(".figure-scope")).to_contain_text("Autumn")
        expect(page.locator("#figure-matches_active .figure-value")).to_have_text("3")
        expect(page.locator("#figure-matches_completed .figure-value")).to_have_text("0")
        assert_accessible(page)

        with page.expect_download() as download_info:
            page.get_by_role("link", name="Every figure (CSV)").click()
        download = download_info.value
        assert download.suggested_filename == "leaders-of-tomorrow-autumn-figures.csv"
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        rows = dict(
            line.split(",", 1) for line in path.read_text(encoding="utf-8-sig").splitlines()[1:]
        )
        assert rows["cycle"] == "Autumn"
        assert rows["outcomes.matches_active"] == "3"
        assert rows["outcomes.matches_completed"] == "0"

        page.get_by_role("link", name="Report for leadership (printable)").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("report for leadership")
        expect(page.get_by_role("button", name="Print")).to_be_visible()
        assert_accessible(page)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download as PDF").click()
        assert download_info.value.suggested_filename == "leaders-of-tomorrow-autumn-report.pdf"
        pdf = tmp_path / "report.pdf"
        download_info.value.save_as(pdf)
        assert pdf.read_bytes().startswith(b"%PDF")

        page.goto(page.url.replace("/report/", "/figures/cycles/").split("?")[0])
        expect(page.locator(".cycles-table thead")).to_contain_text("Autumn")
        assert_accessible(page)
    context.close()
