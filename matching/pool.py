"""Build the arrays scoring works on from a program's participants and answers.

Everything here reads the database in a fixed number of queries, whatever the
size of the pool, and hands plain NumPy arrays to `matching.scoring`.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from django.db.models import F
from django.utils import timezone

from matching import scoring
from matching.models import Match
from programs.models import Answer, Participant, Question, QuestionPair, Topic
from programs.models.program import Role

State = Participant.State
Kind = Question.Kind
SET_KINDS = {Kind.TOPICS, Kind.LANGUAGES, Kind.MULTIPLE_CHOICE, Kind.SINGLE_CHOICE}

# Who can be suggested or auto-matched: a mentee waiting for a match, a mentor with a
# free place. Paused, withdrawn and unready people are not in the pool at all.
MENTEE_STATES = [State.READY]
MENTOR_STATES = [State.READY, State.MATCHED]


def mentees_in_pool(program_id, cycle_id):
    return Participant.objects.filter(
        program_id=program_id,
        cycle_id=cycle_id,
        role=Role.MENTEE,
        state__in=MENTEE_STATES,
        active_matches=0,
    )


def mentors_in_pool(program_id, cycle_id):
    return Participant.objects.filter(
        program_id=program_id,
        cycle_id=cycle_id,
        role=Role.MENTOR,
        state__in=MENTOR_STATES,
        active_matches__lt=F("capacity"),
    )


@dataclass
class PoolPeople:
    """Who each row and column of a pool is, for the pages."""

    mentees: list  # Participant, in row order
    mentors: list  # Participant, in column order
    pairs: dict  # criterion key -> QuestionPair (for labels on the page)


def _utc_hour_maps(zones: set[str]) -> dict[str, np.ndarray]:
    """Return, per time zone, the UTC hour-of-week of each local hour-of-week this week."""
    today = timezone.now().date()
    monday = datetime(*(today - timedelta(days=today.weekday())).timetuple()[:3], tzinfo=UTC)
    maps = {}
    for name in zones:
        try:
            zone = zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
            zone = UTC
        local_monday = monday.replace(tzinfo=zone)
        to_utc = np.empty(scoring.HOURS_PER_WEEK, dtype=np.int64)
        for hour in range(scoring.HOURS_PER_WEEK):
            # Wall-clock arithmetic: the local hour this week, wherever daylight saving falls.
            moment = local_monday + timedelta(hours=hour)
            to_utc[hour] = int((moment - monday).total_seconds() // 3600) % scoring.HOURS_PER_WEEK
        maps[name] = to_utc
    return maps


def local_hours_of(slots) -> list[int]:
    hours = []
    for slot in slots or []:
        day, _, hour = str(slot).partition("-")
        if day.isdigit() and hour.isdigit() and 0 <= int(day) < 7 and 0 <= int(hour) < 24:
            hours.append(int(day) * 24 + int(hour))
    return hours


def _as_set(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [str(value)]


def _criterion_for(pair, mentee_answers, mentor_answers, topics, zones_map):
    """Return the Criterion comparing one question pair, or None if it is not comparable."""
    mentee_q, mentor_q = pair.mentee_question, pair.mentor_question
    sensitive = mentee_q.sensitive or mentor_q.sensitive
    kinds = {mentee_q.kind, mentor_q.kind}
    if kinds == {Kind.TOPICS}:
        key = "topics"
    elif kinds == {Kind.LANGUAGES}:
        key = "languages"
    elif kinds == {Kind.AVAILABILITY}:
        key = "availability"
    else:
        key = f"question-{pair.pk}"
    common = {"key": key, "rule": pair.rule, "weight": float(pair.weight), "sensitive": sensitive}
    m, n = len(mentee_answers), len(mentor_answers)

    if kinds == {Kind.AVAILABILITY}:
        mentee = np.zeros((m, scoring.HOURS_PER_WEEK), dtype=bool)
        mentor = np.zeros((n, scoring.HOURS_PER_WEEK), dtype=bool)
        for matrix, answers in ((mentee, mentee_answers), (mentor, mentor_answers)):
            for row, value in enumerate(answers):
                if not isinstance(value, dict):
                    continue
                local = local_hours_of(value.get("slots"))
                if local:
                    to_utc = zones_map[value.get("time_zone") or "UTC"]
                    matrix[row, to_utc[local]] = True
        return scoring.Criterion(kind="availability", mentee=mentee, mentor=mentor, **common)

    if kinds == {Kind.SCALE}:

        def numbers(answers):
            return np.array(
                [float(v) if isinstance(v, int | float) else np.nan for v in answers],
                dtype=np.float32,
            )

        return scoring.Criterion(
            kind="scale", mentee=numbers(mentee_answers), mentor=numbers(mentor_answers), **common
        )

    if not kinds <= SET_KINDS:
        return None  # free text is read by people, not compared by the matching

    if kinds == {Kind.SINGLE_CHOICE}:
        # Only answers both questions offer can agree; anything else ("No preference",
        # "I prefer not to say") makes the criterion not apply to that person.
        vocabulary = [str(c) for c in mentee_q.choices if str(c) in set(map(str, mentor_q.choices))]
        codes = {label: code for code, label in enumerate(vocabulary)}

        def coded(answers):
            return np.array([codes.get(str(v), -1) for v in answers], dtype=np.int64)

        return scoring.Criterion(
            kind="same",
            mentee=coded(mentee_answers),
            mentor=coded(mentor_answers),
            labels=tuple(vocabulary),
            **common,
        )

    if key == "topics":
        vocabulary = list(topics)
    else:
        vocabulary = []
        for question in (mentee_q, mentor_q):
            vocabulary.extend(str(c) for c in question.choices)
        for answers in (mentee_answers, mentor_answers):
            for value in answers:
                vocabulary.extend(_as_set(value))
    columns = {label: column for column, label in enumerate(dict.fromkeys(vocabulary))}
    labels = tuple(columns)

    def matrix(answers):
        grid = np.zeros((len(answers), len(labels)), dtype=bool)
        for row, value in enumerate(answers):
            for label in _as_set(value):
                column = columns.get(label)
                if column is not None:
                    grid[row, column] = True
        return grid

    return scoring.Criterion(
        kind="overlap",
        mentee=matrix(mentee_answers),
        mentor=matrix(mentor_answers),
        labels=labels,
        **common,
    )


def build_pool(program, mentees, mentors) -> tuple[scoring.Pool, PoolPeople]:
    """Return the scoring pool of `mentees` × `mentors` (lists of Participant) of `program`.

    Reads questions, answers, past matches and managers in a fixed number of queries.
    """
    mentees, mentors = list(mentees), list(mentors)
    ids = [p.pk for p in mentees] + [p.pk for p in mentors]
    answers = {}
    for participant_id, question_id, value in Answer.objects.filter(
        participant_id__in=ids
    ).values_list("participant_id", "question_id", "value"):
        answers[(participant_id, question_id)] = value
    pairs = list(
        QuestionPair.objects.filter(program=program)
        .select_related("mentor_question", "mentee_question")
        .filter(mentor_question__hidden=False, mentee_question__hidden=False)
        .order_by("pk")
    )
    topics = list(Topic.objects.filter(program=program).values_list("name", flat=True))
    zones = {"UTC"}
    for pair in pairs:
        if pair.mentee_question.kind == Kind.AVAILABILITY:
            for people, question in (
                (mentees, pair.mentee_question),
                (mentors, pair.mentor_question),
            ):
                for p in people:
                    value = answers.get((p.pk, question.pk))
                    if isinstance(value, dict) and value.get("time_zone"):
                        zones.add(value["time_zone"])
    zones_map = _utc_hour_maps(zones)
    criteria, by_key = [], {}
    for pair in pairs:
        criterion = _criterion_for(
            pair,
            [answers.get((p.pk, pair.mentee_question_id)) for p in mentees],
            [answers.get((p.pk, pair.mentor_question_id)) for p in mentors],
            topics,
            zones_map,
        )
        if criterion is not None:
            criteria.append(criterion)
            by_key[criterion.key] = pair

    forbidden = _forbidden_pairs(program, mentees, mentors)
    teams = {}

    def team_codes(people):
        return np.array(
            [
                teams.setdefault(p.department.strip().casefold(), len(teams))
                if p.department.strip()
                else -1
                for p in people
            ],
            dtype=np.int64,
        )

    pool = scoring.Pool(
        mentee_ids=np.array([p.pk for p in mentees], dtype=np.int64),
        mentor_ids=np.array([p.pk for p in mentors], dtype=np.int64),
        mentee_people=np.array([p.user_id for p in mentees], dtype=np.int64),
        mentor_people=np.array([p.user_id for p in mentors], dtype=np.int64),
        mentor_free=np.array([p.free_places for p in mentors], dtype=np.int64),
        criteria=criteria,
        forbidden=forbidden,
        mentee_team=team_codes(mentees),
        mentor_team=team_codes(mentors),
        avoid_same_team=program.avoid_same_team,
    )
    return pool, PoolPeople(mentees=mentees, mentors=mentors, pairs=by_key)


def _forbidden_pairs(program, mentees, mentors) -> np.ndarray:
    """Return (mentee index, mentor index) pairs ruled out by a conflict or a past match.

    A conflict of interest: the mentor is the mentee's manager or their manager's manager.
    A past match in this program rules a pair out unless both asked to work together again.
    """
    mentee_rows = {p.pk: i for i, p in enumerate(mentees)}
    mentor_columns = {p.pk: j for j, p in enumerate(mentors)}
    mentor_by_email = {}
    for j, p in enumerate(mentors):
        mentor_by_email.setdefault(p.user.email.casefold(), []).append(j)
    managers = {
        email.casefold(): manager.casefold()
        for email, manager in Participant.objects.filter(program=program)
        .exclude(manager_email="")
        .values_list("user__email", "manager_email")
    }
    found = set()
    for i, p in enumerate(mentees):
        manager = (p.manager_email or managers.get(p.user.email.casefold(), "")).casefold()
        chain = [manager, managers.get(manager, "")] if manager else []
        for email in chain:
            for j in mentor_by_email.get(email, []):
                found.add((i, j))
    past = Match.objects.filter(
        program=program, mentee_id__in=mentee_rows, mentor_id__in=mentor_columns
    ).exclude(mentor_asks_again=True, mentee_asks_again=True)
    for mentee_id, mentor_id, again_mentor, again_mentee in past.values_list(
        "mentee_id", "mentor_id", "mentor_asks_again", "mentee_asks_again"
    ):
        if not (again_mentor and again_mentee):
            found.add((mentee_rows[mentee_id], mentor_columns[mentor_id]))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.array(sorted(found), dtype=np.int64)


def pair_refusal(program, mentee, mentor) -> str | None:
    """Return the key of the first hard rule that rules out this pair, or None."""
    pool, _ = build_pool(program, [mentee], [mentor])
    return hard_rule_broken(pool, 0, 0)


def hard_rule_broken(pool: scoring.Pool, i: int, j: int) -> str | None:
    """Return which hard rule removes the pair (i, j) of `pool`, or None when it is allowed."""
    if pool.mentee_people[i] == pool.mentor_people[j]:
        return "same_person"
    if pool.mentor_free[j] <= 0:
        return "full"
    if len(pool.forbidden) and ((pool.forbidden[:, 0] == i) & (pool.forbidden[:, 1] == j)).any():
        return "conflict"
    if (
        pool.avoid_same_team
        and pool.mentee_team is not None
        and pool.mentee_team[i] >= 0
        and pool.mentee_team[i] == pool.mentor_team[j]
    ):
        return "same_team"
    one = scoring.Pool(
        mentee_ids=pool.mentee_ids[i : i + 1],
        mentor_ids=pool.mentor_ids[j : j + 1],
        mentee_people=np.array([0]),
        mentor_people=np.array([1]),
        mentor_free=np.array([1]),
        criteria=[],
    )
    for criterion in pool.criteria:
        one.criteria = [
            scoring.Criterion(
                key=criterion.key,
                kind=criterion.kind,
                rule=criterion.rule,
                weight=criterion.weight,
                mentee=criterion.mentee[i : i + 1],
                mentor=criterion.mentor[j : j + 1],
                labels=criterion.labels,
                sensitive=criterion.sensitive,
            )
        ]
        if not scoring.allowed(one)[0, 0]:
            return "languages" if criterion.key == "languages" else f"must:{criterion.key}"
    return None
