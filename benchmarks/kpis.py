"""How fast a large program's figures are computed, on the page, in the CSV and in Python.

Fills PostgreSQL in bulk (INSERT ... SELECT over generate_series, no services, no
signals) with one large program and a second, ten times smaller one, so that every
figure has to pick its own program's rows out of the others:

- 20,000 participants (two fifths mentors) in two cycles, in every state, with their
  users, their audit trail (applied, ready, matched, completed), training completions
  of three required modules and an optional one, and 15,000 invitations;
- 8,000 matches started over fifteen weeks (participant requests, coordinators'
  proposals and auto-match), active, completed or ended early, and 14,400 requests in
  every outcome;
- 1,000,000 messages, 40,000 meetings (three quarters of the past ones held),
  100,000 journal entries (about half reviewed, with their reviews; a third written
  about a held meeting);
- about 18,000 survey answers: the end-of-match survey (satisfaction, recommend, goals
  reached, and the reason for the matches that ended early) and the mid-cycle check-in.

It also writes what the services keep up to date as they go: each participant's
milestones, the programs' activity tallies per quarter hour (messages, meetings,
journal entries), each match's mentoring minutes and each entry's first review after
its submission.

Then it measures, over `--repeats` runs after one warm-up run, the median and p95 time
and the SQL query count of:

- `evaluation.kpis.program_figures` for the whole program, one cycle and a date range;
- `evaluation.trends.weekly_trends`, when that module exists;
- GET of the program's figures page and of its pairs CSV export (streamed, read to the
  end) through django.test.Client signed in as a superuser, when those URLs exist
  ("missing" otherwise); the export also reports its peak Python memory growth
  (tracemalloc, one extra run).

    .venv/bin/python benchmarks/kpis.py                 # fill (a few minutes) and measure
    .venv/bin/python benchmarks/kpis.py --reuse --json  # measure the rows already there
    .venv/bin/python benchmarks/kpis.py --scale 0.05 --repeats 5
    .venv/bin/python benchmarks/kpis.py --reuse --explain   # EXPLAIN ANALYZE to stderr

The database is `--database-url` (default: DATABASE_URL, or a local PostgreSQL database
`mentorship_kpis`, created and migrated when missing). Without `--reuse` the
benchmark's earlier rows are deleted and filled again. Progress goes to stderr; stdout
has only the table or one JSON object.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mentorship_kpis"
LARGE_PROGRAM = "KPI benchmark: large program"
SMALL_PROGRAM = "KPI benchmark: small program"
ADMIN_EMAIL = "kpis-admin@bench.example.org"
TARGET_DASHBOARD_MS = 300

# Sizes of the large program at --scale 1; the small one is a tenth of it.
SIZES = {
    "participants": 20_000,
    "matches": 8_000,
    "messages": 1_000_000,
    "journal_entries": 100_000,
    "meetings": 40_000,
}
MENTOR_SHARE = 0.4
# A fifth of the mentors stay unmatched; the others take one or two mentees.
MATCHED_MENTOR_SHARE = 0.8


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile of `values` (share between 0 and 1)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


# --- filling the database in bulk -----------------------------------------------------------


def execute(cursor, statement: str, params: dict | None = None, label: str = "") -> int:
    started = time.perf_counter()
    cursor.execute(statement, params or {})
    if label:
        log(f"  {label}: {cursor.rowcount:,} rows in {time.perf_counter() - started:.1f} s")
    return cursor.rowcount


# A deterministic number from 0 to 99 for row `x` and purpose `salt`: the same data on
# every run, without random() and its ordering.
HASH = "mod(abs(hashint4(((({x}) * 31 + {salt}))::int)), 100)"


def h(x: str, salt: int) -> str:
    return HASH.format(x=x, salt=salt)


def sizes_for(scale: float) -> dict:
    return {name: max(int(size * scale), 10) for name, size in SIZES.items()}


def fill_program(name: str, sizes: dict, *, now, admin, tag: str):
    """Create one program and all its rows; return the program."""
    from datetime import timedelta

    from django.db import connection

    from evaluation.services import ensure_questions
    from programs.models import Cycle, Program, TrainingModule

    program = Program.objects.create(
        name=name,
        description=json.dumps(sizes, sort_keys=True),
        status=Program.Status.RUNNING,
        hours_target=10,
        target_mentors=int(sizes["participants"] * MENTOR_SHARE),
        target_mentees=int(sizes["participants"] * (1 - MENTOR_SHARE)),
    )
    program.coordinators.add(admin)
    today = now.date()
    cycles = [
        Cycle.objects.create(
            program=program,
            name=cycle_name,
            enrolment_opens_on=today - timedelta(days=days + 30),
            enrolment_closes_on=today - timedelta(days=days - 20),
            matching_opens_on=today - timedelta(days=days),
            matching_closes_on=today - timedelta(days=days - 60),
            starts_on=today - timedelta(days=days),
        )
        for cycle_name, days in (("Spring", 112), ("Summer", 60))
    ]
    modules = {
        key: TrainingModule.objects.create(
            program=program,
            audience=audience,
            title=f"Module {position + 1}",
            content="Read this.",
            estimated_minutes=minutes,
            check_question="Done?",
            required=required,
            position=position,
        )
        for position, (key, audience, minutes, required) in enumerate(
            [
                ("everyone", "everyone", 30, True),
                ("mentor", "mentor", 20, True),
                ("mentee", "mentee", 25, True),
                ("optional", "everyone", 15, False),
            ]
        )
    }
    ensure_questions(program)

    people = sizes["participants"]
    mentors = int(people * MENTOR_SHARE)
    matches = sizes["matches"]
    matched_mentors = max(int(mentors * MATCHED_MENTOR_SHARE), 1)
    params = {
        "program": program.pk,
        "cycle_a": cycles[0].pk,
        "cycle_b": cycles[1].pk,
        "now": now,
        "people": people,
        "mentors": mentors,
        "matches": matches,
        "matched_mentors": matched_mentors,
        "prefix": f"kpis-{tag}-",
        "admin": admin.pk,
    }
    cursor = connection.cursor()
    log(f"Filling {name}")

    # The plan of the matches: who, when, how it ended. Mentee n has match n.
    execute(
        cursor,
        f"""
        CREATE TEMP TABLE bench_plan ON COMMIT DROP AS
        SELECT i,
               mod(i, %(matched_mentors)s) AS mentor_index,
               i AS mentee_index,
               %(now)s - make_interval(days => 7 + mod(i * 97, 105), hours => mod(i, 12))
                   AS started_at,
               {h("i", 1)} AS fate,
               CASE WHEN {h("i", 2)} < 60 THEN 'participant'
                    WHEN {h("i", 2)} < 85 THEN 'automatch' ELSE 'coordinator' END AS source
        FROM generate_series(0, %(matches)s - 1) i
        """,
        params,
    )
    execute(
        cursor,
        """
        ALTER TABLE bench_plan ADD COLUMN status text, ADD COLUMN ended_at timestamptz,
            ADD COLUMN ends_on date, ADD COLUMN match_id bigint;
        UPDATE bench_plan SET ends_on = (started_at AT TIME ZONE 'UTC')::date + 70;
        UPDATE bench_plan SET status = CASE
                WHEN ends_on < (%(now)s AT TIME ZONE 'UTC')::date
                    THEN CASE WHEN fate < 85 THEN 'completed' ELSE 'ended' END
                WHEN fate < 88 THEN 'active' ELSE 'ended' END;
        UPDATE bench_plan SET ended_at = CASE status
                WHEN 'completed' THEN (ends_on + 1)::timestamp AT TIME ZONE 'UTC'
                WHEN 'ended' THEN started_at + (least(ends_on::timestamp AT TIME ZONE 'UTC',
                    %(now)s) - started_at) * (0.3 + fate / 200.0)::float8
                END;
        CREATE INDEX ON bench_plan (mentee_index);
        """,
        params,
    )

    # People: index g, mentors first. Matched people were ready shortly before their
    # (first) match started and joined shortly before that.
    execute(
        cursor,
        f"""
        CREATE TEMP TABLE bench_people ON COMMIT DROP AS
        SELECT g,
               CASE WHEN g < %(mentors)s THEN 'mentor' ELSE 'mentee' END AS role,
               CASE WHEN g < %(mentors)s THEN g ELSE g - %(mentors)s END AS idx,
               {h("g", 3)} AS luck,
               %(prefix)s || g || '@bench.example.org' AS email,
               NULL::bigint AS user_id, NULL::bigint AS participant_id,
               NULL::text AS state, NULL::timestamptz AS ready_at,
               NULL::timestamptz AS joined_at, NULL::timestamptz AS matched_at,
               NULL::text AS last_status, NULL::timestamptz AS completed_at
        FROM generate_series(0, %(people)s - 1) g;
        CREATE INDEX ON bench_people (role, idx);
        """,
        params,
    )
    # First match of each matched person, and how their latest one ended.
    execute(
        cursor,
        """
        UPDATE bench_people p SET matched_at = m.first_start, last_status = m.last_status,
               completed_at = m.completed_at
        FROM (SELECT mentee_index AS idx, 'mentee' AS role, started_at AS first_start,
                     status AS last_status,
                     CASE WHEN status = 'completed' THEN ended_at END AS completed_at
              FROM bench_plan
              UNION ALL
              SELECT mentor_index, 'mentor', min(started_at),
                     CASE WHEN bool_or(status = 'active') THEN 'active'
                          WHEN bool_or(status = 'completed') THEN 'completed'
                          ELSE 'ended' END,
                     max(ended_at) FILTER (WHERE status = 'completed')
              FROM bench_plan GROUP BY mentor_index) m
        WHERE p.role = m.role AND p.idx = m.idx;
        UPDATE bench_people SET
            state = CASE
                WHEN matched_at IS NOT NULL THEN CASE last_status
                    WHEN 'active' THEN 'matched' WHEN 'completed' THEN 'completed'
                    ELSE 'ready' END
                WHEN luck < 45 THEN 'ready'
                WHEN luck < 65 THEN 'enrolled'
                WHEN luck < 75 THEN 'applied'
                WHEN luck < 80 THEN 'invited'
                WHEN luck < 88 THEN 'paused'
                ELSE 'withdrawn' END,
            ready_at = CASE
                WHEN matched_at IS NOT NULL
                    THEN matched_at - make_interval(days => 1 + mod(luck, 20))
                WHEN luck < 45 OR (luck >= 80 AND luck < 88)
                    THEN %(now)s - make_interval(days => 5 + luck, hours => mod(g, 24))
                END;
        UPDATE bench_people SET joined_at
            = coalesce(ready_at, %(now)s - make_interval(days => 10 + luck))
              - make_interval(days => 2 + mod(g, 10), hours => mod(g, 7));
        """,
        params,
    )
    execute(
        cursor,
        """
        INSERT INTO accounts_user (password, is_superuser, email, display_name, time_zone,
                                   preferred_language, is_staff, is_active, date_joined)
        SELECT '!', false, email, 'Person ' || g, 'Europe/Paris', 'en', false, true, joined_at
        FROM bench_people
        """,
        params,
        "users",
    )
    execute(
        cursor,
        """
        UPDATE bench_people p SET user_id = u.id FROM accounts_user u WHERE u.email = p.email
        """,
    )
    execute(
        cursor,
        """
        INSERT INTO programs_participant (code, role, state, state_before_pause, capacity,
            department, manager_email, application_message, questionnaire_submitted_at,
            withdrawn_reason, joined_at, updated_at, cycle_id, user_id, program_id,
            active_matches)
        SELECT gen_random_uuid(), role, state,
               CASE WHEN state = 'paused' THEN 'ready' ELSE '' END,
               CASE WHEN role = 'mentor' THEN 2 END,
               'Team ' || mod(g, 40), '', '', ready_at, '', joined_at, %(now)s,
               CASE WHEN mod(idx, 2) = 0 THEN %(cycle_a)s ELSE %(cycle_b)s END,
               user_id, %(program)s, 0
        FROM bench_people
        """,
        params,
        "participants",
    )
    execute(
        cursor,
        """
        UPDATE bench_people p SET participant_id = pa.id
        FROM programs_participant pa WHERE pa.user_id = p.user_id
        """,
    )
    execute(
        cursor,
        """
        INSERT INTO programs_participantevent (action, from_state, to_state, note, created_at,
                                               actor_id, participant_id)
        -- People who applied: the application, then its approval for most.
        SELECT 'applied', '', 'applied', '', joined_at, NULL, participant_id
        FROM bench_people WHERE luck >= 65 AND luck < 75 OR mod(g, 5) = 0
        UNION ALL
        SELECT 'approved', 'applied', 'enrolled', '', joined_at + interval '1 day',
               %(admin)s, participant_id
        FROM bench_people WHERE mod(g, 5) = 0 AND state <> 'applied'
        UNION ALL
        SELECT 'ready', 'enrolled', 'ready', '', ready_at, NULL, participant_id
        FROM bench_people WHERE ready_at IS NOT NULL
        UNION ALL
        SELECT 'matched', 'ready', 'matched', '', matched_at, NULL, participant_id
        FROM bench_people WHERE matched_at IS NOT NULL
        UNION ALL
        SELECT 'match_completed', 'matched', 'completed', '', completed_at, NULL, participant_id
        FROM bench_people WHERE completed_at IS NOT NULL
        UNION ALL
        SELECT 'paused', 'ready', 'paused', '', ready_at + interval '3 days', NULL,
               participant_id
        FROM bench_people WHERE state = 'paused'
        UNION ALL
        SELECT 'withdrawn', 'enrolled', 'withdrawn', '', joined_at + interval '5 days', NULL,
               participant_id
        FROM bench_people WHERE state = 'withdrawn'
        """,
        params,
        "participant events",
    )
    params.update({f"module_{key}": module.pk for key, module in modules.items()})
    execute(
        cursor,
        f"""
        INSERT INTO programs_trainingcompletion (completed_at, minutes, participant_id,
                                                 module_id)
        SELECT joined_at + interval '1 day', 30, participant_id, %(module_everyone)s
        FROM bench_people WHERE ready_at IS NOT NULL OR state IN ('enrolled', 'withdrawn')
        UNION ALL
        SELECT joined_at + interval '1 day 2 hours', CASE role WHEN 'mentor' THEN 20 ELSE 25 END,
               participant_id,
               CASE role WHEN 'mentor' THEN %(module_mentor)s ELSE %(module_mentee)s END
        FROM bench_people WHERE ready_at IS NOT NULL OR (state = 'enrolled' AND luck < 55)
        UNION ALL
        SELECT joined_at + interval '2 days', 15, participant_id, %(module_optional)s
        FROM bench_people WHERE {h("g", 4)} < 30 AND state <> 'invited'
        """,
        params,
        "training completions",
    )
    execute(
        cursor,
        f"""
        INSERT INTO programs_invitation (token, email, name, role, department, manager_email,
            status, created_at, expires_at, sent_count, last_sent_at, invited_by_id,
            program_id, cycle_id, accepted_at)
        SELECT gen_random_uuid(), 'invited-' || %(prefix)s || g || '@bench.example.org', '',
               CASE WHEN mod(g, 5) < 2 THEN 'mentor' ELSE 'mentee' END, '', '',
               CASE WHEN {h("g", 5)} < 70 THEN 'accepted'
                    WHEN {h("g", 5)} < 90 THEN 'pending' ELSE 'revoked' END,
               %(now)s - make_interval(days => 140 - mod(g, 130)),
               %(now)s - make_interval(days => 110 - mod(g, 130)),
               1, %(now)s - make_interval(days => 140 - mod(g, 130)), %(admin)s, %(program)s,
               CASE WHEN mod(g, 2) = 0 THEN %(cycle_a)s ELSE %(cycle_b)s END,
               CASE WHEN {h("g", 5)} < 70
                    THEN %(now)s - make_interval(days => 139 - mod(g, 130)) END
        FROM generate_series(0, (%(people)s * 3 / 4) - 1) g
        """,
        params,
        "invitations",
    )

    # Requests: an approved one behind each match, then others in every outcome between
    # unmatched mentees and mentors.
    execute(
        cursor,
        f"""
        INSERT INTO matching_matchrequest (code, source, sender, message, status,
            mentor_approved_at, mentee_approved_at, created_at, reply_due_at, closed_at,
            close_reason, close_code, cycle_id, mentee_id, mentee_user_id, mentor_id,
            mentor_user_id, program_id, sent_by_id)
        SELECT gen_random_uuid(), pl.source,
               CASE pl.source WHEN 'participant' THEN 'mentee' ELSE 'coordinator' END, '',
               'approved', pl.started_at - interval '1 day', pl.started_at,
               pl.started_at - interval '2 days', pl.started_at + interval '5 days',
               pl.started_at, '', '', mentee.cycle_id, mentee.participant_id, mentee.user_id,
               mentor.participant_id, mentor.user_id, %(program)s, mentee.user_id
        FROM bench_plan pl
        JOIN (SELECT b.*, pa.cycle_id FROM bench_people b
              JOIN programs_participant pa ON pa.id = b.participant_id) mentee
             ON mentee.role = 'mentee' AND mentee.idx = pl.mentee_index
        JOIN bench_people mentor ON mentor.role = 'mentor' AND mentor.idx = pl.mentor_index
        UNION ALL
        SELECT gen_random_uuid(), 'participant', 'mentee', '', s.status,
               NULL, s.created_at, s.created_at, s.created_at + interval '7 days',
               CASE WHEN s.status <> 'pending' THEN s.created_at + interval '3 days' END,
               '', CASE WHEN s.status = 'superseded' THEN 'mentee_matched' ELSE '' END,
               NULL, mentee.participant_id, mentee.user_id, mentor.participant_id,
               mentor.user_id, %(program)s, mentee.user_id
        FROM (SELECT k,
                     CASE WHEN {h("k", 6)} < 10 THEN 'pending'
                          WHEN {h("k", 6)} < 45 THEN 'declined'
                          WHEN {h("k", 6)} < 65 THEN 'withdrawn'
                          WHEN {h("k", 6)} < 85 THEN 'expired'
                          WHEN {h("k", 6)} < 97 THEN 'superseded' ELSE 'closed' END AS status,
                     %(now)s - make_interval(days => 2 + mod(k * 13, 110)) AS created_at
              FROM generate_series(0, (%(matches)s * 4 / 5) - 1) k) s
        JOIN bench_people mentee ON mentee.role = 'mentee'
             AND mentee.idx = mod(s.k, %(people)s - %(mentors)s)
        JOIN bench_people mentor ON mentor.role = 'mentor'
             AND mentor.idx = mod(s.k * 7 + 3, %(mentors)s)
        """,
        params,
        "match requests",
    )
    execute(
        cursor,
        """
        INSERT INTO matching_match (code, source, status, started_at, started_on, ends_on,
            ended_at, end_reason, mentor_asks_again, mentee_asks_again, cycle_id, mentee_id,
            mentor_id, program_id, last_activity_at, ended_by_id, minutes_logged)
        SELECT gen_random_uuid(), pl.source, pl.status, pl.started_at,
               (pl.started_at AT TIME ZONE 'UTC')::date, pl.ends_on, pl.ended_at,
               CASE WHEN pl.status = 'ended' THEN 'We could not find time to meet' ELSE '' END,
               false, false, pa.cycle_id, mentee.participant_id, mentor.participant_id,
               %(program)s, pl.started_at, NULL, 0
        FROM bench_plan pl
        JOIN bench_people mentee ON mentee.role = 'mentee' AND mentee.idx = pl.mentee_index
        JOIN programs_participant pa ON pa.id = mentee.participant_id
        JOIN bench_people mentor ON mentor.role = 'mentor' AND mentor.idx = pl.mentor_index
        """,
        params,
        "matches",
    )
    execute(
        cursor,
        """
        CREATE TEMP TABLE bench_matches ON COMMIT DROP AS
        SELECT pl.i, m.id AS match_id, m.status, m.started_at,
               coalesce(m.ended_at, %(now)s) AS end_at,
               m.mentor_id, m.mentee_id, mentor.user_id AS mentor_user,
               mentee.user_id AS mentee_user
        FROM bench_plan pl
        JOIN bench_people mentee ON mentee.role = 'mentee' AND mentee.idx = pl.mentee_index
        JOIN matching_match m ON m.mentee_id = mentee.participant_id
        JOIN bench_people mentor ON mentor.participant_id = m.mentor_id;
        CREATE UNIQUE INDEX ON bench_matches (i);
        CREATE UNIQUE INDEX ON bench_matches (match_id);
        """,
        params,
    )

    # Meetings: five per pair, ten days apart; the past ones mostly held.
    execute(
        cursor,
        f"""
        INSERT INTO journals_meeting (code, uid, starts_at, duration, time_zone, agenda,
            video_url, place, status, sequence, time_changes, reason, held_minutes,
            created_at, updated_at, marked_by_id, match_id, proposed_by_id)
        SELECT s.code, s.code::text || '@mentorship', s.starts_at, 60, 'Europe/Paris', '',
               '', '', s.status, 0, 0, '',
               CASE WHEN s.status = 'held' THEN 30 + mod(s.g, 7) * 10 END,
               s.starts_at - interval '5 days', s.starts_at,
               CASE WHEN s.status = 'held' THEN s.mentee_user END, s.match_id, s.proposer
        FROM (SELECT g, gen_random_uuid() AS code, m.match_id, m.mentee_user,
                     CASE WHEN mod(g, 2) = 0 THEN m.mentee_user ELSE m.mentor_user END
                         AS proposer,
                     m.started_at + make_interval(days => 3 + (g / %(matches)s) * 10,
                                                  hours => mod(g, 9)) AS starts_at,
                     m.end_at, {h("g", 7)} AS luck
              FROM generate_series(0, %(meetings)s - 1) g
              JOIN bench_matches m ON m.i = mod(g, %(matches)s)) s0
        CROSS JOIN LATERAL (SELECT s0.*, CASE
                WHEN s0.starts_at > s0.end_at THEN
                    CASE WHEN s0.end_at < %(now)s THEN 'cancelled'
                         WHEN s0.luck < 60 THEN 'accepted' ELSE 'proposed' END
                WHEN s0.starts_at > %(now)s - interval '1 day' THEN 'accepted'
                WHEN s0.luck < 75 THEN 'held'
                WHEN s0.luck < 85 THEN 'missed'
                WHEN s0.luck < 95 THEN 'cancelled' ELSE 'declined' END AS status) s
        """,
        {**params, "meetings": sizes["meetings"]},
        "meetings",
    )
    execute(
        cursor,
        """
        CREATE TEMP TABLE bench_meetings ON COMMIT DROP AS
        SELECT m.i, mt.id AS meeting_id, mt.status,
               row_number() OVER (PARTITION BY mt.match_id ORDER BY mt.starts_at, mt.id) - 1
                   AS k
        FROM journals_meeting mt JOIN bench_matches m ON m.match_id = mt.match_id;
        CREATE UNIQUE INDEX ON bench_meetings (i, k);
        """,
    )
    # Journal entries: both sides write; the first ten of a pair are about its held
    # meetings (two per meeting, one each side).
    execute(
        cursor,
        f"""
        INSERT INTO journals_journalentry (code, entry_date, discussed, next_topics, minutes,
            observations, share_discussed, share_next_topics, share_observations, status,
            created_at, submitted_at, reviewed_at, updated_at, author_id, match_id,
            meeting_id)
        SELECT gen_random_uuid(), (e.written_at AT TIME ZONE 'UTC')::date, 'We talked.', '',
               CASE WHEN e.status = 'draft' AND mod(e.g, 2) = 0 THEN NULL
                    ELSE 30 + mod(e.g * 7, 10) * 10 END,
               '', true, true, false, e.status, e.written_at,
               CASE WHEN e.status <> 'draft' THEN e.written_at + interval '1 hour' END,
               CASE WHEN e.status = 'reviewed'
                    THEN least(e.written_at + make_interval(hours => 3 + mod(e.g, 97)),
                               %(now)s) END,
               e.written_at, e.author_id, e.match_id,
               CASE WHEN mt.status = 'held' THEN mt.meeting_id END
        FROM (SELECT g, m.i, m.match_id, g / %(matches)s AS k,
                     CASE WHEN mod(g / %(matches)s, 2) = 0 THEN m.mentee_id ELSE m.mentor_id END
                         AS author_id,
                     least(m.started_at + make_interval(days => 4 + (g / %(matches)s) * 6),
                           m.end_at - make_interval(hours => 13 - g / %(matches)s))
                         AS written_at,
                     CASE WHEN {h("g", 8)} < 8 THEN 'draft'
                          WHEN {h("g", 8)} < 48 THEN 'submitted'
                          WHEN {h("g", 8)} < 95 THEN 'reviewed' ELSE 'reopened' END AS status
              FROM generate_series(0, %(entries)s - 1) g
              JOIN bench_matches m ON m.i = mod(g, %(matches)s)) e
        LEFT JOIN bench_meetings mt ON mt.i = e.i AND mt.k = e.k / 2 AND e.k < 10
        """,
        {**params, "entries": sizes["journal_entries"]},
        "journal entries",
    )
    execute(
        cursor,
        """
        INSERT INTO journals_review (action, feedback, created_at, entry_id, reviewer_id)
        SELECT 'reviewed', 'Thank you.', e.reviewed_at, e.id, %(admin)s
        FROM journals_journalentry e JOIN bench_matches m ON m.match_id = e.match_id
        WHERE e.status = 'reviewed'
        UNION ALL
        SELECT 'reopened', 'Please add the hours.', e.submitted_at + interval '1 day', e.id,
               %(admin)s
        FROM journals_journalentry e JOIN bench_matches m ON m.match_id = e.match_id
        WHERE e.status = 'reopened'
        """,
        params,
        "reviews",
    )
    execute(
        cursor,
        """
        INSERT INTO journals_message (body, created_at, author_id, match_id)
        SELECT 'Message ' || g,
               m.started_at + (m.end_at - m.started_at)
                   * ((g / %(matches)s + 0.5) / ceil(%(messages)s::numeric / %(matches)s))::float8,
               CASE WHEN mod(g / %(matches)s, 2) = 0 THEN m.mentee_user ELSE m.mentor_user END,
               m.match_id
        FROM generate_series(0, %(messages)s - 1) g
        JOIN bench_matches m ON m.i = mod(g, %(matches)s)
        """,
        {**params, "messages": sizes["messages"]},
        "messages",
    )
    # What posting each message adds up as it goes: the program's count per quarter hour
    # (meetings and entries are added to the same rows below, by journals.tallies).
    execute(
        cursor,
        """
        INSERT INTO journals_activitytally (program_id, cycle_id, slot, messages,
            meetings_proposed, meetings_held, entries_submitted, entry_minutes,
            entries_reviewed)
        SELECT mm.program_id, mm.cycle_id,
               to_timestamp(floor(extract(epoch FROM msg.created_at) / 900) * 900), count(*),
               0, 0, 0, 0, 0
        FROM journals_message msg JOIN matching_match mm ON mm.id = msg.match_id
        WHERE msg.match_id IN (SELECT match_id FROM bench_matches)
        GROUP BY 1, 2, 3
        """,
        params,
        "message tallies",
    )
    # Latest activity: the last message, except a tenth of the active pairs gone quiet.
    execute(
        cursor,
        f"""
        UPDATE matching_match mm SET last_activity_at = CASE
                WHEN mm.status = 'active' AND {h("m.i", 9)} < 10
                    THEN greatest(mm.started_at, %(now)s - interval '30 days')
                ELSE least(last.at, %(now)s) END
        FROM bench_matches m
        JOIN (SELECT match_id, max(created_at) AS at FROM journals_message
              WHERE match_id IN (SELECT match_id FROM bench_matches) GROUP BY match_id) last
             ON last.match_id = m.match_id
        WHERE mm.id = m.match_id
        """,
        params,
        "latest activity",
    )

    # Surveys: both sides of finished matches get the end survey (half answer), both
    # sides of pairs past mid-cycle the check-in (a quarter answer).
    execute(
        cursor,
        f"""
        INSERT INTO evaluation_surveyinvitation (code, role, kind, sent_at, reminded_at,
                                                 answered_at, match_id, user_id)
        SELECT gen_random_uuid(), side.role, s.kind, s.sent_at, NULL,
               CASE WHEN {h("m.i * 2 + side.n", 10)} < s.answer_share
                    THEN least(s.sent_at + make_interval(days => 1 + mod(m.i, 5)), %(now)s)
                    END,
               m.match_id, CASE side.role WHEN 'mentor' THEN m.mentor_user
                                          ELSE m.mentee_user END
        FROM bench_matches m
        CROSS JOIN (VALUES ('mentor', 0), ('mentee', 1)) side(role, n)
        CROSS JOIN LATERAL (
            SELECT 'end' AS kind, m.end_at AS sent_at, 50 AS answer_share
            WHERE m.status <> 'active'
            UNION ALL
            SELECT 'midpoint', m.started_at + interval '35 days', 25
            WHERE m.started_at + interval '35 days' < least(m.end_at, %(now)s)
        ) s
        """,
        params,
        "survey invitations",
    )
    execute(
        cursor,
        f"""
        INSERT INTO evaluation_surveyanswer (question_text, question_key, answer_type,
            position, number, text, invitation_id, question_id)
        SELECT q.text, q.key, q.answer_type, q.position,
               CASE q.answer_type
                   WHEN 'scale' THEN 1 + {h("i.id", 11)} / 25 + ({h("i.id", 12)} / 50)
                   WHEN 'score' THEN least(10, 3 + {h("i.id", 13)} / 12) END,
               CASE q.answer_type
                   WHEN 'yes_partly_no' THEN CASE WHEN {h("i.id", 14)} < 50 THEN 'yes'
                                                  WHEN {h("i.id", 14)} < 85 THEN 'partly'
                                                  ELSE 'no' END
                   WHEN 'choice' THEN q.choices ->> mod(i.id, jsonb_array_length(q.choices))::int
                   ELSE '' END,
               i.id, q.id
        FROM evaluation_surveyinvitation i
        JOIN bench_matches m ON m.match_id = i.match_id
        JOIN evaluation_surveyquestion q ON q.program_id = %(program)s AND q.kind = i.kind
             AND q.key IN ('satisfaction', 'recommend', 'goals_reached', 'early_end_reason')
        WHERE i.answered_at IS NOT NULL
          AND (q.key <> 'early_end_reason' OR m.status = 'ended')
        """,
        params,
        "survey answers",
    )
    for table in ("bench_plan", "bench_people", "bench_matches", "bench_meetings"):
        cursor.execute(f"DROP TABLE {table}")
    cursor.close()
    # What the services store as they go: each participant's milestones, each pair's
    # minutes, and each entry's first review after its submission.
    from journals import tallies
    from journals.hours import store_pair_minutes
    from journals.models import JournalEntry, Meeting
    from journals.reviews import store_first_reviews
    from matching.models import Match
    from programs import milestones
    from programs.models import Participant

    started = time.perf_counter()
    milestones.rebuild(Participant.objects.filter(program=program))
    log(f"  participant milestones in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    stored = store_pair_minutes(Match.objects.filter(program=program))
    log(f"  pair minutes: {stored:,} rows in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    stored = store_first_reviews(
        JournalEntry.objects.filter(match__program=program, submitted_at__isnull=False)
    )
    log(f"  first reviews: {stored:,} rows in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    tallies.add_counts(tallies.meeting_rows(Meeting.objects.filter(match__program=program)))
    tallies.add_counts(tallies.entry_rows(JournalEntry.objects.filter(match__program=program)))
    log(f"  meeting and entry tallies in {time.perf_counter() - started:.1f} s")
    return program


def clear() -> None:
    """Delete what an earlier run of this benchmark created (in bulk, children first)."""
    from django.db import connection

    from programs.models import Program

    ids = list(
        Program.objects.filter(name__in=[LARGE_PROGRAM, SMALL_PROGRAM]).values_list("pk", flat=True)
    )
    if not ids:
        return
    log("Deleting the earlier benchmark rows")
    matches = "SELECT id FROM matching_match WHERE program_id = ANY(%(ids)s)"
    entries = f"SELECT id FROM journals_journalentry WHERE match_id IN ({matches})"
    invitations = f"SELECT id FROM evaluation_surveyinvitation WHERE match_id IN ({matches})"
    participants = "SELECT id FROM programs_participant WHERE program_id = ANY(%(ids)s)"
    statements = [
        f"DELETE FROM evaluation_surveyanswer WHERE invitation_id IN ({invitations})",
        f"DELETE FROM evaluation_surveyinvitation WHERE id IN ({invitations})",
        f"DELETE FROM evaluation_certificate WHERE match_id IN ({matches})",
        f"DELETE FROM journals_review WHERE entry_id IN ({entries})",
        f"DELETE FROM journals_journalentry WHERE match_id IN ({matches})",
        f"DELETE FROM journals_meeting WHERE match_id IN ({matches})",
        f"DELETE FROM journals_message WHERE match_id IN ({matches})",
        "DELETE FROM journals_activitytally WHERE program_id = ANY(%(ids)s)",
        f"DELETE FROM journals_threadvisit WHERE match_id IN ({matches})",
        f"DELETE FROM journals_agreement WHERE match_id IN ({matches})",
        f"DELETE FROM matching_matchevent WHERE match_id IN ({matches})",
        "DELETE FROM matching_match WHERE program_id = ANY(%(ids)s)",
        "DELETE FROM matching_requestevent WHERE request_id IN "
        "(SELECT id FROM matching_matchrequest WHERE program_id = ANY(%(ids)s))",
        "DELETE FROM matching_matchrequest WHERE program_id = ANY(%(ids)s)",
        f"DELETE FROM programs_trainingcompletion WHERE participant_id IN ({participants})",
        f"DELETE FROM programs_participantevent WHERE participant_id IN ({participants})",
        "CREATE TEMP TABLE bench_old_users AS SELECT user_id FROM programs_participant "
        "WHERE program_id = ANY(%(ids)s)",
        "DELETE FROM programs_participant WHERE program_id = ANY(%(ids)s)",
        "DELETE FROM programs_invitation WHERE program_id = ANY(%(ids)s)",
        "DELETE FROM accounts_user WHERE id IN (SELECT user_id FROM bench_old_users)",
        "DROP TABLE bench_old_users",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, {"ids": ids})
    Program.objects.filter(pk__in=ids).delete()


def fill(scale: float, reuse: bool):
    """Return the large and the small program, filled now or by an earlier run."""
    from django.db import connection, transaction
    from django.utils import timezone

    from mentorship_site.accounts.models import User
    from programs.models import Program

    admin, _ = User.objects.get_or_create(
        email=ADMIN_EMAIL,
        defaults={"display_name": "KPI benchmark admin", "is_superuser": True, "is_staff": True},
    )
    large_sizes = sizes_for(scale)
    small_sizes = sizes_for(scale / 10)
    if reuse:
        found = {
            program.name: program
            for program in Program.objects.filter(name__in=[LARGE_PROGRAM, SMALL_PROGRAM])
        }
        large, small = found.get(LARGE_PROGRAM), found.get(SMALL_PROGRAM)
        if (
            large is not None
            and small is not None
            and json.loads(large.description or "{}") == large_sizes
            and json.loads(small.description or "{}") == small_sizes
        ):
            log("Reusing the programs filled by an earlier run")
            return large, small, admin
        log("Nothing to reuse at this scale: filling")
    clear()
    started = time.perf_counter()
    now = timezone.now()
    with transaction.atomic():
        large = fill_program(LARGE_PROGRAM, large_sizes, now=now, admin=admin, tag="large")
        small = fill_program(SMALL_PROGRAM, small_sizes, now=now, admin=admin, tag="small")
    log(f"Filled in {time.perf_counter() - started:.0f} s; vacuuming and analysing")
    # As autovacuum would leave them: statistics, and visibility maps for index-only scans.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return large, small, admin


# --- measuring ----------------------------------------------------------------------------


def timed(function, repeats: int) -> dict:
    """Run `function` once to warm up, then `repeats` times; return times and queries."""
    from django.db import connection

    # Counted by a wrapper, not by connection.queries: a request through the test client
    # resets that log when it starts.
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        function()
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - started)
    return {
        "median_ms": round(statistics.median(seconds) * 1000, 1),
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 1),
        "queries": len(queries),
    }


def explain(function) -> None:
    """Print EXPLAIN ANALYZE of each query `function` runs, slowest first, to stderr."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        function()
    plans = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            took = float(plan.rsplit("Execution Time: ", 1)[-1].split()[0])
            plans.append((took, query["sql"], plan))
    for took, sql, plan in sorted(plans, reverse=True):
        log(f"\n=== {took:.1f} ms\n{sql}\n{plan}")


