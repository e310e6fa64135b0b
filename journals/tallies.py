"""Activity tallies: what the pairs of each program (and cycle) did per quarter hour.

The services count as they go, in their own transaction: `count_change(match, before,
after)` adds the difference between what a meeting or an entry counted for before a
change and after it (`meeting_counts`, `entry_counts`: the one place that says what
counts where), and `post_message` adds `message_counts`. Increments are safe when many
people act at once.

`add_counts` adds rows written in bulk (demo history, data migrations), and
`rebuild_tallies` counts a program's messages, meetings and entries again from the rows
themselves, after their dates were moved.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F

SLOT = timedelta(minutes=15)
# Rows read at once when counting in bulk.
CHUNK = 5000
COLUMNS = (
    "messages",
    "meetings_proposed",
    "meetings_held",
    "entries_submitted",
    "entry_minutes",
    "entries_reviewed",
)
# The statuses as stored (the models' choices, spelled here so migrations can use them).
HELD = "held"
DRAFT = "draft"
REVIEWED = "reviewed"

# What one thing adds: {(slot, column): amount}.
Counts = Counter


def slot_of(moment: datetime) -> datetime:
    """Return the UTC instant the quarter hour of `moment` starts."""
    moment = moment.astimezone(UTC)
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def message_counts(created_at: datetime) -> Counts:
    return Counter({(slot_of(created_at), "messages"): 1})


def meeting_counts(created_at: datetime, status: str, starts_at: datetime) -> Counts:
    """A meeting counts as proposed when it was proposed, and as held when it started."""
    counts = Counter({(slot_of(created_at), "meetings_proposed"): 1})
    if status == HELD:
        counts[slot_of(starts_at), "meetings_held"] += 1
    return counts


def entry_counts(
    status: str, submitted_at: datetime | None, minutes: int | None, reviewed_at: datetime | None
) -> Counts:
    """A journal entry counts, with its minutes, when it was last submitted (drafts
    count nothing; a reopened entry still does), and as reviewed when its standing
    review was given."""
    counts = Counter()
    if status != DRAFT and submitted_at is not None:
        slot = slot_of(submitted_at)
        counts[slot, "entries_submitted"] += 1
        counts[slot, "entry_minutes"] += minutes or 0
    if status == REVIEWED and reviewed_at is not None:
        counts[slot_of(reviewed_at), "entries_reviewed"] += 1
    return counts


def of_meeting(meeting) -> Counts:
    if meeting is None or meeting.pk is None:
        return Counter()
    return meeting_counts(meeting.created_at, meeting.status, meeting.starts_at)


def of_entry(entry) -> Counts:
    if entry is None or entry.pk is None:
        return Counter()
    return entry_counts(entry.status, entry.submitted_at, entry.minutes, entry.reviewed_at)


def _by_slot(counts: Counts) -> dict[datetime, dict[str, int]]:
    slots = defaultdict(dict)
    for (slot, column), amount in counts.items():
        if amount:
            slots[slot][column] = amount
    return slots


def count(program_id: int, cycle_id: int | None, counts: Counts) -> None:
    """Add `counts` (negative amounts subtract) to the program's tallies, inside the
    caller's transaction.

    Compare-and-set, per slot: increment the row when it exists; otherwise create it in
    a savepoint. Two writers creating the same slot at once meet the unique
    constraint: the one that loses increments the row the other created.
    """
    from journals.models import ActivityTally

    for slot, amounts in _by_slot(counts).items():
        key = {"program_id": program_id, "cycle_id": cycle_id, "slot": slot}
        tallies = ActivityTally.objects.filter(**key)
        increments = {column: F(column) + amount for column, amount in amounts.items()}
        # A new row holds what is added; taking away from a row that is not there would
        # mean the tallies had drifted from the rows (rebuild_tallies mends them).
        created = {column: max(amount, 0) for column, amount in amounts.items()}
        for _attempt in range(3):
            if tallies.update(**increments):
                break
            try:
                with transaction.atomic():
                    ActivityTally.objects.create(**key, **created)
                break
            except IntegrityError:  # created by someone else meanwhile: increment it
                continue
        else:
            raise RuntimeError("The activity tally could be neither updated nor created.")


def count_change(match, before: Counts, after: Counts) -> None:
    """Add what a change of one of `match`'s meetings or entries made: `after` minus
    `before`, as `of_meeting` or `of_entry` gave them around the change."""
    change = Counter(after)
    change.subtract(before)
    count(match.program_id, match.cycle_id, change)


def add_counts(rows: Iterable[tuple[int, int | None, Counts]], tally_model=None) -> None:
    """Add rows given as (program id, cycle id, counts) to the tallies.

    For bulk writes that no one else makes at the same moment (demo history, data
    migrations): existing rows are read and rewritten, not incremented in place.
    `tally_model` is the tally model to write (a migration passes its own, which may
    have fewer columns: only the columns of the counts are written).
    """
    if tally_model is None:
        from journals.models import ActivityTally as tally_model
    added = defaultdict(Counter)
    for program_id, cycle_id, counts in rows:
        for (slot, column), amount in counts.items():
            added[program_id, cycle_id, slot][column] += amount
    if not added:
        return
    columns = sorted({column for amounts in added.values() for column in amounts})
    programs = {program_id for program_id, _cycle, _slot in added}
    slots = [slot for *_key, slot in added]
    existing = {
        (tally.program_id, tally.cycle_id, tally.slot): tally
        for tally in tally_model.objects.filter(
            program_id__in=programs, slot__gte=min(slots), slot__lte=max(slots)
        )
    }
    changed, created = [], []
    for (program_id, cycle_id, slot), amounts in added.items():
        tally = existing.get((program_id, cycle_id, slot))
        if tally is None:
            created.append(
                tally_model(program_id=program_id, cycle_id=cycle_id, slot=slot, **amounts)
            )
        else:
            for column, amount in amounts.items():
                setattr(tally, column, getattr(tally, column) + amount)
            changed.append(tally)
    tally_model.objects.bulk_update(changed, columns, batch_size=CHUNK)
    tally_model.objects.bulk_create(created, batch_size=CHUNK)


def message_rows(queryset) -> Iterable[tuple[int, int | None, Counts]]:
    """Return (program id, cycle id, counts) of each message of `queryset`, read by chunks."""
    rows = queryset.values_list("match__program_id", "match__cycle_id", "created_at")
    for program_id, cycle_id, created_at in rows.iterator(chunk_size=CHUNK):
        yield program_id, cycle_id, message_counts(created_at)


def meeting_rows(queryset) -> Iterable[tuple[int, int | None, Counts]]:
    rows = queryset.values_list(
        "match__program_id", "match__cycle_id", "created_at", "status", "starts_at"
    )
    for program_id, cycle_id, *meeting in rows.iterator(chunk_size=CHUNK):
        yield program_id, cycle_id, meeting_counts(*meeting)


def entry_rows(queryset) -> Iterable[tuple[int, int | None, Counts]]:
    rows = queryset.exclude(status=DRAFT).values_list(
        "match__program_id", "match__cycle_id", "status", "submitted_at", "minutes", "reviewed_at"
    )
    for program_id, cycle_id, *entry in rows.iterator(chunk_size=CHUNK):
        yield program_id, cycle_id, entry_counts(*entry)


def _models() -> dict:
    from journals import models

    return {name: getattr(models, name) for name in ("Message", "Meeting", "JournalEntry")} | {
        "ActivityTally": models.ActivityTally
    }


def _add_rows(models: dict, **rows_of) -> None:
    """Add the messages, meetings and entries matching `rows_of` to the tallies."""
    for rows, name in (
        (message_rows, "Message"),
        (meeting_rows, "Meeting"),
        (entry_rows, "JournalEntry"),
    ):
        add_counts(rows(models[name].objects.filter(**rows_of).order_by()), models["ActivityTally"])


def add_written(matches) -> None:
    """Add the messages, meetings and journal entries of `matches` that were written in
    bulk, without the services (demo history, test volume)."""
    _add_rows(_models(), match__in=matches)


def rebuild_tallies(program_ids: Iterable[int], *, models=None) -> None:
    """Count the messages, meetings and journal entries of these programs again, from
    the rows themselves. `models` maps "Message", "Meeting", "JournalEntry" and
    "ActivityTally" to the models to use (a migration passes its own)."""
    models = models or _models()
    program_ids = list(program_ids)
    with transaction.atomic():
        models["ActivityTally"].objects.filter(program_id__in=program_ids).delete()
        _add_rows(models, match__program_id__in=program_ids)
