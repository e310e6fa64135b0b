"""Demo programs: two programs with cycles and about forty people in every state, and
two finished cohorts of "Leading with confidence" before the current one."""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from programs import services
from programs.models import (
    Answer,
    Cycle,
    Invitation,
    Participant,
    ParticipantEvent,
    Program,
    Question,
    TrainingCompletion,
)
from programs.models.enrolment import INVITATION_LIFETIME

LEADERSHIP = "Leading with confidence"
LANGUAGES = "Language exchange mentors"

FIRST_NAMES = [
    "Aiko",
    "Bruno",
    "Carmen",
    "Diego",
    "Esther",
    "Femi",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kemi",
    "Luca",
    "Maya",
    "Nils",
    "Olu",
    "Priya",
    "Quentin",
    "Rosa",
    "Sami",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zara",
    "Aline",
    "Boris",
    "Chloe",
    "Dmitri",
    "Elena",
    "Farid",
    "Gia",
    "Hana",
]
ZONES = [
    "Europe/Paris",
    "Europe/London",
    "America/New_York",
    "America/Toronto",
    "Africa/Lagos",
    "Africa/Nairobi",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Australia/Sydney",
    "America/Sao_Paulo",
]
DEPARTMENTS = ["Engineering", "Sales", "Finance", "Operations", "Marketing", "People"]


def _answer_value(question: Question, rng: random.Random, topics: list[str], zone: str):
    kind = question.kind
    if kind == "topics":
        return rng.sample(topics, k=min(len(topics), rng.randint(2, 4)))
    if kind == "languages":
        return ["en"] + rng.sample(["fr", "es", "de", "pt", "ar", "hi"], k=rng.randint(0, 2))
    if kind == "availability":
        days = rng.sample(range(7), k=3)
        start = rng.choice([8, 12, 18])
        return {
            "time_zone": zone,
            "slots": [f"{d}-{h}" for d in days for h in range(start, start + 2)],
        }
    if kind == "scale":
        return rng.randint(1, 5)
    if kind == "single_choice":
        return question.choices[0] if question.choices else ""
    if kind == "multiple_choice":
        return question.choices[:1]
    return rng.choice(
        [
            "I want to grow as a manager and learn to negotiate better.",
            "Twenty years in the field; happy to share what worked and what did not.",
            "Prepare for a first leadership role within a year.",
            "Help people find their voice in meetings.",
        ]
    )


def _complete_training(participant: Participant) -> None:
    for module in services.enrolment.required_modules(participant):
        answer = module.check_answer if module.is_quiz else True
        services.complete_training(participant, module, by=participant.user, answer=answer)


def _program(name, coordinator, **settings):
    program = Program.objects.filter(name=name).first()
    if program is None:
        program = services.create_program(by=coordinator, name=name, **settings)
    today = timezone.now().date()
    if not program.cycles.exists():
        services.create_cycle(
            program,
            by=coordinator,
            name="2026 – 2027",
            enrolment_opens_on=today - timedelta(days=14),
            enrolment_closes_on=today + timedelta(days=21),
            matching_opens_on=today - timedelta(days=7),
            matching_closes_on=today + timedelta(days=35),
            starts_on=today + timedelta(days=7),
        )
    return program


def demo_users() -> list:
    """Return the generated demo people, in the order the plans below use them."""
    by_email = get_user_model().objects.in_bulk(
        [f"{first.lower()}@demo.example.org" for first in FIRST_NAMES], field_name="email"
    )
    return [by_email[f"{first.lower()}@demo.example.org"] for first in FIRST_NAMES]


