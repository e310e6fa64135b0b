"""Signals other apps listen to, so that programs never imports them."""

from django.dispatch import Signal

# Sent inside the transaction that paused, withdrew or resized a participant, with
# `participant`, `by` and `change` ("paused", "withdrawn" or "capacity"). Matching
# closes the requests that can no longer succeed.
participant_changed = Signal()
