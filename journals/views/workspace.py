"""The workspace page of a pair: who is who, this week's prompt, a summary of each part,
and the end of the match (ended early by one of the pair or a coordinator, or extended by
a coordinator).

Each part of the workspace (messages, meetings, journal) offers `summary_context(workspace)`
and a `_summary.html` partial; a part that is not there yet is left out.
"""

import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from journals.access import Workspace, get_workspace
from journals.forms.workspace import EndMatchForm, ExtendMatchForm
from journals.views.journal import summary_context as journal_summary
from journals.views.meetings import summary_context as meetings_summary
from journals.views.messages import summary_context as messages_summary
from matching import reasons
from matching import services as matching
from matching.views.participant import SUMMARY_KINDS
from programs.forms.participant import show_error
from programs.models import Answer, Participant, Question, WeeklyPrompt
from programs.services.errors import ProgramError


@dataclass
class Profile:
    """One person of the pair as the page shows them: never a sensitive answer."""

    participant: Participant
    answers: list = field(default_factory=list)
    local_now: datetime | None = None
    zone: str = ""


def _answer_text(question: Question, value) -> str:
    if not isinstance(value, list):
        return ""
    if question.kind == Question.Kind.LANGUAGES:
        return ", ".join(reasons.language_name(str(code)) for code in value)
    return ", ".join(str(item) for item in value)


def _local_now(user) -> datetime | None:
    try:
        return timezone.now().astimezone(zoneinfo.ZoneInfo(user.time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def profiles(workspace: Workspace) -> list[Profile]:
    """Return the partner (both people, for a coordinator) with their shareable answers."""
    match = workspace.match
    people = [workspace.partner] if workspace.is_participant else [match.mentor, match.mentee]
    by_person = {
        person.pk: Profile(person, local_now=_local_now(person.user), zone=person.user.time_zone)
        for person in people
    }
    # One query for everyone shown; the same rule as the match page: what you will talk
    # about and in which language, never a sensitive or hidden question.
    answers = (
        Answer.objects.filter(
            participant__in=list(by_person),
            question__sensitive=False,
            question__hidden=False,
            question__kind__in=SUMMARY_KINDS,
        )
        .select_related("question")
        .order_by("question__position", "question__pk")
    )
    for answer in answers:
        if text := _answer_text(answer.question, answer.value):
            by_person[answer.participant_id].answers.append((answer.question.label, text))
    return list(by_person.values())


def current_week(match) -> int:
    """Return the week of the cycle today falls in, in the viewer's zone; an ended match
    stays at the week it ended in."""
    today = timezone.localdate()
    if match.ended_at is not None:
        today = min(today, timezone.localdate(match.ended_at))
    return match.week_of(today)


def _page_context(workspace: Workspace) -> dict:
    match = workspace.match
    return {
        "workspace": workspace,
        "match": match,
        "program": match.program,
        "participant": workspace.participant,
        "partner": workspace.partner,
    }


@login_required
def workspace(request, code):
    workspace = get_workspace(request.user, code)
    match = workspace.match
    week = current_week(match)
    context = {
        **_page_context(workspace),
        "profiles": profiles(workspace),
        "week": week,
        "prompt": WeeklyPrompt.objects.filter(program_id=match.program_id, week=week).first(),
        # Each part's summary: a fixed number of queries each (pinned by the tests).
        **messages_summary(workspace),
        **meetings_summary(workspace),
        **journal_summary(workspace),
        "end_form": EndMatchForm(),
        "extend_form": ExtendMatchForm(match=match),
        "latest_end": match.latest_end_date(),
    }
    return render(request, "journals/workspace/workspace.html", context)


@login_required
def prompts(request, code):
    workspace = get_workspace(request.user, code)
    match = workspace.match
    week = current_week(match)
    weekly = WeeklyPrompt.objects.filter(program_id=match.program_id)
    if workspace.is_participant:
        weekly = weekly.filter(week__lte=week)  # later weeks stay a surprise
    context = {**_page_context(workspace), "week": week, "prompts": list(weekly)}
    return render(request, "journals/workspace/prompts.html", context)


def _refuse_ended(request, workspace: Workspace):
    messages.info(request, _("This match has ended."))
    return redirect("journals:workspace", code=workspace.match.code)


@login_required
def end_match(request, code):
    workspace = get_workspace(request.user, code)
    if workspace.read_only:
        return _refuse_ended(request, workspace)
    form = EndMatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            matching.end_match(workspace.match, by=request.user, reason=form.cleaned_data["reason"])
        except ProgramError as error:
            if error.field is None:  # the match ended meanwhile, or the viewer may not
                messages.error(request, error.message)
                return redirect("journals:workspace", code=code)
            show_error(form, error)
        else:
            messages.success(
                request, _("The match has ended. What you shared stays readable here.")
            )
            return redirect("journals:workspace", code=code)
    context = {**_page_context(workspace), "form": form}
    return render(request, "journals/workspace/end_match.html", context)


@require_POST
@login_required
def extend_match(request, code):
    workspace = get_workspace(request.user, code)
    if workspace.read_only:
        return _refuse_ended(request, workspace)
    match = workspace.match
    form = ExtendMatchForm(request.POST, match=match)
    if not form.is_valid():
        messages.error(
            request,
            _("Choose a new end date up to %(date)s.")
            % {"date": date_format(match.latest_end_date(), "DATE_FORMAT")},
        )
        return redirect("journals:workspace", code=code)
    try:
        matching.extend_match(
            match, by=request.user, ends_on=form.cleaned_data["ends_on"],
            reason=form.cleaned_data["reason"],
        )  # fmt: skip
    except ProgramError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The match now ends on %(date)s.")
            % {"date": date_format(form.cleaned_data["ends_on"], "DATE_FORMAT")},
        )
    return redirect("journals:workspace", code=code)