def seed_programs(*, coordinator, mentors, mentees, password_hash) -> list[Program]:
    """Create the demo programs and put people in every state. Safe to run again."""
    rng = random.Random(2026)
    leadership = _program(
        LEADERSHIP,
        coordinator,
        description=(
            "Ten weeks of one-to-one mentoring for people stepping into their first "
            "leadership role."
        ),
        objectives=(
            "Build confidence to lead a team\nLearn to negotiate and give feedback\n"
            "Widen networks across departments"
        ),
        topics=[
            "Negotiation",
            "Giving feedback",
            "Public speaking",
            "Leading a team",
            "Career planning",
            "Time management",
            "Hiring",
            "Strategy",
        ],
        status=Program.Status.OPEN,
        enrolment_mode=Program.EnrolmentMode.OPEN_LINK,
        target_mentors=15,
        target_mentees=25,
    )
    languages = _program(
        LANGUAGES,
        coordinator,
        description="Native speakers mentor learners through conversation practice.",
        objectives="Speak with confidence\nPrepare for a language certificate",
        topics=[
            "Conversation",
            "Business French",
            "Business English",
            "Exam preparation",
            "Pronunciation",
        ],
        status=Program.Status.OPEN,
        enrolment_mode=Program.EnrolmentMode.APPLICATION,
        allow_dual_role=True,
        target_mentors=8,
        target_mentees=12,
    )
    User = get_user_model()
    extra = []
    for n, first in enumerate(FIRST_NAMES):
        user, _created = User.objects.update_or_create(
            email=f"{first.lower()}@demo.example.org",
            defaults={
                "display_name": f"{first} Demo",
                "time_zone": ZONES[n % len(ZONES)],
                "password": password_hash,
            },
        )
        extra.append(user)
    for user in extra:
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )

    topics = list(leadership.topics.values_list("name", flat=True))
    # Who is where in "Leading with confidence": (user, role, target state)
    plan = [(user, "mentor", "ready") for user in mentors]
    plan += [(user, "mentee", "ready") for user in mentees]
    plan += [(user, "mentor", "ready") for user in extra[:10]]
    plan += [(user, "mentee", "ready") for user in extra[10:20]]
    plan += [(user, "mentee", "enrolled") for user in extra[20:24]]
    plan += [(user, "mentor", "enrolled") for user in extra[24:26]]
    plan += [
        (extra[26], "mentor", "paused"),
        (extra[27], "mentee", "paused"),
        (extra[28], "mentee", "withdrawn"),
    ]
    joined = []
    for user, role, target in plan:
        participant = Participant.objects.filter(program=leadership, user=user, role=role).first()
        if participant is None:
            participant = services.join_program(
                leadership, user, role=role, age_confirmed=True, department=rng.choice(DEPARTMENTS)
            )
            joined.append((participant, target))
    _answer_in_bulk(
        [participant for participant, target in joined if target in ("ready", "paused")],
        rng,
        topics,
    )
    for participant, target in joined:
        user, role = participant.user, participant.role
        if target in ("ready", "paused"):
            _complete_training(participant)
        elif rng.random() < 0.5:  # a half-done questionnaire saved as a draft
            first = Question.objects.for_role(leadership, role).shown().first()
            services.save_answers(
                participant,
                {first.pk: _answer_value(first, rng, topics, user.time_zone)},
                by=user,
                submit=False,
            )
        if target == "paused":
            services.pause_participant(participant, by=user, reason="Busy quarter at work.")
        if target == "withdrawn":
            services.withdraw_participant(participant, by=user, reason="Changed jobs.")
    # People joined over the first days of enrolment, and got ready a day or two later.
    now = timezone.now()
    timeline = {}
    for participant, target in joined:
        came = now - timedelta(days=rng.uniform(8, 13), hours=rng.uniform(0, 12))
        ready = (
            came + timedelta(days=rng.uniform(0.5, 3)) if target in ("ready", "paused") else None
        )
        timeline[participant.pk] = (
            came,
            ready,
            (ready or came) + timedelta(days=rng.uniform(1, 4)),
        )
    _place_people(timeline)
    for n, email in enumerate(
        ["nadia@demo.example.org", "omar@demo.example.org", "pia@demo.example.org"]
    ):
        if not Invitation.objects.filter(program=leadership, email=email).exists():
            Invitation.objects.create(
                program=leadership,
                cycle=leadership.cycles.order_by("-starts_on").first(),
                email=email,
                role="mentee" if n else "mentor",
                invited_by=coordinator,
                expires_at=timezone.now() + INVITATION_LIFETIME,
                sent_count=1,
                last_sent_at=timezone.now(),
            )
    # "Language exchange mentors" takes applications: some wait for the coordinator.
    for user, role in [(extra[29], "mentee"), (extra[0], "mentee"), (mentees[0], "mentor")]:
        if not Participant.objects.filter(program=languages, user=user, role=role).exists():
            services.join_program(
                languages,
                user,
                role=role,
                age_confirmed=True,
                application_message="I would love to practise with a native speaker every week.",
            )
    # ...and some were approved.
    for n, user in enumerate(extra[30:34]):
        role = "mentor" if n % 2 else "mentee"
        if not Participant.objects.filter(program=languages, user=user, role=role).exists():
            applicant = services.join_program(
                languages,
                user,
                role=role,
                age_confirmed=True,
                application_message="Weekly conversation practice would help me a lot.",
            )
            services.approve_application(applicant, by=coordinator)
    return [leadership, languages]


