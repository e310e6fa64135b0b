"""Two people match through the browser; a coordinator auto-matches the rest with a real worker."""

import re

import pytest
from playwright.sync_api import expect

from matching import services
from matching.models import AutoMatchRun, Match, MatchRequest, Source
from tests.browser.conftest import assert_accessible, sign_in_as
from tests.factories import UserFactory
from tests.matching.builders import make_ready, matching_program
from tests.workers import redis_broker_url, running_worker, tasks_queued, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_a_mentee_and_a_mentor_match_and_a_coordinator_auto_matches_the_pool(
    browser, live_server, transactional_db, coordinator, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    program, _cycle = matching_program(coordinator)
    mia = make_ready(
        program,
        UserFactory(display_name="Mia Mentee", time_zone="Europe/Paris"),
        topics=["Negotiation", "Careers"],
    )
    mona = make_ready(
        program,
        UserFactory(display_name="Mona Mentor", time_zone="America/New_York"),
        role="mentor",
        capacity=1,
        topics=["Negotiation", "Careers"],
        slots=["1-12", "1-13", "3-12", "3-13"],  # 18:00-20:00 in Paris, Tuesday and Thursday
    )
    max_ = make_ready(
        program, UserFactory(display_name="Max Mentor"), role="mentor", topics=["Public speaking"]
    )
    earlier = services.send_request(mia, max_, by=mia.user, message="Public speaking, please.")

    # --- the mentee reads why Mona is suggested and asks her ------------------------------
    mentee = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    sign_in_as(mentee, live_server, mia.user)
    mentee.goto(f"/matching/participation/{mia.code}/suggestions/")
    card = mentee.locator("article, .card").filter(has_text="Mona Mentor").first
    expect(card).to_contain_text("2 topics in common")
    expect(card).to_contain_text("You both speak English")
    expect(card).to_contain_text(re.compile(r"You overlap \d+ hours? a week"))
    assert_accessible(mentee)
    card.get_by_role("link", name=re.compile("Ask for a match")).click()
    mentee.get_by_label(re.compile("Message", re.I)).fill("Your negotiation stories would help me.")
    assert_accessible(mentee)
    mentee.get_by_role("button", name="Send the request").click()
    expect(mentee.get_by_role("heading", level=1)).to_contain_text("Your request to Mona Mentor")
    request = MatchRequest.objects.get(mentee=mia, mentor=mona)
    assert request.status == MatchRequest.Status.PENDING

    # --- the mentor finds it in her inbox and approves -------------------------------------
    mentor = browser.new_context(base_url=live_server.url, locale="en-US").new_page()
    sign_in_as(mentor, live_server, mona.user)
    mentor.goto(f"/matching/participation/{mona.code}/requests/")
    expect(
        mentor.get_by_role("heading", name=re.compile("Waiting for your answer"))
    ).to_contain_text("1")
    assert_accessible(mentor)
    mentor.get_by_role("link", name=re.compile("Mia Mentee")).first.click()
    expect(mentor.get_by_role("heading", level=1)).to_contain_text("Mia Mentee asks you")
    expect(mentor.get_by_text("Your negotiation stories would help me.")).to_be_visible()
    assert_accessible(mentor)
    wait_for(
        lambda: MatchRequest.objects.filter(pk=request.pk, seen_at__isnull=False).exists(),
        "the mentor's browser to mark the request seen",
    )
    mentor.get_by_role("button", name="Approve").click()
    expect(mentor.get_by_role("heading", level=1)).to_contain_text("Your match with Mia Mentee")
    assert_accessible(mentor)
    match = Match.objects.get(mentor=mona, mentee=mia)
    assert match.status == Match.Status.ACTIVE

    # --- the mentee lands in the match; her other request was superseded -------------------
    mentee.reload()
    mentee.get_by_role("link", name="Go to your match").click()
    expect(mentee.get_by_role("heading", level=1)).to_contain_text("Your match with Mona Mentor")
    mentee.goto(f"/matching/participation/{mia.code}/requests/")
    past = mentee.get_by_role("region", name=re.compile("Past requests")).or_(
        mentee.locator("section").filter(has_text="Past requests")
    )
    expect(past.first).to_contain_text("Max Mentor")
    expect(past.first).to_contain_text("Closed by the platform")
    earlier.refresh_from_db()
    assert earlier.status == MatchRequest.Status.SUPERSEDED

    # --- the coordinator auto-matches the rest of the pool with a real worker ---------------
    for n in range(3):
        make_ready(program, UserFactory(display_name=f"Pool Mentee {n}"), topics=["Careers"])
    for n in range(2):
        make_ready(program, UserFactory(display_name=f"Pool Mentor {n}"), role="mentor", capacity=2)
    broker = redis_broker_url()
    cora = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    sign_in_as(cora, live_server, coordinator)
    cora.goto(f"/matching/programs/{program.code}/automatch/")
    assert_accessible(cora)
    with tasks_queued():
        # No worker yet: the run waits in the queue and the page shows its progress bar.
        cora.get_by_role("button", name="Compute the pairs").click()
        expect(cora.get_by_role("heading", level=1)).to_contain_text("Auto-match of")
        expect(cora.get_by_role("progressbar")).to_be_visible()
        assert_accessible(cora)
        with running_worker(broker, tmp_path):
            # The page polls the run and reloads itself once the worker has finished.
            send = cora.get_by_role("button", name=re.compile(r"Send \d+ proposals?"))
            expect(send).to_be_visible(timeout=30_000)
            run = AutoMatchRun.objects.get(program=program)
            assert run.status == AutoMatchRun.Status.DONE and run.progress == 100
            assert_accessible(cora)
            send.click()
    expect(cora.get_by_role("heading", name="Proposals sent")).to_be_visible()
    proposals = MatchRequest.objects.filter(program=program, source=Source.AUTOMATCH)
    assert proposals.count() == 3  # three waiting mentees, two mentors with two places each
    assert all(p.status == MatchRequest.Status.PENDING for p in proposals)
    assert not proposals.filter(mentor_approved_at__isnull=False).exists()
