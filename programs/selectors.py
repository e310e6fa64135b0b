"""Reads the coordinator's pages need: each a fixed number of queries, whatever the data size."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from programs.models import (
    Answer,
    Invitation,
    Participant,
    ParticipantEvent,
    Program,
    Question,
    TrainingCompletion,
)
from programs.models.program import Role

State = Participant.State

# The funnel's rows, in the order people move through them; "invited" counts invitations.
FUNNEL_STATES = [State.APPLIED, State.ENROLLED, State.READY, State.MATCHED, State.COMPLETED]
SIDE_STATES = [State.PAUSED, State.WITHDRAWN]
# Who counts towards the program's targets: everyone who joined and has not left.
JOINED_STATES = [State.ENROLLED, State.READY, State.MATCHED, State.COMPLETED, State.PAUSED]


@dataclass
class FunnelRow:
    key: str
    label: str
    mentors: int
    mentees: int

    @property
    def total(self) -> int:
        return self.mentors + self.mentees


@dataclass
class Target:
    role_label: str
    joined: int
    target: int

    @property
    def percent(self) -> int:
        if not self.target:
            return 0
        return min(100, round(100 * self.joined / self.target))


@dataclass
class Overview:
    funnel: list
    side: list
    targets: list
    expired_invitations: int
    cycles: list


def invitation_counts(program: Program, now=None) -> dict:
    """Return pending (usable) and expired invitations by role, in one aggregate query."""
    now = now or timezone.now()
    pending = Q(status=Invitation.Status.PENDING)
    usable = pending & Q(expires_at__gt=now)
    expired = pending & Q(expires_at__lte=now)
    return Invitation.objects.filter(program=program).aggregate(
        mentor=Count("pk", filter=usable & Q(role=Role.MENTOR)),
        mentee=Count("pk", filter=usable & Q(role=Role.MENTEE)),
        expired=Count("pk", filter=expired),
    )


def program_overview(program: Program) -> Overview:
    """Return the funnel by role, the targets and the cycles with their people (3 queries)."""
    counts = Participant.objects.in_program(program).funnel()
    invited = invitation_counts(program)

    def row(state):
        return FunnelRow(
            key=state.value,
            label=state.label,
            mentors=counts.get((Role.MENTOR, state.value), 0),
            mentees=counts.get((Role.MENTEE, state.value), 0),
        )

    def joined(role):
        return sum(counts.get((role, state.value), 0) for state in JOINED_STATES)

    funnel = [
        FunnelRow(
            "invited", _("Invited (invitation waiting)"), invited["mentor"], invited["mentee"]
        ),
        *(row(state) for state in FUNNEL_STATES),
    ]
    not_left = Q(participants__state__in=[s for s in State.values if s != State.WITHDRAWN])
    cycles = list(
        program.cycles.annotate(
            mentors=Count("participants", filter=not_left & Q(participants__role=Role.MENTOR)),
            mentees=Count("participants", filter=not_left & Q(participants__role=Role.MENTEE)),
        ).order_by("-starts_on")
    )
    return Overview(
        funnel=funnel,
        side=[row(state) for state in SIDE_STATES],
        targets=[
            Target(_("Mentors"), joined(Role.MENTOR), program.target_mentors),
            Target(_("Mentees"), joined(Role.MENTEE), program.target_mentees),
        ],
        expired_invitations=invited["expired"],
        cycles=cycles,
    )


def filter_participants(program: Program, *, role="", state="", cycle=None, search=""):
    """Return the program's participants matching the coordinator's filters, by name."""
    participants = Participant.objects.in_program(program).for_coordinator_list()
    if role:
        participants = participants.filter(role=role)
    if state:
        participants = participants.filter(state=state)
    if cycle is not None:
        participants = participants.filter(cycle=cycle)
    search = search.strip()
    if search:
        participants = participants.filter(
            Q(user__display_name__icontains=search) | Q(user__email__icontains=search)
        )
    return participants


def applications(program: Program):
    """Return the applications waiting for a decision, oldest first."""
    return (
        Participant.objects.in_program(program)
        .filter(state=State.APPLIED)
        .select_related("user", "cycle")
        .order_by("joined_at", "pk")
    )


def invitations(program: Program):
    return (
        Invitation.objects.filter(program=program)
        .select_related("cycle", "invited_by")
        .order_by("-created_at", "-pk")
    )


def invitee_conflicts(program: Program, emails: set[str]) -> tuple[set, set]:
    """Return the (email, role) pairs already enrolled and already invited (2 queries)."""
    emails = {email.lower() for email in emails}
    enrolled = {
        (email.lower(), role)
        for email, role in Participant.objects.in_program(program)
        .exclude(state=State.WITHDRAWN)
        .annotate(email=Lower("user__email"))
        .filter(email__in=emails)
        .values_list("email", "role")
    }
    invited = {
        (email, role)
        for email, role in Invitation.objects.filter(
            program=program, status=Invitation.Status.PENDING
        )
        .annotate(lower_email=Lower("email"))
        .filter(lower_email__in=emails)
        .values_list("lower_email", "role")
    }
    return enrolled, invited


# --- answers, made readable ------------------------------------------------


def readable_answer(question: Question, value) -> str:
    """Return an answer as a person reads it: lists joined, availability as a slot count."""
    if value in (None, "", [], {}):
        return ""
    if question.kind == Question.Kind.AVAILABILITY and isinstance(value, dict):
        slots = value.get("slots") or []
        text = ngettext("%(count)d slot a week", "%(count)d slots a week", len(slots)) % {
            "count": len(slots)
        }
        zone = value.get("time_zone")
        return f"{text} ({zone})" if zone else text
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def program_questions(program: Program, *, include_sensitive: bool):
    questions = Question.objects.filter(program=program).order_by("role", "position", "pk")
    if not include_sensitive:
        questions = questions.filter(sensitive=False)
    return list(questions)


def participants_for_export(participants):
    """Add each participant's answers, in one extra query however many there are."""
    return participants.prefetch_related(
        Prefetch("answers", queryset=Answer.objects.only("participant_id", "question_id", "value"))
    )