# ---------------------------------------------------------------- finished cohorts

# The people of the finished cohorts: each cohort pairs these first names with the last
# names turned by a different step, so nobody appears twice.
ALUMNI_FIRST_NAMES = [
    "Adele",
    "Bilal",
    "Clara",
    "Dario",
    "Emeka",
    "Fatima",
    "Goran",
    "Helena",
    "Ibrahim",
    "Julia",
    "Kwame",
    "Lena",
    "Mateo",
    "Naomi",
    "Oscar",
    "Paula",
    "Rafael",
    "Sofia",
    "Tomas",
    "Valeria",
    "Wanjiru",
    "Yara",
    "Zoltan",
    "Anouk",
    "Baptiste",
    "Camila",
    "Deniz",
    "Emil",
]
ALUMNI_LAST_NAMES = [
    "Abbott",
    "Bianchi",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jansen",
    "Kowalski",
    "Lefebvre",
    "Mensah",
    "Novak",
    "Okoye",
    "Petrov",
    "Quinn",
    "Rossi",
    "Sato",
    "Tanaka",
    "Usman",
    "Vargas",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zhou",
    "Andersen",
    "Brennan",
]
WITHDRAWAL_REASONS = ["Moved to another company.", "A new role leaves me no time this year."]


def at(day: date, hour: float = 9.0) -> datetime:
    """Return `day` at `hour` (UTC): when something of a finished cohort happened."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC) + timedelta(hours=hour)


@dataclass
class PastCycle:
    """A finished cohort of the demo: its dates, its ready people and when each became
    ready. The matching, journals and evaluation demos add their history to it."""

    cycle: Cycle
    number: int
    coordinator: object
    rng: random.Random
    enrolment_opens_on: date
    enrolment_closes_on: date
    matching_opens_on: date
    matching_closes_on: date
    starts_on: date
    mentors: list[Participant] = field(default_factory=list)
    mentees: list[Participant] = field(default_factory=list)
    ready_at: dict[int, datetime] = field(default_factory=dict)

    @property
    def matching_opens_at(self) -> datetime:
        return at(self.matching_opens_on, 8)


def _past_dates(starts_on: date) -> dict:
    return {
        "enrolment_opens_on": starts_on - timedelta(weeks=5),
        "enrolment_closes_on": starts_on + timedelta(weeks=1),
        "matching_opens_on": starts_on - timedelta(weeks=3),
        "matching_closes_on": starts_on + timedelta(weeks=3),
        "starts_on": starts_on,
    }


def _alumni(number: int, people: int, password_hash: str) -> list:
    """Return the accounts of a finished cohort's people, created on first use."""
    User = get_user_model()
    step = 5 + 7 * number
    names = [
        (first, ALUMNI_LAST_NAMES[(n + step) % len(ALUMNI_LAST_NAMES)])
        for n, first in enumerate(ALUMNI_FIRST_NAMES[:people])
    ]
    emails = [f"{first}.{last}@demo.example.org".lower() for first, last in names]
    existing = User.objects.in_bulk(emails, field_name="email")
    User.objects.bulk_create(
        User(
            email=email,
            display_name=f"{first} {last}",
            time_zone=ZONES[(n + number) % len(ZONES)],
            password=password_hash,
        )
        for n, ((first, last), email) in enumerate(zip(names, emails, strict=True))
        if email not in existing
    )
    users = User.objects.in_bulk(emails, field_name="email")
    EmailAddress.objects.bulk_create(
        EmailAddress(user=users[email], email=email, verified=True, primary=True)
        for email in emails
        if email not in existing
    )
    return [users[email] for email in emails]


