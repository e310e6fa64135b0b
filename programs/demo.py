"""Demo programs: two programs with cycles and about forty people in every state."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from programs import services
from programs.models import Invitation, Participant, Program, Question
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


def _answer_all(participant: Participant, rng: random.Random, topics: list[str]) -> None:
    questions = Question.objects.for_role(participant.program_id, participant.role).shown()
    values = {q.pk: _answer_value(q, rng, topics, participant.user.time_zone) for q in questions}
    services.save_answers(participant, values, by=participant.user, submit=True)


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
    from allauth.account.models import EmailAddress

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
    for user, role, target in plan:
        participant = Participant.objects.filter(program=leadership, user=user, role=role).first()
        if participant is None:
            participant = services.join_program(
                leadership, user, role=role, age_confirmed=True, department=rng.choice(DEPARTMENTS)
            )
            if target in ("ready", "paused"):
                _answer_all(participant, rng, topics)
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
    for n, email in enumerate(
        ["nadia@demo.example.org", "omar@demo.example.org", "pia@demo.example.org"]
    ):
        if not Invitation.objects.filter(program=leadership, email=email).exists():
            Invitation.objects.create(
                program=leadership,
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