# --- one participant --------------------------------------------------------


# What ParticipantEvent.action records, as the history shows it.
EVENT_LABELS = {
    "joined": gettext_lazy("Joined through the program's link"),
    "applied": gettext_lazy("Applied"),
    "accepted_invitation": gettext_lazy("Accepted the invitation"),
    "approved": gettext_lazy("Application approved"),
    "declined": gettext_lazy("Application declined"),
    "paused": gettext_lazy("Paused"),
    "resumed": gettext_lazy("Resumed"),
    "withdrew": gettext_lazy("Withdrawn"),
    "ready": gettext_lazy("Ready to match"),
    "not_ready": gettext_lazy("No longer ready to match"),
    "capacity": gettext_lazy("Changed the number of mentees"),
}


def _state_label(value: str) -> str:
    return State(value).label if value in State.values else value


@dataclass
class HistoryEntry:
    event: ParticipantEvent

    @property
    def label(self):
        return EVENT_LABELS.get(self.event.action, self.event.action)

    @property
    def from_state(self):
        return _state_label(self.event.from_state)

    @property
    def to_state(self):
        return _state_label(self.event.to_state)


@dataclass
class ParticipantFile:
    participant: Participant
    answers: list
    training: list
    events: list


def participant_file(program: Program, participant: Participant, *, include_sensitive: bool):
    """Return what the coordinator's participant page shows: answers, training, history."""
    stored = {
        answer.question_id: answer
        for answer in Answer.objects.filter(participant=participant).only(
            "question_id", "value", "next_value", "updated_at"
        )
    }
    answers = []
    for question in Question.objects.for_role(program, participant.role):
        if question.sensitive and not include_sensitive:
            continue
        answer = stored.get(question.pk)
        answers.append(
            {
                "question": question,
                "text": readable_answer(question, answer.value if answer else None),
                "next_text": readable_answer(question, answer.next_value) if answer else "",
            }
        )
    training = list(
        TrainingCompletion.objects.filter(participant=participant)
        .select_related("module")
        .order_by("completed_at")
    )
    events = [
        HistoryEntry(event)
        for event in ParticipantEvent.objects.filter(participant=participant)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    ]
    return ParticipantFile(participant, answers, training, events)


ACTIVE_STATES = {State.ENROLLED, State.READY, State.MATCHED}


def participant_actions(participant: Participant) -> list[str]:
    """Return the actions a coordinator may take on `participant` in its present state."""
    if participant.state == State.APPLIED:
        return ["approve", "decline"]
    if participant.state == State.WITHDRAWN:
        return []
    actions = []
    if participant.state in ACTIVE_STATES:
        actions.append("pause")
    if participant.state == State.PAUSED:
        actions.append("resume")
    return [*actions, "withdraw"]