def _answer_in_bulk(people: list[Participant], rng: random.Random, topics: list[str]) -> None:
    """Write and submit the questionnaires of `people` in one insert.

    save_answers checks and stores one person at a time, two queries per question, and
    the demo answers for about eighty people; these answers are the values the form
    would have stored, and the readiness check runs through the training service next.
    """
    if not people:
        return
    questions = {
        role: list(Question.objects.for_role(people[0].program_id, role).shown())
        for role in ("mentor", "mentee")
    }
    Answer.objects.bulk_create(
        Answer(
            participant=participant,
            question=question,
            value=_answer_value(question, rng, topics, participant.user.time_zone),
        )
        for participant in people
        for question in questions[participant.role]
    )
    Participant.objects.filter(pk__in=[p.pk for p in people]).update(
        questionnaire_submitted_at=timezone.now()
    )


def _place_people(timeline: dict[int, tuple[datetime, datetime | None, datetime | None]]):
    """Move what joining, getting ready and pausing or leaving recorded to when it
    happened: `timeline` maps each participant to (joined, ready, paused or left)."""
    people = list(Participant.objects.filter(pk__in=timeline))
    for participant in people:
        joined, ready, left = timeline[participant.pk]
        participant.joined_at = participant.age_confirmed_at = joined
        participant.questionnaire_submitted_at = ready
    Participant.objects.bulk_update(
        people, ["joined_at", "age_confirmed_at", "questionnaire_submitted_at"]
    )
    moments = {"joined": 0, "accepted_invitation": 0, "ready": 1, "paused": 2, "withdrew": 2}
    events = list(ParticipantEvent.objects.filter(participant__in=timeline))
    for event in events:
        joined, *later = timeline[event.participant_id]
        event.created_at = ([joined, *later][moments.get(event.action, 0)]) or joined
    ParticipantEvent.objects.bulk_update(events, ["created_at"])
    completions = list(TrainingCompletion.objects.filter(participant__in=timeline))
    for completion in completions:
        completion.completed_at = timeline[completion.participant_id][1] - timedelta(hours=2)
    TrainingCompletion.objects.bulk_update(completions, ["completed_at"])


