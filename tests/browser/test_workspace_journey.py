"""A pair works together in its workspace, and a coordinator reviews what they wrote.

Three browsers: Mia (mentee, Auckland), Mona (mentor, Toronto) and Cora (coordinator).
They agree goals, settle a meeting time between them, record the meeting, write it up
in the journal and read the coordinator's feedback, all through the pages.
"""

import re
import zoneinfo
from datetime import datetime, time, timedelta

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation
from playwright.sync_api import expect

from journals.models import Agreement, JournalEntry, Meeting
from matching.models import Match
from tests.browser.conftest import assert_accessible, sign_in_as
from tests.journals.builders import active_match

pytestmark = pytest.mark.browser

AUCKLAND = zoneinfo.ZoneInfo("Pacific/Auckland")
TORONTO = zoneinfo.ZoneInfo("America/Toronto")


def local_text(instant: datetime, zone: zoneinfo.ZoneInfo) -> str:
    """Return `instant` as the meeting pages print it for someone in `zone`."""
    local = instant.astimezone(zone)
    with translation.override("en"):
        return f"{date_filter(local, 'l')} {date_filter(local, 'DATETIME_FORMAT')}"


def in_days(zone: zoneinfo.ZoneInfo, days: int, at: time) -> datetime:
    """Return the wall-clock time `at`, `days` days after today in `zone` (naive)."""
    return datetime.combine(timezone.now().astimezone(zone).date() + timedelta(days=days), at)


def together(page):
    """Return the pair's hours progress bar on a workspace or journal page."""
    return page.get_by_role("progressbar", name="Together", exact=True)


def fill_time(page, when: datetime) -> None:
    page.get_by_label(re.compile(r"^\s*Date\b")).fill(when.strftime("%Y-%m-%d"))
    page.get_by_label("Start time").fill(when.strftime("%H:%M"))


