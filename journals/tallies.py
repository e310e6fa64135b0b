"""Message tallies: how many messages each program (and cycle) received per quarter hour.

`count_message` adds a posted message, safely when many people post at once;
`add_message_tallies` adds messages written in bulk (demo history, the migration that
created the tallies), and `rebuild_message_tallies` counts a program's messages again
after their dates were moved.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F

SLOT = timedelta(minutes=15)
# Rows read at once when counting messages in bulk.
CHUNK = 5000


def slot_of(moment: datetime) -> datetime:
    """Return the UTC instant the quarter hour of `moment` starts."""
    moment = moment.astimezone(UTC)
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def count_message(program_id: int, cycle_id: int | None, created_at: datetime) -> None:
    """Add one message to its program's tally, inside the caller's transaction.

    Compare-and-set: increment the row when it exists; otherwise create it in a
    savepoint. Two writers creating the same slot at once meet the unique constraint:
    the one that loses increments the row the other created, so both are counted.
    """
    from journals.models import MessageTally

    key = {"program_id": program_id, "cycle_id": cycle_id, "slot": slot_of(created_at)}
    tallies = MessageTally.objects.filter(**key)
    for _attempt in range(3):
        if tallies.update(messages=F("messages") + 1):
            return
        try:
            with transaction.atomic():
                MessageTally.objects.create(**key, messages=1)
            return
        except IntegrityError:
            continue
    raise RuntimeError("The message tally could be neither updated nor created.")


def add_message_tallies(messages: Iterable[tuple[int, int | None, datetime]], tally_model=None):
    """Add messages, given as (program id, cycle id, created at), to the tallies.

    For bulk writes that no one else makes at the same moment (demo history, data
    migrations): existing rows are read and rewritten, not incremented in place.
    `tally_model` is the MessageTally model to write (a migration passes its own).
    """
    if tally_model is None:
        from journals.models import MessageTally as tally_model
    added = Counter(
        (program_id, cycle_id, slot_of(created_at)) for program_id, cycle_id, created_at in messages
    )
    if not added:
        return
    programs = {program_id for program_id, _cycle, _slot in added}
    slots = [slot for *_key, slot in added]
    existing = {
        (tally.program_id, tally.cycle_id, tally.slot): tally
        for tally in tally_model.objects.filter(
            program_id__in=programs, slot__gte=min(slots), slot__lte=max(slots)
        )
    }
    changed, created = [], []
    for (program_id, cycle_id, slot), count in added.items():
        tally = existing.get((program_id, cycle_id, slot))
        if tally is None:
            created.append(
                tally_model(program_id=program_id, cycle_id=cycle_id, slot=slot, messages=count)
            )
        else:
            tally.messages += count
            changed.append(tally)
    tally_model.objects.bulk_update(changed, ["messages"], batch_size=CHUNK)
    tally_model.objects.bulk_create(created, batch_size=CHUNK)


def message_rows(queryset) -> Iterable[tuple[int, int | None, datetime]]:
    """Return (program id, cycle id, created at) of each message of `queryset`, read by chunks."""
    return queryset.values_list("match__program_id", "match__cycle_id", "created_at").iterator(
        chunk_size=CHUNK
    )


def rebuild_message_tallies(program_ids: Iterable[int], *, message_model=None, tally_model=None):
    """Count the messages of these programs again, from the messages themselves."""
    if message_model is None:
        from journals.models import Message as message_model
    if tally_model is None:
        from journals.models import MessageTally as tally_model
    program_ids = list(program_ids)
    with transaction.atomic():
        tally_model.objects.filter(program_id__in=program_ids).delete()
        add_message_tallies(
            message_rows(
                message_model.objects.filter(match__program_id__in=program_ids).order_by()
            ),
            tally_model,
        )
