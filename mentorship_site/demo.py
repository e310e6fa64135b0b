"""Demo data: the same people every time, so the README's log-ins always work.

Every feature adds what it needs here, so that `make run` shows the whole platform.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from mentorship_site.accounts.models import STAFF_VIEWERS_GROUP, User

DEMO_PASSWORD = "mentoring-demo"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    display_name: str
    role: str
    time_zone: str
    language: str = "en"
    superuser: bool = False
    staff_viewer: bool = False


DEMO_PEOPLE = [
    DemoPerson(
        "admin@example.org",
        "Alex Admin",
        "back-office administrator",
        "Europe/London",
        superuser=True,
    ),
    DemoPerson("coordinator@example.org", "Camille Laurent", "coordinator", "Europe/Paris", "fr"),
    DemoPerson(
        "staff@example.org",
        "Sam Okafor",
        "staff viewer (KPIs, read-only)",
        "Africa/Lagos",
        staff_viewer=True,
    ),
    DemoPerson("amara.mentor@example.org", "Amara Diallo", "mentor", "Africa/Dakar", "fr"),
    DemoPerson("ben.mentor@example.org", "Ben Carter", "mentor", "America/New_York"),
    DemoPerson("chen.mentor@example.org", "Chen Wei", "mentor", "Asia/Singapore"),
    DemoPerson("dana.mentee@example.org", "Dana Silva", "mentee", "America/Sao_Paulo"),
    DemoPerson("elif.mentee@example.org", "Elif Yilmaz", "mentee", "Europe/Istanbul"),
    DemoPerson("farah.mentee@example.org", "Farah Haddad", "mentee", "Australia/Sydney"),
]


@transaction.atomic
def seed_demo() -> list[DemoPerson]:
    """Create or refresh the demo people and programs. Safe to run again."""
    from evaluation.demo import seed_surveys
    from journals.demo import seed_workspaces
    from matching.demo import seed_matching
    from programs import milestones
    from programs.demo import demo_users, seed_programs
    from programs.models import Participant

    staff_viewers, _created = Group.objects.get_or_create(name=STAFF_VIEWERS_GROUP)
    # One hash for everyone: hashing is slow on purpose, and the demo has dozens of people.
    password_hash = make_password(DEMO_PASSWORD)
    users = {}
    for person in DEMO_PEOPLE:
        user, _created = User.objects.update_or_create(
            email=person.email,
            defaults={
                "display_name": person.display_name,
                "time_zone": person.time_zone,
                "preferred_language": person.language,
                "is_staff": person.superuser,
                "is_superuser": person.superuser,
                "is_active": True,
                "password": password_hash,
            },
        )
        users[person.email] = user
        EmailAddress.objects.update_or_create(
            user=user, email=person.email, defaults={"verified": True, "primary": True}
        )
        if person.staff_viewer:
            user.groups.add(staff_viewers)
    mentors = [user for email, user in users.items() if ".mentor@" in email]
    mentees = [user for email, user in users.items() if ".mentee@" in email]
    leadership, languages = seed_programs(
        coordinator=users["coordinator@example.org"],
        mentors=mentors,
        mentees=mentees,
        password_hash=password_hash,
    )
    extra = demo_users()
    seed_matching(
        leadership,
        coordinator=users["coordinator@example.org"],
        mentors=mentors,
        mentees=mentees,
        extra=extra,
    )
    seed_workspaces(leadership, coordinator=users["coordinator@example.org"], extra=extra)
    seed_surveys(leadership)
    seed_finished_cohorts(
        leadership, coordinator=users["coordinator@example.org"], password_hash=password_hash
    )
    # The seeding moved its history into the past: stamp each participant's milestones
    # from the moved events.
    milestones.rebuild(Participant.objects.filter(program__in=[leadership, languages]))
    return DEMO_PEOPLE


# When the finished cohorts of "Leading with confidence" started, in weeks before today:
# two cohorts a year, so the dashboard compares cycles side by side.
FINISHED_COHORTS_WEEKS_AGO = (46, 20)


@contextmanager
def notices_not_sent():
    """Drop the after-commit work (emails) of the services called inside: what they
    record happened months ago, and its notices went out then.

    The callbacks are removed from the connection's list the way Django's own
    captureOnCommitCallbacks reads them; this must run inside a transaction.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("notices_not_sent() needs a transaction.")
    start = len(connection.run_on_commit)
    try:
        yield
    finally:
        del connection.run_on_commit[start:]


def seed_finished_cohorts(program, *, coordinator, password_hash) -> None:
    """Give `program` two finished cohorts before its current one, each with its whole
    history at the dates it happened: people, requests, matches, workspaces, surveys and
    certificates. Safe to run again: a program with more than one cycle is left as is."""
    from evaluation.demo import seed_past_certificates, seed_past_surveys
    from journals.demo import seed_past_workspaces
    from matching.demo import seed_past_matches
    from programs.demo import close_past_cycle, seed_past_cycle

    if program.cycles.count() > 1:
        return
    today = timezone.localdate()
    with notices_not_sent():
        for number, weeks_ago in enumerate(FINISHED_COHORTS_WEEKS_AGO):
            past = seed_past_cycle(
                program,
                number=number,
                starts_on=today - timedelta(weeks=weeks_ago),
                coordinator=coordinator,
                password_hash=password_hash,
            )
            matches = seed_past_matches(past)
            seed_past_workspaces(past, matches)
            seed_past_surveys(past, matches)
            seed_past_certificates(past, matches)
            close_past_cycle(past)
