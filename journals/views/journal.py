"""The learning journal: the pair's entries, the entry form, and the coordinators' reviews.

What each person reads is decided once, in `_shown`: the author and the program's
coordinators read an entry in full; the partner reads only the fields the author
shared, and never the coordinator's feedback. Drafts are the author's alone.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from journals.access import Workspace, get_workspace
from journals.errors import JournalError
from journals.forms.journal import EntryForm, QueueFilterForm, ReopenForm, ReviewForm
from journals.hours import hours_for
from journals.models import JournalEntry, Review
from journals.services import journal as services
from programs.forms.participant import show_error
from programs.models import Cycle, Program

TEMPLATES = "journals/journal/"
PER_PAGE = 50
LATEST_SHOWN = 3
Status = JournalEntry.Status


@dataclass
class ShownEntry:
    """An entry as one viewer may read it: a field the viewer may not read is None."""

    entry: JournalEntry
    mine: bool
    full: bool
    discussed: str | None
    next_topics: str | None
    observations: str | None
    reviews: list = field(default_factory=list)
    feedback: str = ""
    may_edit: bool = False
    review_form: ReviewForm | None = None
    reopen_form: ReopenForm | None = None


def _shown(entry: JournalEntry, workspace: Workspace) -> ShownEntry:
    mine = workspace.participant is not None and entry.author_id == workspace.participant.pk
    full = mine or not workspace.is_participant

    def readable(name: str) -> str | None:
        return getattr(entry, name) if full or getattr(entry, f"share_{name}") else None

    shown = ShownEntry(
        entry=entry,
        mine=mine,
        full=full,
        discussed=readable("discussed"),
        next_topics=readable("next_topics"),
        observations=readable("observations"),
    )
    if full:
        if "reviews" in getattr(entry, "_prefetched_objects_cache", {}):
            shown.reviews = list(entry.reviews.all())
        shown.feedback = getattr(entry, "latest_feedback", "") or ""
    shown.may_edit = (
        mine and not workspace.read_only and entry.status in (Status.DRAFT, Status.REOPENED)
    )
    return shown


def _visible_entries(workspace: Workspace):
    """Return the entries `workspace`'s viewer may see: drafts only to their author."""
    entries = JournalEntry.objects.filter(match=workspace.match).select_related(
        "author__user", "meeting"
    )
    if workspace.is_participant:
        return entries.filter(Q(author=workspace.participant) | ~Q(status=Status.DRAFT))
    return entries.submitted()


def _may_write(workspace: Workspace) -> bool:
    return not workspace.read_only and services.may_write(workspace.match, workspace.side)


