"""Every change of state in matching: requests, proposals, approvals and auto-match runs.

Concurrency: every change to a request or a match locks, inside one transaction,
first the two participants (ordered by primary key, so two transactions never wait
on each other in opposite orders), then the request; a match starting then locks the
program row (its pool version) before it closes any other request, the order
pausing, withdrawing and resizing a participant use too. Capacity, "one active match
per mentee" and "one pending request per pair" are also database constraints,
so even a path that forgot a lock could not break them.
"""

from matching.services.automatch import (
    drop_automatch_pair,
    send_automatch,
    start_automatch,
    swap_automatch_mentors,
)
from matching.services.common import (
    HARD_RULE_MESSAGES,
    MENTEE_OPEN_STATES,
    MENTOR_OPEN_STATES,
    MatchingError,
    may_initiate,
    refusal_message,
)
from matching.services.completion import complete_due_matches, complete_match, complete_matches
from matching.services.matches import end_match, extend_match
from matching.services.requests import (
    approve_request,
    close_request,
    close_requests_of,
    decline_request,
    expire_request,
    mark_seen,
    propose_match,
    send_request,
    withdraw_request,
)

__all__ = [
    "HARD_RULE_MESSAGES",
    "MENTEE_OPEN_STATES",
    "MENTOR_OPEN_STATES",
    "MatchingError",
    "approve_request",
    "close_request",
    "close_requests_of",
    "complete_due_matches",
    "complete_match",
    "complete_matches",
    "decline_request",
    "drop_automatch_pair",
    "end_match",
    "expire_request",
    "extend_match",
    "mark_seen",
    "may_initiate",
    "propose_match",
    "refusal_message",
    "send_automatch",
    "send_request",
    "start_automatch",
    "swap_automatch_mentors",
    "withdraw_request",
]
