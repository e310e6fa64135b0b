"""Meetings of a pair: the list with a form to propose one, each meeting with the answers
its viewer may give, and the meeting as a calendar file.

Times show in the viewer's zone (the middleware activates it) with the partner's local
time alongside. Coordinators read; only the two people of the pair act.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from journals import access
from journals.calendar import PUBLISH, meeting_calendar
from journals.errors import JournalError
from journals.forms.meetings import (
    AgendaForm,
    CancelForm,
    DeclineForm,
    MarkForm,
    MeetingForm,
    RescheduleForm,
)
from journals.models import Meeting
from journals.services import meetings as services
from programs.forms.participant import show_error

Status = Meeting.Status


@dataclass
class Zone:
    """Someone whose local time is shown next to the viewer's."""

    name: str
    zone: str


def _other_zones(workspace: access.Workspace) -> list[Zone]:
    """The partner's zone for one of the pair; both people's for a coordinator."""
    match = workspace.match
    people = [workspace.partner] if workspace.is_participant else [match.mentor, match.mentee]
    return [Zone(p.user.display_name, p.user.time_zone) for p in people]


def _page_context(workspace: access.Workspace) -> dict:
    match = workspace.match
    return {
        "workspace": workspace,
        "match": match,
        "program": match.program,
        "participant": workspace.participant,
        "partner": workspace.partner,
        "other_zones": _other_zones(workspace),
    }


def _may_write(workspace: access.Workspace) -> bool:
    return workspace.is_participant and not workspace.read_only


# --- the list ---------------------------------------------------------------------------


def _render_list(request, workspace: access.Workspace, form=None):
    now = timezone.now()
    upcoming, past = [], []
    for meeting in Meeting.objects.filter(match=workspace.match).select_related("proposed_by"):
        is_open = meeting.status in services.OPEN_STATES and meeting.ends_at > now
        (upcoming if is_open else past).append(meeting)
    if form is None and _may_write(workspace):
        form = MeetingForm(initial={"time_zone": request.user.time_zone, "duration": 60})
    context = {
        **_page_context(workspace),
        "upcoming": upcoming,
        "past": past[::-1],
        "form": form if _may_write(workspace) else None,
    }
    return render(request, "journals/meetings/meetings.html", context)


@login_required
def meeting_list(request, code):
    workspace = access.get_workspace(request.user, code)
    if request.method != "POST":
        return _render_list(request, workspace)
    form = MeetingForm(request.POST)
    if not form.is_valid():
        return _render_list(request, workspace, form)
    data = form.cleaned_data
    try:
        meeting = services.propose_meeting(
            workspace.match,
            by=request.user,
            starts_at_local=form.starts_at_local,
            time_zone=data["time_zone"],
            duration=data["duration"],
            agenda=data["agenda"],
            video_url=data["video_url"],
            place=data["place"],
        )
    except JournalError as error:
        if not _may_write(workspace):
            messages.error(request, error.message)
            return redirect("journals:meetings", code=code)
        show_error(form, error)
        return _render_list(request, workspace, form)
    messages.success(request, _("Meeting proposed. Your partner is asked to answer."))
    return redirect("journals:meeting", code=meeting.code)


# --- one meeting ------------------------------------------------------------------------


def _get_meeting(user, code) -> tuple[access.Workspace, Meeting]:
    """Return the meeting `code` and its workspace as `user` sees it; 404 for anyone else."""
    meeting = get_object_or_404(
        Meeting.objects.select_related(
            "match__program",
            "match__cycle",
            "match__mentor__user",
            "match__mentee__user",
            "proposed_by",
            "marked_by",
        ),
        code=code,
    )
    side = access.side_of(meeting.match, user)
    if side is None:
        raise Http404
    return access.Workspace(match=meeting.match, side=side), meeting


def _actions(workspace: access.Workspace, meeting: Meeting, user) -> set[str]:
    """Return the actions the page offers `user`; the services decide for good."""
    if not _may_write(workspace) or meeting.status not in services.OPEN_STATES:
        return set()
    now = timezone.now()
    if meeting.starts_at <= now:
        return {"mark"} | ({"cancel"} if meeting.ends_at > now else set())
    actions = {"reschedule", "cancel", "agenda"}
    if meeting.status == Status.PROPOSED and meeting.proposed_by_id != user.pk:
        actions |= {"accept", "decline"}
    return actions


