"""Signals other apps listen to, so that programs never imports them."""

from django.dispatch import Signal

# Sent inside the transaction that paused, withdrew or resized a participant, with
# `participant`, `by` and `change` ("paused", "withdrawn" or "capacity"). Matching
# closes the requests that can no longer succeed.
participant_changed = Signal()

# Sent inside the transaction that created a program, with `program`, `by` and
# `copied_from` (the program it duplicates, or None). Evaluation gives the program its
# surveys' questions: the defaults, or a copy of the duplicated program's.
program_created = Signal()