def summary_context(workspace: Workspace) -> dict:
    """Return what the workspace page shows of the journal: hours and the latest entries
    (three queries)."""
    latest_feedback = Subquery(
        Review.objects.filter(entry=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("feedback")[:1]
    )
    latest = _visible_entries(workspace).annotate(latest_feedback=latest_feedback)
    return {
        "journal_hours": hours_for(workspace.match),
        "journal_latest": [_shown(entry, workspace) for entry in latest[:LATEST_SHOWN]],
        "journal_may_write": _may_write(workspace),
    }


# --- the journal of a pair -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def journal(request, code):
    workspace = get_workspace(request.user, code)
    reviews = Review.objects.select_related("reviewer")
    entries = _visible_entries(workspace).prefetch_related(Prefetch("reviews", queryset=reviews))
    shown = [_shown(entry, workspace) for entry in entries]
    if not workspace.is_participant:
        # Entries of an ended match can still be reviewed, but not reopened.
        for item in shown:
            auto_id = f"id_entry-{item.entry.code.hex}_%s"
            if item.entry.status == Status.SUBMITTED:
                item.review_form = ReviewForm(auto_id=auto_id)
            elif item.entry.status == Status.REVIEWED and not workspace.read_only:
                item.reopen_form = ReopenForm(auto_id=auto_id)
    return render(
        request,
        TEMPLATES + "journal.html",
        {
            "workspace": workspace,
            "match": workspace.match,
            "program": workspace.match.program,
            "entries": shown,
            "hours": hours_for(workspace.match),
            "may_write": _may_write(workspace),
        },
    )


# --- writing an entry ------------------------------------------------------------------


def _entry_form_page(request, workspace: Workspace, entry: JournalEntry | None):
    """Show and handle the entry form for a new entry (`entry` None) or an editable one."""
    try:
        services.require_may_write(workspace.match, workspace.side, entry)
    except JournalError as error:
        messages.error(request, error.message)
        return redirect("journals:journal", code=workspace.match.code)
    data = request.POST if request.method == "POST" else None
    form = EntryForm(data, match=workspace.match, author=workspace.participant, entry=entry)
    if data is not None and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.save_entry(
                workspace.match, by=request.user, entry=entry, submit=submit, **form.cleaned_data
            )
        except JournalError as error:
            show_error(form, error)
        else:
            if submit:
                messages.success(request, _("Your entry is sent to the coordinators for review."))
            else:
                messages.success(request, _("Your draft is saved. Only you can read it."))
            return redirect("journals:journal", code=workspace.match.code)
    context = {
        "workspace": workspace,
        "match": workspace.match,
        "program": workspace.match.program,
        "entry": entry,
        "form": form,
    }
    return render(request, TEMPLATES + "entry_form.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def entry_new(request, code):
    workspace = get_workspace(request.user, code)
    if not workspace.is_participant:
        raise Http404
    return _entry_form_page(request, workspace, None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def entry_edit(request, code):
    entry = get_object_or_404(JournalEntry.objects.select_related("match"), code=code)
    workspace = get_workspace(request.user, entry.match.code)
    if workspace.participant is None or entry.author_id != workspace.participant.pk:
        raise Http404
    return _entry_form_page(request, workspace, entry)


# --- the coordinators' review queue -----------------------------------------------------


def _coordinated_programs(user) -> list[Program]:
    """Return the programs `user` coordinates; anyone who coordinates none gets 404."""
    programs = list(Program.objects.coordinated_by(user).order_by("name"))
    if not programs and not user.is_superuser:
        raise Http404
    return programs


def _filter_queue(entries, *, program=None, cycle=None, pair=None):
    if program:
        entries = entries.filter(match__program__code=program)
    if cycle:
        entries = entries.filter(match__cycle__code=cycle)
    if pair:
        entries = entries.filter(match__code=pair)
    return entries


@login_required
@require_http_methods(["GET", "HEAD"])
def review_queue(request):
    programs = _coordinated_programs(request.user)
    cycles = Cycle.objects.filter(program__in=programs).select_related("program")
    form = QueueFilterForm(request.GET or None, programs=programs, cycles=cycles)
    waiting = JournalEntry.objects.waiting_for_review().for_review_by(request.user)
    counts = dict(waiting.order_by().values_list("match__program").annotate(total=Count("pk")))
    listed = (
        _filter_queue(waiting, **form.filters())
        .select_related(
            "author__user",
            "meeting",
            "match__program",
            "match__cycle",
            "match__mentor__user",
            "match__mentee__user",
        )
        .order_by("submitted_at", "pk")
    )
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    pair = form.filters().get("pair")
    context = {
        "form": form,
        "page": page,
        "pair_match": page[0].match if pair and len(page) else None,
        "pair": pair,
        "counts": [(program, counts.get(program.pk, 0)) for program in programs],
        "total": sum(counts.values()),
    }
    return render(request, TEMPLATES + "review_queue.html", context)


def _entry_to_review(user, code) -> JournalEntry:
    entries = (
        JournalEntry.objects.for_review_by(user)
        .submitted()
        .select_related(
            "author__user",
            "meeting",
            "match__program",
            "match__cycle",
            "match__mentor__user",
            "match__mentee__user",
        )
    )
    return get_object_or_404(entries, code=code)


def _render_review(request, entry, *, review_form=None, reopen_form=None):
    history = list(entry.reviews.select_related("reviewer"))
    context = {
        "entry": entry,
        "match": entry.match,
        "program": entry.match.program,
        "history": history,
        "review_form": review_form or ReviewForm(),
        "reopen_form": reopen_form or ReopenForm(),
        "read_only": entry.match.status != entry.match.Status.ACTIVE,
    }
    return render(request, TEMPLATES + "entry_review.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def entry_review(request, code):
    entry = _entry_to_review(request.user, code)
    if request.method != "POST":
        return _render_review(request, entry)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_entry(entry, by=request.user, feedback=form.cleaned_data["feedback"])
        except JournalError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("Marked reviewed. %(name)s is told by email.")
                % {"name": entry.author.user.display_name},
            )
            return redirect("journals:review_queue")
    return _render_review(request, entry, review_form=form)


@require_POST
@login_required
def entry_reopen(request, code):
    entry = _entry_to_review(request.user, code)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_entry(entry, by=request.user, note=form.cleaned_data["note"])
        except JournalError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("The entry is open for changes again. %(name)s is told by email.")
                % {"name": entry.author.user.display_name},
            )
            return redirect("journals:entry_review", code=entry.code)
    return _render_review(request, entry, reopen_form=form)
