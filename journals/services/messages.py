"""The pair's private thread: posting messages, and what each person has read.

What a person has read is one ThreadVisit row per person and match: messages from the
partner written after its `last_read_at` are unread. A page view (a GET) never moves it.
The thread page moves it with an htmx POST once it has loaded, and posting a message
moves it too: without JavaScript the unread count clears the next time the person posts.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from journals import tallies
from journals.access import require_active, require_participant
from journals.errors import JournalError
from journals.models import Message, ThreadVisit
from journals.services.activity import record_activity
from matching.models import Match


def unread_messages(user) -> QuerySet:
    """Return the messages written to `user` in any of their matches that they have not read.

    One query whatever the number of matches: a message is read when the person's visit
    of its thread is at or after it.
    """
    read = ThreadVisit.objects.filter(
        match=OuterRef("match"), user=user, last_read_at__gte=OuterRef("created_at")
    )
    return (
        Message.objects.filter(match__in=Match.objects.involving(user).values("pk"))
        .exclude(author=user)
        .filter(~Exists(read))
    )


def unread_count(match: Match, user) -> int:
    """Return how many of the partner's messages in `match` `user` has not read yet."""
    return unread_messages(user).filter(match=match).count()


def _record_visit(match: Match, user, when) -> None:
    # One INSERT … ON CONFLICT UPDATE: two tabs marking the thread read at once cannot
    # trip the one-visit-per-person constraint.
    ThreadVisit.objects.bulk_create(
        [ThreadVisit(match=match, user=user, last_read_at=when)],
        update_conflicts=True,
        unique_fields=["match", "user"],
        update_fields=["last_read_at"],
    )


def mark_thread_read(match: Match, *, by) -> None:
    """Record that `by` has read their thread up to now (allowed after the match ended)."""
    require_participant(match, by)
    _record_visit(match, by, timezone.now())


def clean_body(body) -> str:
    """Return the message as stored: plain text, stripped, 1 to 5,000 characters."""
    body = (body or "").strip()
    if not body:
        raise JournalError(_("Write a message before sending it."), field="body")
    if len(body) > Message.BODY_MAX:
        raise JournalError(
            _("Keep your message under %(limit)d characters (it has %(length)d).")
            % {"limit": Message.BODY_MAX, "length": len(body)},
            field="body",
        )
    return body


def post_message(match: Match, *, by, body: str) -> Message:
    """Add `by`'s message to the pair's thread, and to its program's activity tally;
    the writer has read the thread up to it."""
    require_participant(match, by)
    body = clean_body(body)
    with transaction.atomic():
        # Locked so a match that ends at this moment takes no more messages.
        locked = Match.objects.select_for_update().get(pk=match.pk)
        require_active(locked)
        message = Message.objects.create(match=locked, author=by, body=body)
        tallies.count(
            locked.program_id, locked.cycle_id, tallies.message_counts(message.created_at)
        )
        _record_visit(locked, by, message.created_at)
        record_activity(locked, message.created_at)
    return message
