"""Template helpers of the programs app: safe Markdown and each participant's checklist."""

from dataclasses import dataclass, field

from django import template
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programs.markdown import render_markdown
from programs.models import Participant, TrainingCompletion, TrainingModule
from programs.models.training import Audience

register = template.Library()

State = Participant.State


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@dataclass
class Step:
    label: str
    url: str
    done: bool
    done_at: object = None


@dataclass
class Checklist:
    """What a participant still has to do before they can be matched."""

    done: int
    total: int
    next_label: str
    next_url: str
    steps: list[Step] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def _next_step(participant, *, questionnaire_done: bool, next_module_code) -> tuple[str, str]:
    code = participant.code
    if participant.state in (State.APPLIED, State.ENROLLED, State.READY):
        if not questionnaire_done:
            return _("Answer the questionnaire"), reverse(
                "programs:questionnaire", kwargs={"code": code}
            )
        if next_module_code:
            return _("Take the training"), reverse(
                "programs:training", kwargs={"code": code, "module": next_module_code}
            )
    labels = {
        State.APPLIED: _("Waiting for approval: see your program"),
        State.PAUSED: _("Paused: resume when you are ready"),
        State.READY: _("Ready to be matched: see your program"),
    }
    label = labels.get(participant.state, _("See your program"))
    return label, reverse("programs:participation", kwargs={"code": code})


def participation_checklist(participant, modules) -> Checklist:
    """Return the checklist of `participant` from their role's modules (with `completed_at`)."""
    code = participant.code
    steps = [
        Step(
            label=_("Answer the questionnaire"),
            url=reverse("programs:questionnaire", kwargs={"code": code}),
            done=participant.questionnaire_submitted_at is not None,
            done_at=participant.questionnaire_submitted_at,
        )
    ]
    for module in modules:
        if module.required:
            steps.append(
                Step(
                    label=module.title,
                    url=reverse("programs:training", kwargs={"code": code, "module": module.code}),
                    done=module.completed_at is not None,
                    done_at=module.completed_at,
                )
            )
    next_module = next((m for m in modules if m.required and m.completed_at is None), None)
    label, url = _next_step(
        participant,
        questionnaire_done=steps[0].done,
        next_module_code=next_module.code if next_module else None,
    )
    return Checklist(
        done=sum(step.done for step in steps),
        total=len(steps),
        next_label=label,
        next_url=url,
        steps=steps,
    )


def with_checklist_counts(participants):
    """Annotate each participant with its required modules, those done, and the next one.

    Three correlated subqueries keep the home page at one query whatever the number
    of programs and modules.
    """
    required = TrainingModule.objects.filter(program=OuterRef("program"), required=True).filter(
        Q(audience=Audience.EVERYONE) | Q(audience=OuterRef("role"))
    )
    completed = TrainingCompletion.objects.filter(
        participant=OuterRef(OuterRef("pk")), module=OuterRef("pk")
    )

    def count(modules):
        counted = modules.order_by().values("program").annotate(total=Count("pk")).values("total")
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    return participants.annotate(
        required_modules=count(required),
        modules_done=count(required.filter(Exists(completed))),
        next_module_code=Subquery(
            required.filter(~Exists(completed)).order_by("position", "pk").values("code")[:1]
        ),
    )


def home_checklist(participant) -> Checklist:
    """Return the checklist of a participant annotated by `with_checklist_counts`."""
    questionnaire_done = participant.questionnaire_submitted_at is not None
    label, url = _next_step(
        participant,
        questionnaire_done=questionnaire_done,
        next_module_code=participant.next_module_code,
    )
    return Checklist(
        done=int(questionnaire_done) + participant.modules_done,
        total=1 + participant.required_modules,
        next_label=label,
        next_url=url,
    )


@register.inclusion_tag("programs/participant/_home_programs.html")
def home_programs(user):
    """Show each of `user`'s programs with its state, progress and next step."""
    participants = with_checklist_counts(Participant.objects.for_home(user))
    return {
        "entries": [
            {"participant": participant, "checklist": home_checklist(participant)}
            for participant in participants
        ]
    }


@register.inclusion_tag("programs/participant/_progress.html")
def checklist_progress(checklist, label):
    """Show a checklist's progress bar, labelled for screen readers and with its text value."""
    return {"checklist": checklist, "label": label}