def _render_meeting(request, workspace, meeting, **forms):
    actions = _actions(workspace, meeting, request.user)
    defaults = {
        "decline_form": DeclineForm,
        "reschedule_form": lambda: RescheduleForm(
            initial={"time_zone": request.user.time_zone, "duration": meeting.duration}
        ),
        "cancel_form": CancelForm,
        "agenda_form": lambda: AgendaForm(initial={"agenda": meeting.agenda}),
        "mark_form": lambda: MarkForm(initial={"outcome": "held"}),
    }
    for name, make in defaults.items():
        if name not in forms and name.removesuffix("_form") in actions:
            forms[name] = make()
    context = {
        **_page_context(workspace),
        "meeting": meeting,
        "actions": actions,
        "awaits_me": "accept" in actions,
        **forms,
    }
    return render(request, "journals/meetings/meeting.html", context)


@login_required
def meeting_detail(request, code):
    workspace, meeting = _get_meeting(request.user, code)
    return _render_meeting(request, workspace, meeting)


def _act(request, code, *, action: str, form_class, change, done: str):
    """Bind the action's form, call the service, then redirect or re-render with errors."""
    workspace, meeting = _get_meeting(request.user, code)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _render_meeting(request, workspace, meeting, **{f"{action}_form": form})
    try:
        change(meeting, form)
    except JournalError as error:
        if form is None or action not in _actions(workspace, meeting, request.user):
            messages.error(request, error.message)
            return redirect("journals:meeting", code=code)
        show_error(form, error)
        return _render_meeting(request, workspace, meeting, **{f"{action}_form": form})
    messages.success(request, done)
    return redirect("journals:meeting", code=code)


@require_POST
@login_required
def meeting_accept(request, code):
    return _act(
        request,
        code,
        action="accept",
        form_class=None,
        change=lambda meeting, form: services.accept_meeting(meeting, by=request.user),
        done=_("You accepted the meeting. Your partner is told."),
    )


@require_POST
@login_required
def meeting_decline(request, code):
    return _act(
        request,
        code,
        action="decline",
        form_class=DeclineForm,
        change=lambda meeting, form: services.decline_meeting(
            meeting, by=request.user, reason=form.cleaned_data["reason"]
        ),
        done=_("You declined this time. Your partner is told."),
    )


@require_POST
@login_required
def meeting_reschedule(request, code):
    return _act(
        request,
        code,
        action="reschedule",
        form_class=RescheduleForm,
        change=lambda meeting, form: services.reschedule_meeting(
            meeting,
            by=request.user,
            starts_at_local=form.starts_at_local,
            time_zone=form.cleaned_data["time_zone"],
            duration=form.cleaned_data["duration"],
        ),
        done=_("You proposed another time. Your partner is asked to answer."),
    )


@require_POST
@login_required
def meeting_cancel(request, code):
    return _act(
        request,
        code,
        action="cancel",
        form_class=CancelForm,
        change=lambda meeting, form: services.cancel_meeting(
            meeting, by=request.user, reason=form.cleaned_data["reason"]
        ),
        done=_("You cancelled the meeting. Your partner is told."),
    )


@require_POST
@login_required
def meeting_agenda(request, code):
    return _act(
        request,
        code,
        action="agenda",
        form_class=AgendaForm,
        change=lambda meeting, form: services.update_agenda(
            meeting, by=request.user, agenda=form.cleaned_data["agenda"]
        ),
        done=_("Agenda saved. Your partner is told."),
    )


@require_POST
@login_required
def meeting_mark(request, code):
    return _act(
        request,
        code,
        action="mark",
        form_class=MarkForm,
        change=lambda meeting, form: services.mark_meeting(
            meeting,
            by=request.user,
            held=form.cleaned_data["outcome"] == "held",
            minutes=form.cleaned_data["minutes"],
        ),
        done=_("Thank you: the meeting is recorded."),
    )


@login_required
def meeting_ics(request, code):
    _workspace, meeting = _get_meeting(request.user, code)
    response = HttpResponse(
        meeting_calendar(meeting, method=PUBLISH), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="meeting.ics"'
    return response


# --- the workspace page -----------------------------------------------------------------


def summary_context(workspace: access.Workspace) -> dict:
    """Return the next meeting and what was held, for the workspace page (two queries)."""
    meetings = Meeting.objects.filter(match=workspace.match)
    held = meetings.held().aggregate(count=Count("pk"), minutes=Sum("held_minutes"))
    return {
        "meetings_next": meetings.upcoming().first(),
        "meetings_held_count": held["count"],
        "meetings_held_minutes": held["minutes"] or 0,
        "meetings_other_zones": _other_zones(workspace),
    }