def page(client, name: str, args: list, *, measure_memory: bool, repeats: int) -> dict | str:
    """Time GET of the named URL, read to its end; "missing" when it does not exist."""
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return "missing"

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        if response.streaming:
            return sum(len(chunk) for chunk in response.streaming_content)
        return len(response.content)

    figures = timed(get, repeats)
    figures["bytes"] = get()
    if measure_memory:
        import tracemalloc

        tracemalloc.start()
        baseline = tracemalloc.get_traced_memory()[0]
        get()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        figures["peak_memory_kb"] = round((peak - baseline) / 1024)
    return figures


def measure(large, admin, repeats: int, explain_queries: bool) -> dict:
    from datetime import timedelta

    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from evaluation.kpis import program_figures

    cycle = large.cycles.order_by("starts_on").first()
    today = timezone.localdate()
    since, until = today - timedelta(days=56), today - timedelta(days=14)
    results = {}
    runs = {
        "program_figures": lambda: program_figures(large),
        "program_figures_cycle": lambda: program_figures(large, cycle=cycle),
        "program_figures_range": lambda: program_figures(large, since=since, until=until),
    }
    for name, function in runs.items():
        log(f"Timing {name}")
        results[name] = timed(function, repeats)
    if explain_queries:
        explain(runs["program_figures"])
    # Only this checkout's module: an editable install may find another checkout's.
    import evaluation

    if not (Path(evaluation.__file__).parent / "trends.py").exists():
        results["weekly_trends"] = "missing"
    else:
        from evaluation.trends import weekly_trends

        log("Timing weekly_trends")
        results["weekly_trends"] = timed(lambda: weekly_trends(large), repeats)

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(admin)
    log("Timing the figures page and the pairs export")
    results["dashboard"] = page(
        client,
        "evaluation:program_dashboard",
        [large.code],
        measure_memory=False,
        repeats=repeats,
    )
    results["export_pairs"] = page(
        client,
        "evaluation:program_export",
        [large.code, "pairs"],
        measure_memory=True,
        repeats=repeats,
    )
    return results


