"""Each participant's milestones: when they first applied, enrolled, finished their
required training, became ready to match, started a match and completed one.

Every service that moves a participant records a ParticipantEvent through `record`,
which saves the events and, in the same transaction, stamps the milestones they reach
for the first time; the training services stamp `trained_at` with `stamp_trained`.
The figures then count people with a plain grouped count of the participants' own
columns instead of searching the audit trail. `rebuild` recomputes the milestones from
the audit trail and the training completions (the migration that added them, demo
data whose history is moved into the past, bulk fills).
"""

from collections import defaultdict

from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from programs.models import Participant, ParticipantEvent, TrainingCompletion, TrainingModule
from programs.models.program import Role
from programs.models.training import Audience

State = Participant.State
BEYOND_ENROLLED = (State.ENROLLED, State.READY, State.MATCHED, State.COMPLETED)
BEYOND_READY = (State.READY, State.MATCHED, State.COMPLETED)

FIELDS = ("applied_at", "enrolled_at", "trained_at", "ready_at", "matched_at", "completed_at")
# Milestone: the events that reach it, as {event field: values}, any of them.
RULES = {
    "applied_at": {"from_state": (State.APPLIED,), "to_state": (State.APPLIED,)},
    "enrolled_at": {"to_state": BEYOND_ENROLLED},
    "ready_at": {"to_state": (State.READY,)},
    "matched_at": {"to_state": (State.MATCHED,)},
    # For each of the pair when a match runs to its end, whether or not it was their last.
    "completed_at": {"action": ("match_completed",), "to_state": (State.COMPLETED,)},
}


def reached() -> dict[str, Q]:
    """Return, per step, the condition on a participant of having reached it at some
    point: a milestone, or a state that can only come after it (people whose rows were
    written without an event, such as imports)."""
    return {
        "applied": Q(state=State.APPLIED) | Q(applied_at__isnull=False),
        "enrolled": Q(state__in=[*BEYOND_ENROLLED, State.PAUSED]) | Q(enrolled_at__isnull=False),
        # Someone matched straight from enrolled (a coordinator's match) was ready too.
        "ready": Q(state__in=BEYOND_READY)
        | Q(ready_at__isnull=False)
        | Q(matched_at__isnull=False),
        "matched": Q(state__in=[State.MATCHED, State.COMPLETED]) | Q(matched_at__isnull=False),
        "completed": Q(state=State.COMPLETED) | Q(completed_at__isnull=False),
    }


def _reaches(event: ParticipantEvent) -> tuple[str, ...]:
    return tuple(
        milestone
        for milestone, rule in RULES.items()
        if any(getattr(event, field) in values for field, values in rule.items())
    )


def record(events: list[ParticipantEvent]) -> list[ParticipantEvent]:
    """Save `events` and stamp the milestones each one reaches, where its participant
    had not reached it yet (one query per set of milestones and instant, two for a
    single event). A participant instance attached to an event gets the same values, so
    saving it later keeps them."""
    ParticipantEvent.objects.bulk_create(events)
    stamped = defaultdict(set)
    for event in events:
        milestones = _reaches(event)
        if not milestones:
            continue
        stamped[milestones, event.created_at].add(event.participant_id)
        if ParticipantEvent.participant.is_cached(event):
            for milestone in milestones:
                if getattr(event.participant, milestone) is None:
                    setattr(event.participant, milestone, event.created_at)
    for (milestones, at), participants in stamped.items():
        Participant.objects.filter(pk__in=participants).update(
            **{milestone: Coalesce(F(milestone), Value(at)) for milestone in milestones}
        )
    return events


def stamp_trained(participant_ids, at) -> None:
    """Stamp `trained_at` for these participants, where it is not set yet: the caller
    has checked that they finished every module required for their role."""
    Participant.objects.filter(pk__in=participant_ids, trained_at__isnull=True).update(
        trained_at=at
    )


def rule_condition(rule: dict) -> Q:
    condition = Q()
    for field, values in rule.items():
        condition |= Q(**{f"{field}__in": values})
    return condition


def rebuild(
    participants: QuerySet,
    events: QuerySet | None = None,
    completions: QuerySet | None = None,
    modules: QuerySet | None = None,
) -> None:
    """Recompute the milestones of `participants` from their events and training
    completions (a query or two per milestone). A migration passes its own tables."""
    if events is None:
        events = ParticipantEvent.objects.all()
    if completions is None:
        completions = TrainingCompletion.objects.all()
    if modules is None:
        modules = TrainingModule.objects.all()
    _rebuild_trained(participants, completions, modules)
    for milestone, rule in RULES.items():
        first = (
            events.filter(rule_condition(rule), participant=OuterRef("pk"))
            .order_by()
            .values("participant")
            .annotate(first=Min("created_at"))
            .values("first")
        )
        participants.update(**{milestone: Subquery(first)})


def _rebuild_trained(participants: QuerySet, completions: QuerySet, modules: QuerySet) -> None:
    """`trained_at`: when the last of the modules now required for their role was
    finished, for the people who finished them all."""
    participants.update(trained_at=None)
    for role in Role.values:
        audience = [Audience.EVERYONE, role]
        required = (
            modules.filter(program=OuterRef("program"), required=True, audience__in=audience)
            .order_by()
            .values("program")
            .annotate(modules=Count("pk"))
            .values("modules")
        )
        done = (
            completions.filter(
                participant=OuterRef("pk"), module__required=True, module__audience__in=audience
            )
            .order_by()
            .values("participant")
        )
        finished = (
            participants.filter(role=role)
            .alias(
                required=Coalesce(Subquery(required), Value(0), output_field=IntegerField()),
                done=Coalesce(
                    Subquery(done.annotate(modules=Count("pk")).values("modules")),
                    Value(0),
                    output_field=IntegerField(),
                ),
            )
            .filter(required__gt=0, done__gte=F("required"))
            .values("pk")
        )
        participants.filter(pk__in=finished).update(
            trained_at=Subquery(done.annotate(last=Max("completed_at")).values("last"))
        )
