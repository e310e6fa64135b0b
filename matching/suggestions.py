"""Ranked suggestions for one participant, from a score table cached per cycle.

Scoring a whole cycle is done once and kept in this process until something matching
reads changes (the program's `pool_version` moves: answers, readiness, capacity, a
match starting). A page then only ranks one row of the cached table and explains the
few pairs it shows, which takes about a millisecond even with 10,000 candidates.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count

from matching import pool as pool_module
from matching import scoring
from matching.models import MatchRequest
from programs.models import Participant

# Enough for the programs of a busy instance; each table of 5,000 × 2,000 is ~40 MB.
CACHED_TABLES = 8
SUGGESTIONS_SHOWN = 10
TOP_FOR_DEMAND = 5

_tables: OrderedDict = OrderedDict()
_lock = threading.Lock()


@dataclass
class ScoreTable:
    """Scores of every waiting mentee against every mentor with a free place in a cycle."""

    version: int
    pool: scoring.Pool
    mentees: list
    mentors: list
    pairs: dict
    scores: np.ndarray
    mentee_row: dict = field(default_factory=dict)
    mentor_column: dict = field(default_factory=dict)
    popularity: np.ndarray | None = None  # how many mentees have each mentor in their top 5

    @classmethod
    def build(cls, program, cycle_id) -> "ScoreTable":
        mentees = list(
            pool_module.mentees_in_pool(program.pk, cycle_id).select_related("user").order_by("pk")
        )
        mentors = list(
            pool_module.mentors_in_pool(program.pk, cycle_id).select_related("user").order_by("pk")
        )
        pool, people = pool_module.build_pool(program, mentees, mentors)
        scores = scoring.score_matrix(pool)
        popularity = (
            scoring.top_k_demand(scores, k=TOP_FOR_DEMAND)
            if scores.size
            else np.zeros(len(mentors), dtype=np.int64)
        )
        return cls(
            version=program.pool_version,
            pool=pool,
            mentees=people.mentees,
            mentors=people.mentors,
            pairs=people.pairs,
            scores=scores,
            mentee_row={p.pk: i for i, p in enumerate(people.mentees)},
            mentor_column={p.pk: j for j, p in enumerate(people.mentors)},
            popularity=popularity,
        )


def table_for(program, cycle_id) -> ScoreTable:
    """Return the cycle's score table, recomputed only when the pool has changed."""
    key = (program.pk, cycle_id)
    with _lock:
        table = _tables.get(key)
        if table is not None and table.version == program.pool_version:
            _tables.move_to_end(key)
            return table
    table = ScoreTable.build(program, cycle_id)
    with _lock:
        _tables[key] = table
        _tables.move_to_end(key)
        while len(_tables) > CACHED_TABLES:
            _tables.popitem(last=False)
    return table


def forget_tables() -> None:
    with _lock:
        _tables.clear()


@dataclass
class Suggestion:
    person: Participant
    score: float
    contributions: list
    free_places: int | None = None
    requested: MatchRequest | None = None
    lowered: bool = False  # the fair-spread rule moved this mentor down the list


@dataclass
class SuggestionList:
    suggestions: list
    in_pool: bool
    pool_size: int
    pairs: dict = field(default_factory=dict)  # criterion key -> QuestionPair, for reasons


def pending_demand(table: ScoreTable, cycle_id) -> np.ndarray:
    """Return, per mentor column, how many requests wait for that mentor (one query)."""
    demand = np.zeros(len(table.mentors), dtype=np.int64)
    rows = (
        MatchRequest.objects.pending()
        .filter(mentor_id__in=table.mentor_column, cycle_id=cycle_id)
        .values("mentor_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    for row in rows:
        demand[table.mentor_column[row["mentor_id"]]] = row["total"]
    return demand


def mentor_demand(table: ScoreTable, waiting: np.ndarray) -> np.ndarray:
    """Return how many people are asking, or likely to ask, each mentor.

    Pending requests count in full; each mentee who has the mentor among their five best
    scores counts for a fifth, as they will likely ask one of those five.
    """
    return waiting + table.popularity / TOP_FOR_DEMAND


def rank_for_mentee(table: ScoreTable, row: int, demand: np.ndarray, limit: int) -> list[int]:
    """Return mentor columns for one mentee, best first, with the fair-spread rule applied."""
    order = scoring.fair_rank(table.scores[row], table.pool.mentor_free, demand)
    return [int(j) for j in order[:limit]]


def rank_for_mentor(table: ScoreTable, column: int, limit: int) -> list[int]:
    """Return mentee rows for one mentor, best first (mentees have one place: no spread)."""
    order = scoring.fair_rank(table.scores[:, column], None, None)
    return [int(i) for i in order[:limit]]


def suggestions_for(participant: Participant, *, limit: int = SUGGESTIONS_SHOWN) -> SuggestionList:
    """Return the people `participant` could be matched with, ranked, with the reasons."""
    program = participant.program
    table = table_for(program, participant.cycle_id)
    if participant.is_mentor:
        column = table.mentor_column.get(participant.pk)
        if column is None:
            return SuggestionList([], in_pool=False, pool_size=len(table.mentees))
        rows = rank_for_mentor(table, column, limit)
        pairs = [(i, column) for i in rows]
        people = [table.mentees[i] for i in rows]
    else:
        row = table.mentee_row.get(participant.pk)
        if row is None:
            return SuggestionList([], in_pool=False, pool_size=len(table.mentors))
        demand = mentor_demand(table, pending_demand(table, participant.cycle_id))
        columns = rank_for_mentee(table, row, demand, limit)
        pairs = [(row, j) for j in columns]
        people = [table.mentors[j] for j in columns]
        spread = scoring.spread_factor(table.pool.mentor_free[columns], demand[columns])
    requested = {}
    if people:
        side = "mentee" if participant.is_mentor else "mentor"
        for request in (
            MatchRequest.objects.pending()
            .of_participant(participant)
            .filter(**{f"{side}__in": people})
        ):
            requested[getattr(request, f"{side}_id")] = request
    explained = scoring.explain_many(table.pool, pairs)
    suggestions = []
    for index, ((i, j), person, contributions) in enumerate(
        zip(pairs, people, explained, strict=True)
    ):
        suggestions.append(
            Suggestion(
                person=person,
                score=float(table.scores[i, j]),
                contributions=contributions,
                free_places=int(table.pool.mentor_free[j]) if not participant.is_mentor else None,
                requested=requested.get(person.pk),
                lowered=not participant.is_mentor and bool(spread[index] < 1),
            )
        )
    pool_size = len(table.mentees) if participant.is_mentor else len(table.mentors)
    return SuggestionList(suggestions, in_pool=True, pool_size=pool_size, pairs=table.pairs)