def seed_past_cycle(
    program: Program, *, number: int, starts_on: date, coordinator, password_hash: str
) -> PastCycle:
    """Create a finished cohort of `program` starting on `starts_on`, with its people
    invited, joined, trained and ready (or not) at the dates they did it.

    The cohort's windows are open while the services run (they refuse a match outside
    the matching window); close_past_cycle gives it its real dates once its history is
    written.
    """
    rng = random.Random(2024 + number)
    dates = _past_dates(starts_on)
    today = timezone.localdate()
    cycle = services.create_cycle(
        program,
        by=coordinator,
        name=f"{starts_on:%B %Y}",
        enrolment_opens_on=today - timedelta(days=1),
        enrolment_closes_on=today + timedelta(days=1),
        matching_opens_on=today - timedelta(days=1),
        matching_closes_on=today + timedelta(days=1),
        starts_on=today,
    )
    past = PastCycle(cycle=cycle, number=number, coordinator=coordinator, rng=rng, **dates)
    mentors, mentees = (9, 13) if number == 0 else (10, 15)
    users = _alumni(number, mentors + mentees, password_hash)
    roles = ["mentor"] * mentors + ["mentee"] * mentees
    opens = at(dates["enrolment_opens_on"], 8)
    # Most joined through the coordinator's invitation, a few through the open link, and
    # a few invitations were never answered.
    invited = [n for n in range(len(users)) if n % 9 != 4]
    strangers = [
        (ALUMNI_FIRST_NAMES[-1 - n], ALUMNI_LAST_NAMES[n + 3 * number]) for n in range(2 + number)
    ]
    invitations = services.import_invitations(
        program,
        [
            {"email": users[n].email, "role": roles[n], "name": users[n].display_name}
            for n in invited
        ]
        + [
            {
                "email": f"{first}.{last}.{number}@demo.example.org".lower(),
                "role": "mentee",
                "name": f"{first} {last}",
            }
            for first, last in strangers
        ],
        by=coordinator,
        cycle=cycle,
    )
    invitation_of = dict(zip(invited, invitations, strict=False))
    joined_people, timeline, invitation_pk_to_person = [], {}, {}
    for n, user in enumerate(users):
        role = roles[n]
        position = n if role == "mentor" else n - mentors
        capacity = (2 if position < 3 else 1) if role == "mentor" else None
        if n in invitation_of:
            participant = services.accept_invitation(
                invitation_of[n], user, age_confirmed=True, capacity=capacity
            )
            invitation_pk_to_person[invitation_of[n].pk] = participant.pk
        else:
            participant = services.join_program(
                program, user, role=role, age_confirmed=True, cycle=cycle, capacity=capacity
            )
        joined = opens + timedelta(days=rng.uniform(1, 19), hours=rng.uniform(0, 10))
        # One person per role left before getting ready; the last mentee never finished
        # the questionnaire.
        if position == (3 if role == "mentor" else 6):
            services.withdraw_participant(
                participant, by=user, reason=WITHDRAWAL_REASONS[number % 2]
            )
            timeline[participant.pk] = (joined, None, joined + timedelta(days=rng.uniform(2, 9)))
        elif role == "mentee" and position == mentees - 1:
            timeline[participant.pk] = (joined, None, None)
        else:
            ready = joined + timedelta(days=rng.uniform(1, 9), hours=rng.uniform(0, 6))
            timeline[participant.pk] = (joined, ready, None)
            joined_people.append(participant)
    _answer_in_bulk(joined_people, rng, list(program.topics.values_list("name", flat=True)))
    for participant in joined_people:
        _complete_training(participant)
        participant.refresh_from_db(fields=["state"])
        (past.mentors if participant.role == "mentor" else past.mentees).append(participant)
        past.ready_at[participant.pk] = timeline[participant.pk][1]
    _place_people(timeline)
    for n, invitation in enumerate(invitations):
        if n < len(invited):
            participant = invitation_pk_to_person[invitation.pk]
            joined = timeline[participant][0]
            invitation.accepted_at = joined
            sent = max(opens + timedelta(hours=2), joined - timedelta(days=rng.uniform(0.5, 4)))
        else:  # never answered: it expired a month later
            sent = opens + timedelta(hours=2, days=rng.uniform(0, 6))
        invitation.created_at = invitation.last_sent_at = sent
        invitation.expires_at = sent + INVITATION_LIFETIME
    Invitation.objects.bulk_update(
        invitations, ["created_at", "last_sent_at", "expires_at", "accepted_at"]
    )
    return past


def close_past_cycle(past: PastCycle) -> None:
    """Give a finished cohort its real dates, now that its history is written."""
    Cycle.objects.filter(pk=past.cycle.pk).update(
        enrolment_opens_on=past.enrolment_opens_on,
        enrolment_closes_on=past.enrolment_closes_on,
        matching_opens_on=past.matching_opens_on,
        matching_closes_on=past.matching_closes_on,
        starts_on=past.starts_on,
    )
