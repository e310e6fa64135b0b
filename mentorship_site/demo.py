"""Demo data: the same people every time, so the README's log-ins always work.

Every feature adds what it needs here, so that `make run` shows the whole platform.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

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
    from programs.demo import demo_users, seed_programs

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
    leadership, _languages = seed_programs(
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
    return DEMO_PEOPLE