def test_a_pair_agrees_meets_writes_it_up_and_reads_the_feedback(
    browser, live_server, transactional_db, coordinator, settings
):
    settings.SITE_URL = live_server.url
    match = active_match(coordinator)
    # The match began a week ago, as in real life by the time a pair writes in its
    # journal. It also keeps the test independent of the hour: a match started "today"
    # in UTC has no valid entry date for Toronto between 00:00 and 05:00 UTC.
    Match.objects.filter(pk=match.pk).update(started_on=timezone.now().date() - timedelta(days=7))
    mia_user, mona_user = match.mentee.user, match.mentor.user
    workspace = f"/journals/workspace/{match.code}/"

    def open_as(user):
        page = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
        sign_in_as(page, live_server, user)
        return page

    mia, mona, cora = open_as(mia_user), open_as(mona_user), open_as(coordinator)

    # --- 1. Mia writes the agreement, Mona confirms it ---------------------------------------
    mia.goto(workspace)
    expect(mia.get_by_role("heading", name="Your mentor")).to_be_visible()
    assert_accessible(mia)
    mia.get_by_role("link", name="Write your agreement").click()
    expect(mia.get_by_role("heading", level=1)).to_have_text("Mentoring agreement")
    assert_accessible(mia)
    mia.get_by_label("Goal 1").fill("Negotiate my first salary raise")
    mia.get_by_label("Goal 2").fill("Speak up in team meetings")
    mia.get_by_label("How often you meet").select_option(label="Every two weeks")
    mia.get_by_label(re.compile(r"^\s*How you meet")).select_option(label="Video call")
    mia.get_by_label("How you keep in touch between meetings").select_option(label="Email")
    mia.get_by_role("button", name="Save and ask my partner to confirm").click()
    expect(mia.get_by_text("Agreement saved. Your partner is asked to confirm it.")).to_be_visible()
    expect(mia.get_by_text("Waiting for Mona Mentor to confirm").first).to_be_visible()
    assert_accessible(mia)

    mona.goto(workspace)
    mona.get_by_role("link", name="See or change the agreement").click()
    current = mona.get_by_role("region", name="The agreement in force")
    expect(current).to_contain_text("Negotiate my first salary raise")
    expect(current).to_contain_text("Speak up in team meetings")
    expect(current).to_contain_text("Every two weeks")
    mona.get_by_role("button", name="I agree: confirm this version").click()
    expect(mona.get_by_text("You confirmed the agreement.")).to_be_visible()
    expect(current.get_by_text("Confirmed by both")).to_be_visible()
    mia.reload()
    expect(
        mia.get_by_role("region", name="The agreement in force").get_by_text("Confirmed by both")
    ).to_be_visible()
    assert Agreement.objects.get(match=match).is_confirmed

    # --- 2. Mia proposes a meeting, Mona proposes another time, Mia accepts ---------------
    mia.goto(workspace)
    mia.get_by_role("link", name="Propose a meeting").click()
    expect(mia.get_by_role("heading", level=1)).to_have_text("Meetings with Mona Mentor")
    assert_accessible(mia)
    first_time = in_days(AUCKLAND, 4, time(8, 0))
    fill_time(mia, first_time)
    expect(mia.get_by_label("Time zone of this date and time")).to_have_value("Pacific/Auckland")
    mia.get_by_label("Duration in minutes").fill("60")
    mia.get_by_label("Agenda").fill("Salary research; how to open the conversation.")
    mia.get_by_label("Video link").fill("https://video.example.org/mia-mona")
    mia.get_by_role("button", name="Propose this meeting").click()
    expect(mia.get_by_text("Meeting proposed. Your partner is asked to answer.")).to_be_visible()
    meeting = Meeting.objects.get(match=match)
    assert meeting.starts_at == first_time.replace(tzinfo=AUCKLAND)
    assert meeting.status == Meeting.Status.PROPOSED

    mona.goto(workspace)
    mona.get_by_role("link", name="Answer the proposal").click()
    when = mona.get_by_role("region", name="Details")
    expect(when).to_contain_text(
        f"{local_text(meeting.starts_at, TORONTO)} (your time, America/Toronto)"
    )
    expect(when).to_contain_text(f"For Mia Mentee: {local_text(meeting.starts_at, AUCKLAND)}")
    assert_accessible(mona)
    other_time = in_days(TORONTO, 5, time(15, 30))
    fill_time(mona, other_time)
    mona.get_by_role("button", name="Propose this time").click()
    expect(
        mona.get_by_text("You proposed another time. Your partner is asked to answer.")
    ).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.starts_at == other_time.replace(tzinfo=TORONTO)
    assert meeting.status == Meeting.Status.PROPOSED and meeting.proposed_by == mona_user

    mia.goto(f"/journals/workspace/{match.code}/meetings/")
    upcoming = mia.get_by_role("region", name="Coming up")
    expect(upcoming).to_contain_text(local_text(meeting.starts_at, AUCKLAND))
    mia.get_by_role("link", name=re.compile("^Open the meeting")).click()
    expect(mia.get_by_text("Proposed by Mona Mentor.")).to_be_visible()
    # The same instant, each in the viewer's own zone: different local hours on each page.
    mia_when = mia.get_by_role("region", name="Details")
    expect(mia_when).to_contain_text(
        f"{local_text(meeting.starts_at, AUCKLAND)} (your time, Pacific/Auckland)"
    )
    expect(mia_when).to_contain_text(f"For Mona Mentor: {local_text(meeting.starts_at, TORONTO)}")
    assert local_text(meeting.starts_at, AUCKLAND) != local_text(meeting.starts_at, TORONTO)
    assert_accessible(mia)
    mia.get_by_role("button", name="Accept this time").click()
    expect(mia.get_by_text("You accepted the meeting. Your partner is told.")).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ACCEPTED

    ics_link = mia.get_by_role("link", name="Add to your calendar (.ics file)")
    ics = mia.request.get(live_server.url + ics_link.get_attribute("href"))
    assert ics.ok and ics.headers["content-type"].startswith("text/calendar")
    calendar = ics.text()
    assert "BEGIN:VCALENDAR" in calendar and f"UID:{meeting.uid}" in calendar

    # --- 3. After the meeting, Mona records it held ----------------------------------------
    mona.goto(workspace)
    expect(together(mona)).to_have_attribute("aria-valuenow", "0")
    # Pages only offer "How did it go?" once a meeting has started and the services refuse
    # a start in the past, so instead of waiting days the test moves it two hours back.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    mona.goto(f"/journals/meetings/{meeting.code}/")
    expect(mona.get_by_role("heading", name="How did it go?")).to_be_visible()
    assert_accessible(mona)
    mona.get_by_label("Yes, we met").check()
    mona.get_by_label("How long did you meet, in minutes?").fill("60")
    mona.get_by_role("button", name="Record it").click()
    expect(mona.get_by_text("Thank you: the meeting is recorded.")).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD and meeting.held_minutes == 60

    mona.goto(workspace)
    # 60 minutes of a 10-hour target: the held meeting moves the bar.
    expect(together(mona)).to_have_attribute("aria-valuenow", "10")

    # --- 4. Mona writes the meeting up in the journal --------------------------------------
    mona.get_by_role("link", name="New entry").click()
    expect(mona.get_by_role("heading", level=1)).to_have_text("New journal entry")
    assert_accessible(mona)
    mona.get_by_label("Meeting", exact=True).select_option(index=1)
    mona.get_by_label("Time spent, in minutes").fill("60")
    mona.get_by_label("What you discussed").fill("Mia's salary research and her opening line.")
    mona.get_by_label("Topics for next time").fill("Role-play the conversation.")
    mona.get_by_label("Observations", exact=True).fill("Confident once she has the figures.")
    mona.get_by_role("group", name="Observations").get_by_role("switch").set_checked(False)
    mona.get_by_role("button", name="Submit for review").click()
    expect(mona.get_by_text("Your entry is sent to the coordinators for review.")).to_be_visible()
    entry = JournalEntry.objects.get(match=match)
    assert entry.status == JournalEntry.Status.SUBMITTED
    assert entry.meeting_id == meeting.pk and not entry.share_observations
    assert_accessible(mona)

    mona.goto(workspace)
    # The entry replaces the meeting's time: still one hour, not two.
    expect(together(mona)).to_have_attribute("aria-valuenow", "10")
    expect(mona.get_by_role("region", name="Hours and learning journal")).to_contain_text(
        "Together: 1.0 of 10 hours"
    )

    # --- 5. The coordinator reviews it from the queue --------------------------------------
    cora.goto("/journals/review/")
    expect(cora.get_by_text("1 entry is waiting for review")).to_be_visible()
    row = cora.get_by_role("row").filter(has_text="Mona Mentor")
    expect(row).to_contain_text("Mia's salary research")
    assert_accessible(cora)
    row.get_by_role("link", name=re.compile("^Review the entry of Mona Mentor")).click()
    expect(cora.get_by_role("heading", level=1)).to_have_text("Review the entry of Mona Mentor")
    expect(cora.get_by_text("Confident once she has the figures.")).to_be_visible()
    assert_accessible(cora)
    feedback = "Good preparation. Next time, let Mia lead the role-play."
    cora.get_by_label("Feedback for the author").fill(feedback)
    cora.get_by_role("button", name="Mark reviewed").click()
    expect(cora.get_by_text("Marked reviewed. Mona Mentor is told by email.")).to_be_visible()
    expect(cora.get_by_text("Nothing is waiting for review here.")).to_be_visible()
    entry.refresh_from_db()
    assert entry.status == JournalEntry.Status.REVIEWED

    # --- 6. Mona reads the feedback; Mia does not see it -----------------------------------
    mona.goto(workspace)
    mona.get_by_role("link", name="Open the learning journal").click()
    mine = mona.get_by_role("article", name=re.compile("^Your entry"))
    expect(mine).to_contain_text("Coordinator's feedback")
    expect(mine).to_contain_text(feedback)
    expect(mine).to_contain_text("Reviewed")
    assert_accessible(mona)

    mia.goto(f"/journals/workspace/{match.code}/journal/")
    theirs = mia.get_by_role("article", name=re.compile("^Mona Mentor's entry"))
    expect(theirs).to_contain_text("Mia's salary research")
    expect(theirs).not_to_contain_text(feedback)
    expect(theirs).not_to_contain_text("Confident once she has the figures.")