def counts(program) -> dict:
    from evaluation.models import SurveyAnswer
    from journals.models import JournalEntry, Meeting, Message
    from matching.models import Match

    return {
        "participants": program.participants.count(),
        "matches": Match.objects.filter(program=program).count(),
        "messages": Message.objects.filter(match__program=program).count(),
        "journal_entries": JournalEntry.objects.filter(match__program=program).count(),
        "meetings": Meeting.objects.filter(match__program=program).count(),
        "survey_answers": SurveyAnswer.objects.filter(invitation__match__program=program).count(),
    }


def run(scale: float, reuse: bool, repeats: int, explain_queries: bool) -> dict:
    from django.conf import settings

    large, small, admin = fill(scale, reuse)
    figures = {"large_program": counts(large), "small_program": counts(small)}
    log(f"Large program: {figures['large_program']}")
    debug = settings.DEBUG
    settings.DEBUG = False  # queries are counted by a wrapper; DEBUG would keep them all
    try:
        figures.update(measure(large, admin, repeats, explain_queries))
    finally:
        settings.DEBUG = debug
    figures["repeats"] = repeats
    figures["target_dashboard_ms"] = TARGET_DASHBOARD_MS
    return figures


def table(figures: dict) -> str:
    lines = []
    for key in ("large_program", "small_program"):
        lines.append(f"{key:<24} " + ", ".join(f"{k} {v:,}" for k, v in figures[key].items()))
    lines.append(f"{'':<24} {'median ms':>10} {'p95 ms':>10} {'queries':>8}  other")
    for key, value in figures.items():
        if key in ("large_program", "small_program", "repeats", "target_dashboard_ms"):
            continue
        if isinstance(value, dict):
            other = ", ".join(
                f"{k} {v:,}"
                for k, v in value.items()
                if k not in ("median_ms", "p95_ms", "queries")
            )
            lines.append(
                f"{key:<24} {value['median_ms']:>10} {value['p95_ms']:>10} "
                f"{value['queries']:>8}  {other}"
            )
        else:
            lines.append(f"{key:<24} {value}")
    lines.append(
        f"({figures['repeats']} runs after a warm-up; target: dashboard "
        f"<= {figures['target_dashboard_ms']} ms)"
    )
    return "\n".join(lines)


def main() -> None:
    # Run as a script, this file's folder comes first on the path; the project must.
    sys.path[0] = str(PROJECT_DIR)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full sizes")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the rows an earlier run left, if any"
    )
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE program_figures' queries"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    arguments = parser.parse_args()
    if not arguments.database_url.startswith("postgres"):
        parser.error("the KPI benchmark needs PostgreSQL")
    if arguments.repeats < 1:
        parser.error("--repeats must be at least 1")
    from benchmarks.postgres import ensure_database, setup_django

    setup_django(arguments.database_url)
    ensure_database(arguments.database_url, log=log)
    figures = run(arguments.scale, arguments.reuse, arguments.repeats, arguments.explain)
    print(json.dumps(figures) if arguments.json else table(figures))


if __name__ == "__main__":
    main()
