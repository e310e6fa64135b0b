"""Certificates: who earns one, what it keeps, the coordinators' bulk issue, the holder's
page and the public verification page."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from evaluation import certificates, services
from evaluation.models import CODE_ALPHABET, CODE_LENGTH, Certificate
from journals.hours import hours_for
from journals.models import JournalEntry, Meeting
from matching import services as matching
from matching.models import Match
from programs.models import TrainingCompletion
from tests.evaluation.conftest import START
from tests.factories import UserFactory
from tests.programs.builders import enrol

pytestmark = pytest.mark.django_db

AFTER_THE_END = START + timedelta(weeks=11)


def complete(match):
    with time_machine.travel(AFTER_THE_END, tick=False):
        return matching.complete_match(match)


def end_early(match):
    with time_machine.travel(START + timedelta(weeks=3), tick=False):
        return matching.end_match(match, by=match.mentee.user, reason="We both moved on.")


def log_minutes(match, author, *minutes, meeting=None):
    for spent in minutes:
        JournalEntry.objects.create(
            match=match,
            author=author,
            meeting=meeting,
            entry_date=match.started_on,
            minutes=spent,
            status=JournalEntry.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )


def held_meeting(match, minutes):
    return Meeting.objects.create(
        match=match,
        uid=f"meeting-{Meeting.objects.count()}@test",
        proposed_by=match.mentor.user,
        starts_at=START + timedelta(days=2),
        duration=60,
        time_zone="UTC",
        status=Meeting.Status.HELD,
        held_minutes=minutes,
    )


def verify_url(code):
    return reverse("evaluation:verify") + f"?code={code}"


# --- who earns one --------------------------------------------------------------------


def test_a_completed_match_earns_both_people_a_certificate_with_their_own_hours(match):
    log_minutes(match, match.mentee, 90)
    held_meeting(match, 60)
    complete(match)

    mine = services.issue_certificate(match.mentee, match, by=match.mentee.user)
    theirs = services.issue_certificate(match.mentor, match, by=match.mentor.user)

    hours = hours_for(match)
    assert mine.mentoring_minutes == hours.mentee_minutes == 150  # the meeting counts too
    assert theirs.mentoring_minutes == hours.mentor_minutes == 60
    assert (mine.role, theirs.role) == ("mentee", "mentor")
    assert mine.issued_by is None
    assert mine.holder_name == "Mia Mentee"
    assert mine.program_name == match.program.name
    assert mine.started_on == match.started_on
    # It ended in the evening of the end date in Toronto, the next day in Auckland.
    match.refresh_from_db()
    assert mine.ended_on == timezone.localtime(match.ended_at, _zone("Pacific/Auckland")).date()
    assert len(mine.code) == CODE_LENGTH and set(mine.code) <= set(CODE_ALPHABET)
    assert mine.code != theirs.code


def _zone(name):
    import zoneinfo

    return zoneinfo.ZoneInfo(name)


def test_training_counts_the_minutes_of_the_modules_the_person_completed(match):
    complete(match)
    expected = sum(
        TrainingCompletion.objects.filter(participant=match.mentee).values_list(
            "minutes", flat=True
        )
    )
    assert expected > 0

    certificate = services.issue_certificate(match.mentee, match, by=match.mentee.user)

    assert certificate.training_minutes == expected


def test_a_match_ended_early_without_the_hours_earns_nothing(match):
    log_minutes(match, match.mentee, 120)
    end_early(match)

    with pytest.raises(services.CertificateError, match="10 hours of mentoring"):
        services.issue_certificate(match.mentee, match, by=match.mentee.user)
    assert not Certificate.objects.exists()


def test_reaching_the_hours_target_earns_one_even_when_the_match_ended_early(match):
    log_minutes(match, match.mentee, 300, 300)
    end_early(match)

    certificate = services.issue_certificate(match.mentee, match, by=match.mentee.user)

    assert certificate.mentoring_minutes == 600
    # The mentor did not reach it: their partner's entries are not their hours.
    with pytest.raises(services.CertificateError):
        services.issue_certificate(match.mentor, match, by=match.mentor.user)


def test_hours_reached_while_the_match_runs_cover_the_days_up_to_the_issue(match):
    log_minutes(match, match.mentee, 300, 300)
    holder = match.mentee.user
    holder.time_zone = "Asia/Tokyo"
    holder.save(update_fields=["time_zone"])
    # 23:30 in UTC, already the next morning in Tokyo; the match runs for weeks more.
    issued_at = (START + timedelta(weeks=5)).replace(hour=23, minute=30)
    with time_machine.travel(issued_at, tick=False):
        certificate = services.issue_certificate(match.mentee, match, by=holder)

    assert certificate.ended_on == (issued_at + timedelta(days=1)).date()
    assert certificate.ended_on < match.ends_on


def test_a_stranger_cannot_ask_for_someone_elses_certificate(match):
    complete(match)
    with pytest.raises(services.CertificateError):
        services.issue_certificate(match.mentee, match, by=UserFactory())


def test_the_bulk_hours_follow_the_journal_rule(match):
    meeting = held_meeting(match, 45)
    held_meeting(match, 30)
    log_minutes(match, match.mentee, 50, meeting=meeting)
    log_minutes(match, match.mentor, 20)
    JournalEntry.objects.create(  # a draft counts nothing
        match=match, author=match.mentor, entry_date=match.started_on, minutes=500
    )

    hours = hours_for(match)

    assert certificates.own_minutes([match.pk]) == {
        match.pk: (hours.mentor_minutes, hours.mentee_minutes)
    }


# --- what it keeps ---------------------------------------------------------------------


def test_the_certificate_keeps_what_it_showed_when_the_program_is_renamed(client, match):
    complete(match)
    certificate = services.issue_certificate(match.mentee, match, by=match.mentee.user)
    old_name = match.program.name
    match.program.name = "A brand new name"
    match.program.save()
    match.mentee.user.display_name = "Someone Else"
    match.mentee.user.save()
    log_minutes(match, match.mentee, 200)

    certificate.refresh_from_db()
    assert (certificate.program_name, certificate.holder_name) == (old_name, "Mia Mentee")
    response = client.get(verify_url(certificate.code))
    assert old_name in response.content.decode()
    assert "A brand new name" not in response.content.decode()


def test_issuing_twice_returns_the_same_certificate(match):
    complete(match)
    first = services.issue_certificate(match.mentee, match, by=match.mentee.user)
    again = services.issue_certificate(match.mentee, match, by=match.program.coordinators.get())

    assert again.pk == first.pk
    assert Certificate.objects.count() == 1


# --- the coordinators' bulk issue ------------------------------------------------------


def completed_matches(program, count):
    """Add `count` completed matches to `program`, with a little journal each."""
    cycle = program.cycles.first()
    for number in range(count):
        with time_machine.travel(START, tick=False):
            mentor = enrol(program, UserFactory(), role="mentor")
            mentee = enrol(program, UserFactory(), role="mentee")
        finished = Match.objects.create(
            program=program,
            cycle=cycle,
            mentor=mentor,
            mentee=mentee,
            status=Match.Status.COMPLETED,
            started_on=START.date(),
            ends_on=(START + timedelta(weeks=10)).date(),
            ended_at=AFTER_THE_END,
        )
        log_minutes(finished, mentee, 30 + number)


@pytest.mark.parametrize("pairs", [2, 8])
def test_bulk_issue_counts_the_new_ones_in_a_fixed_number_of_queries(
    match, pairs, django_assert_max_num_queries
):
    program = match.program
    completed_matches(program, pairs)
    coordinator = program.coordinators.get()
    # The active match's people have earned nothing; one person already has theirs.
    first = Match.objects.filter(program=program, status="completed").first()
    services.issue_certificate(first.mentee, first, by=first.mentee.user)

    with django_assert_max_num_queries(8):
        issued = services.issue_certificates(program, by=coordinator)

    assert issued == 2 * pairs - 1
    assert Certificate.objects.filter(match__program=program).count() == 2 * pairs
    assert Certificate.objects.filter(issued_by=coordinator).count() == 2 * pairs - 1
    assert services.issue_certificates(program, by=coordinator) == 0


def test_bulk_issue_is_for_the_programs_coordinators(client, match, other_coordinator):
    complete(match)
    client.force_login(other_coordinator)
    url = reverse("evaluation:issue_certificates", kwargs={"code": match.program.code})

    assert client.post(url).status_code == 404
    assert not Certificate.objects.exists()

    client.force_login(match.program.coordinators.get())
    response = client.post(url, follow=True)
    assert "2 certificates issued." in response.content.decode()
    assert Certificate.objects.count() == 2


# --- the pages -------------------------------------------------------------------------


def test_the_holder_gets_it_from_their_list_and_prints_it(client, match):
    complete(match)
    client.force_login(match.mentee.user)
    page = client.get(reverse("evaluation:certificates")).content.decode()
    assert "Get my certificate" in page

    response = client.post(reverse("evaluation:certificates"), {"match": str(match.code)})

    certificate = Certificate.objects.get()
    assert response.url == reverse("evaluation:certificate", kwargs={"code": certificate.code})
    html = client.get(response.url).content.decode()
    assert certificate.shown_code in html
    assert 'media="print"' in html
    assert "data-print" in html  # a Print button, shown where scripts run
    # The printed address checks this very code when typed in.
    assert reverse("evaluation:verify") + f"?code={certificate.shown_code}" in html
    assert (
        "Get my certificate" not in client.get(reverse("evaluation:certificates")).content.decode()
    )


def test_asking_too_early_says_why(client, match):
    client.force_login(match.mentee.user)
    response = client.post(
        reverse("evaluation:certificates"), {"match": str(match.code)}, follow=True
    )
    assert "10 hours of mentoring" in response.content.decode()
    assert not Certificate.objects.exists()


def test_another_persons_certificate_is_not_found(client, match):
    complete(match)
    certificate = services.issue_certificate(match.mentee, match, by=match.mentee.user)
    url = reverse("evaluation:certificate", kwargs={"code": certificate.code})

    for someone in (match.mentor.user, match.program.coordinators.get(), UserFactory()):
        client.force_login(someone)
        assert client.get(url).status_code == 404


def test_the_public_page_shows_what_the_certificate_shows_and_nothing_else(client, match):
    log_minutes(match, match.mentee, 90)
    complete(match)
    certificate = services.issue_certificate(match.mentee, match, by=match.mentee.user)

    response = client.get(verify_url(certificate.shown_code.lower()))

    html = response.content.decode()
    assert response.status_code == 200
    assert "This certificate is genuine" in html
    assert "Mia Mentee" in html
    assert match.program.name in html
    assert "1.5" in html  # hours of mentoring
    assert certificate.shown_code in html
    for private in (match.mentee.user.email, match.mentor.user.email, "Mona Mentor", "Toronto"):
        assert private not in html
    assert Certificate.objects.get() == certificate  # a GET changes nothing


def test_an_unknown_code_says_so(client, match):
    response = client.get(verify_url("ABCD-EFGH-JKMN"))

    assert "No certificate has this code" in response.content.decode()
    assert "genuine" not in response.content.decode()


@pytest.mark.parametrize("sent", ["not-a-code", "", "0" * 40])
def test_asking_with_a_garbled_match_code_is_not_found(client, match, sent):
    client.force_login(match.mentee.user)
    response = client.post(reverse("evaluation:certificates"), {"match": sent})
    assert response.status_code == 404
