"""The pair's mentoring agreement and private thread.

Messages are private to the pair: coordinators see how many there are per week and when
the last one was written, never what they say. Agreements are read by coordinators too.
After a match ends both stay readable; every POST is refused with "This match has ended."

No GET changes anything. The thread is marked read by an htmx POST once the page has
loaded (and whenever new messages from the partner arrive by polling); posting a
message marks it read too, so without JavaScript the unread count clears on the next post.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncWeek
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from journals import access
from journals.errors import JournalError
from journals.forms.messages import AgreementForm, MessageForm
from journals.models import Agreement, Message
from journals.services import agreement as agreement_services
from journals.services import messages as message_services

PAGE_SIZE = 30
# How many new messages one poll returns at most; the next poll fetches the rest.
UPDATES_MAX = 100
SUMMARY_MESSAGES = 3


def _positive_int(raw) -> int | None:
    """Return `raw` as a positive whole number, or None for anything else people may type."""
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if 0 < value < 2**63 else None


def _refuse_changes(request, workspace) -> None:
    """Raise the refusal a coordinator or a finished match gets for any change."""
    access.require_participant(workspace.match, request.user)
    access.require_active(workspace.match)


def _context(workspace, **extra) -> dict:
    return {
        "workspace": workspace,
        "match": workspace.match,
        "program": workspace.match.program,
        "participant": workspace.participant,
        "partner": workspace.partner,
        **extra,
    }


# --- the agreement --------------------------------------------------------------------


def _render_agreement(request, workspace, form=None):
    revisions = list(
        Agreement.objects.filter(match=workspace.match)
        .select_related("written_by")
        .order_by("-revision")
    )
    latest = revisions[0] if revisions else None
    may_write = workspace.is_participant and not workspace.read_only
    if may_write and form is None:
        form = AgreementForm(initial=AgreementForm.initial_from(latest))
    may_confirm = (
        may_write
        and latest is not None
        and latest.written_by_id != request.user.pk
        and not agreement_services.confirmed_by(latest, workspace.side)
    )
    context = _context(
        workspace,
        latest=latest,
        revisions=revisions,
        form=form if may_write else None,
        may_confirm=may_confirm,
    )
    return render(request, "journals/messages/agreement.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request, code):
    workspace = access.get_workspace(request.user, code)
    if request.method == "GET":
        return _render_agreement(request, workspace)
    form = AgreementForm(request.POST)
    try:
        _refuse_changes(request, workspace)
        if not form.is_valid():
            return _render_agreement(request, workspace, form)
        agreement_services.record_agreement(
            workspace.match,
            by=request.user,
            goals=form.goals,
            frequency=form.cleaned_data["frequency"],
            mode=form.cleaned_data["mode"],
            channel=form.cleaned_data["channel"],
            notes=form.cleaned_data["notes"],
        )
    except JournalError as error:
        if error.field is None:
            messages.error(request, error.message)
            return redirect("journals:agreement", code=code)
        form.show_error(error)
        return _render_agreement(request, workspace, form)
    messages.success(request, _("Agreement saved. Your partner is asked to confirm it."))
    return redirect("journals:agreement", code=code)


@require_POST
@login_required
def agreement_confirm(request, code):
    workspace = access.get_workspace(request.user, code)
    try:
        _refuse_changes(request, workspace)
        revision = Agreement.objects.filter(
            match=workspace.match, revision=_positive_int(request.POST.get("revision"))
        ).first()
        if revision is None:
            raise JournalError(_("There is no such revision of the agreement."))
        agreement_services.confirm_agreement(revision, by=request.user)
    except JournalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You confirmed the agreement."))
    return redirect("journals:agreement", code=code)


# --- the thread -----------------------------------------------------------------------


def _weekly_counts(workspace) -> list[dict]:
    """Return, per week (in the viewer's zone), how many messages each side wrote."""
    match = workspace.match
    return list(
        Message.objects.filter(match=match)
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(
            total=Count("pk"),
            from_mentor=Count("pk", filter=Q(author_id=match.mentor.user_id)),
            from_mentee=Count("pk", filter=Q(author_id=match.mentee.user_id)),
            last_at=Max("created_at"),
        )
        .order_by("-week")
    )


def _render_thread(request, workspace, form=None):
    if not workspace.is_participant:
        weeks = _weekly_counts(workspace)
        context = _context(
            workspace,
            weeks=weeks,
            total=sum(week["total"] for week in weeks),
            last_at=max((week["last_at"] for week in weeks), default=None),
        )
        return render(request, "journals/messages/thread_counts.html", context)
    before = _positive_int(request.GET.get("before"))
    # Ordered by id, the order the database recorded them in, so both cursors (`before`
    # for older pages, `after` for polling) are one comparison on the primary key.
    page = Message.objects.in_thread(workspace.match).order_by("-pk")
    if before:
        page = page.filter(pk__lt=before)
    page = list(page[: PAGE_SIZE + 1])
    has_older = len(page) > PAGE_SIZE
    shown = list(reversed(page[:PAGE_SIZE]))
    if form is None and not workspace.read_only:
        form = MessageForm()
    context = _context(
        workspace,
        thread=shown,
        has_older=has_older,
        oldest_id=shown[0].pk if shown else None,
        # The newest page polls for what comes after it; an older page is history.
        newest_page=before is None,
        last_id=shown[-1].pk if shown else 0,
        form=form,
    )
    return render(request, "journals/messages/thread.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def thread(request, code):
    workspace = access.get_workspace(request.user, code)
    if request.method == "GET":
        return _render_thread(request, workspace)
    form = MessageForm(request.POST)
    try:
        _refuse_changes(request, workspace)
        if not form.is_valid():
            return _render_thread(request, workspace, form)
        message = message_services.post_message(
            workspace.match, by=request.user, body=form.cleaned_data["body"]
        )
    except JournalError as error:
        if error.field is None:
            messages.error(request, error.message)
            return redirect("journals:thread", code=code)
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _render_thread(request, workspace, form)
    url = reverse("journals:thread", kwargs={"code": code})
    return redirect(f"{url}#message-{message.pk}")


@login_required
@require_GET
def thread_updates(request, code):
    """Return the messages newer than `after`, and the poller that asks for the next ones."""
    workspace = access.get_workspace(request.user, code)
    if not workspace.is_participant:
        raise Http404  # coordinators never read the messages themselves
    after = _positive_int(request.GET.get("after")) or 0
    new_messages = list(
        Message.objects.in_thread(workspace.match).filter(pk__gt=after).order_by("pk")[:UPDATES_MAX]
    )
    context = _context(
        workspace,
        new_messages=new_messages,
        last_id=new_messages[-1].pk if new_messages else after,
        partner_wrote=any(message.author_id != request.user.pk for message in new_messages),
    )
    return render(request, "journals/messages/_updates.html", context)


@require_POST
@login_required
def thread_read(request, code):
    """Record that the person has read their thread; the page posts here once loaded."""
    workspace = access.get_workspace(request.user, code)
    try:
        message_services.mark_thread_read(workspace.match, by=request.user)
    except JournalError as error:
        if not request.htmx:
            messages.error(request, error.message)
    if request.htmx:
        return HttpResponse(status=204)
    return redirect("journals:thread", code=code)


# --- the workspace page ---------------------------------------------------------------


def summary_context(workspace) -> dict:
    """Return what the workspace page shows of the agreement and the thread (≤ 3 queries).

    Participants see the last messages and how many are unread; coordinators only how
    many messages there are and when the last one was written.
    """
    match = workspace.match
    context = {"agreement_latest": agreement_services.latest_agreement(match)}
    if workspace.is_participant:
        user = workspace.participant.user
        recent = Message.objects.in_thread(match).order_by("-pk")[:SUMMARY_MESSAGES]
        context["thread_recent"] = list(reversed(recent))
        context["thread_unread"] = message_services.unread_count(match, user)
    else:
        figures = Message.objects.filter(match=match).aggregate(
            total=Count("pk"), last_at=Max("created_at")
        )
        context["thread_total"] = figures["total"]
        context["thread_last_at"] = figures["last_at"]
    return context
