"""CSV exports of the figure pages: each table under its page name, the weekly trends,
every figure by its JSON name, and one row per pair.

Responses are streamed: rows are written as they are read (the pairs through a database
cursor, `iterator`), so an export of any size holds a chunk of rows in memory, never
the whole file.
"""

import csv
from collections.abc import Iterable, Iterator

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify

from evaluation.dashboard import flatten
from evaluation.kpis import Scope, half_up
from journals.models import JournalEntry, Meeting, Message
from matching.models import Match

# Rows fetched per round trip when streaming pairs.
CHUNK = 2000
# A spreadsheet runs a cell starting with one of these as a formula: such text is
# written with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    """A file-like object whose write returns the line, for csv.writer to stream."""

    def write(self, line: str) -> str:
        return line


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """Return a streamed CSV download of `header` and `rows` (UTF-8 with a byte-order
    mark, so spreadsheets read accents right)."""
    writer = csv.writer(_Line())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([_safe(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def filename(program, table: str, extension: str = "csv", scope: dict | None = None) -> str:
    """Return the file's name: the program (every program without one), the cycle and
    days it covers, and the table, so that files downloaded for different filters keep
    apart."""
    parts = [(slugify(program.name) or "program") if program is not None else "programs"]
    scope = scope or {}
    if scope.get("cycle") is not None:
        parts.append(slugify(scope["cycle"].name) or "cycle")
    if scope.get("since") is not None:
        parts.append(f"from-{scope['since'].isoformat()}")
    if scope.get("until") is not None:
        parts.append(f"to-{scope['until'].isoformat()}")
    return f"{'-'.join([*parts, table] if table else parts)}.{extension}"


def figure_rows(figures: dict) -> Iterator[list]:
    """Yield [name, value] for every figure, named as in the JSON."""
    for name, value in flatten(figures):
        yield [name, value]


def trend_rows(trends: dict) -> tuple[list[str], Iterator[list]]:
    header = ["week", *[series.name for series in trends["series"]]]
    columns = [series.values for series in trends["series"]]
    rows = (
        [week.isoformat(), *[values[index] for values in columns]]
        for index, week in enumerate(trends["weeks"])
    )
    return header, rows


def _count(queryset) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.order_by().values("match").annotate(total=Count("pk")).values("total"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


PAIR_COLUMNS = [
    "mentor",
    "mentee",
    "cycle",
    "proposed_by",
    "status",
    "started_on",
    "ends_on",
    "ended_on",
    "hours",
    "meetings_held",
    "messages",
    "entries_submitted",
]


def pairs(program, *, cycle=None, since=None, until=None):
    """Return the pairs of `program` that started in the scope, each annotated with its
    hours and activity (one query, read in chunks)."""
    scope = Scope(program, cycle, since, until)
    match = OuterRef("pk")
    return (
        scope.of(Match)
        .filter(scope.during("started_at"))
        .annotate(
            held=_count(Meeting.objects.filter(match=match, status=Meeting.Status.HELD)),
            message_count=_count(Message.objects.filter(match=match)),
            entries=_count(
                JournalEntry.objects.filter(match=match, submitted_at__isnull=False).filter(
                    ~Q(status=JournalEntry.Status.DRAFT)
                )
            ),
        )
        .order_by("started_at", "pk")
        .values_list(
            "mentor__user__display_name",
            "mentee__user__display_name",
            "cycle__name",
            "source",
            "status",
            "started_on",
            "ends_on",
            "ended_at",
            "minutes_logged",
            "held",
            "message_count",
            "entries",
        )
    )


def pair_rows(queryset) -> Iterator[list]:
    for (
        mentor,
        mentee,
        cycle,
        source,
        status,
        started,
        ends,
        ended,
        minutes,
        *counts,
    ) in queryset.iterator(chunk_size=CHUNK):
        yield [
            mentor,
            mentee,
            cycle or "",
            source,
            status,
            started.isoformat() if started else "",
            ends.isoformat() if ends else "",
            timezone.localdate(ended).isoformat() if ended else "",
            half_up(minutes / 60, 2),
            *counts,
        ]
