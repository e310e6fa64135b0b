"""Charts drawn on the server as SVG: no script, no download, printable, and readable by
screen readers through a title and a summary (each chart also has a data table beside
it on the page).

A chart is a `Chart` (title, summary, bars); `draw()` (or its `svg` property) draws
it. Bars are vertical for series over time or buckets, horizontal for named steps and
outcomes.
"""

import itertools
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

WIDTH, HEIGHT = 640, 260
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 48, 12, 12, 44
ROW_HEIGHT, LABEL_WIDTH = 30, 220
# Colours with a contrast ratio of at least 3:1 against white (WCAG non-text contrast).
BAR = "#0b5ed7"
TARGET = "#b02a37"
TEXT = "#212529"
GRID = "#adb5bd"
_ids = itertools.count(1)


@dataclass
class Chart:
    title: str
    summary: str
    labels: list[str]
    values: list[float | None]  # None: nothing to measure (drawn as a dash in bars)
    horizontal: bool = False
    # A reference line (a target) drawn across the bars, with its label.
    target: float | None = None
    target_label: str = ""
    # Draw every n-th label only, so week labels do not overlap.
    label_every: int = 1
    chart_id: str = field(default_factory=lambda: f"chart-{next(_ids)}")

    @property
    def svg(self) -> SafeString:
        return draw(self)


def _nice_top(largest: float) -> float:
    """Return the axis maximum: four equal steps of a round size (1, 2, 3 or 5 × 10^n)
    reaching at least `largest`."""
    wanted = max(float(largest), 4.0) / 4
    magnitude = 10 ** math.floor(math.log10(wanted))
    step = next(size * magnitude for size in (1, 2, 3, 5, 10) if wanted <= size * magnitude)
    return step * 4


def rounded(value, digits: int, *, grouping: bool = False) -> str:
    """Return `value` rounded half up to `digits` decimals, in the reader's locale
    (Django's number_format alone cuts the extra decimals off instead of rounding)."""
    step = Decimal(1).scaleb(-digits)
    exact = Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)
    return number_format(exact, digits, force_grouping=grouping)


def _number(value) -> str:
    if isinstance(value, float | Decimal) and value != int(value):
        return rounded(value, 1)
    return number_format(int(value), 0, force_grouping=True)


def _text(x, y, content, *, anchor="middle", size=12, extra="") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{TEXT}"{extra}>{escape(content)}</text>'
    )


def _frame(chart: Chart, height: int, body: list[str]) -> SafeString:
    title_id, summary_id = f"{chart.chart_id}-title", f"{chart.chart_id}-summary"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{title_id} {summary_id}" font-family="system-ui, sans-serif">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{summary_id}">{escape(chart.summary)}</desc>',
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def _vertical(chart: Chart) -> SafeString:
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    top = _nice_top(max([*chart.values, chart.target or 0, 0]))
    count = max(len(chart.values), 1)
    slot = plot_width / count
    bottom = MARGIN_TOP + plot_height
    body = []
    for step in range(5):
        value = top * step / 4
        y = bottom - plot_height * step / 4
        body.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
        )
        body.append(_text(MARGIN_LEFT - 6, y + 4, _number(value), anchor="end", size=11))
    for index, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        height = plot_height * float(value) / top
        x = MARGIN_LEFT + index * slot + slot * 0.15
        body.append(
            f'<rect x="{x:.1f}" y="{bottom - height:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{height:.1f}" fill="{BAR}"/>'
        )
        if index % chart.label_every == 0:
            body.append(_text(x + slot * 0.35, bottom + 16, label, size=11))
    if chart.target is not None:
        y = bottom - plot_height * float(chart.target) / top
        body.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        body.append(_text(WIDTH - MARGIN_RIGHT, y - 5, _target_label(chart), anchor="end", size=11))
    return _frame(chart, HEIGHT, body)


def _target_label(chart: Chart) -> str:
    """The dashed line's legend: the chart's own words, or "Target" and its value."""
    return chart.target_label or gettext("Target: %(value)s") % {"value": _number(chart.target)}


# Value labels keep a white outline, so a line drawn across them leaves them readable.
HALO = ' stroke="#ffffff" stroke-width="4" paint-order="stroke"'


def _horizontal(chart: Chart) -> SafeString:
    rows = max(len(chart.values), 1)
    bottom = MARGIN_TOP + rows * ROW_HEIGHT
    # Below the bars, a line for the target's legend when there is one.
    height = bottom + 8 + (18 if chart.target is not None else 0)
    plot_width = WIDTH - LABEL_WIDTH - MARGIN_RIGHT - 56
    top = _nice_top(max([*(value or 0 for value in chart.values), chart.target or 0, 0]))
    body = []
    if chart.target is not None:  # drawn first: the bars and their values go over it
        x = LABEL_WIDTH + plot_width * float(chart.target) / top
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{MARGIN_TOP}" y2="{bottom}" '
            f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        body.append(_text(x, bottom + 16, _target_label(chart), size=11))
    for index, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        y = MARGIN_TOP + index * ROW_HEIGHT
        body.append(_text(LABEL_WIDTH - 8, y + ROW_HEIGHT * 0.6, label, anchor="end"))
        if value is None:  # nothing to measure: no bar, and a dash, never a zero
            body.append(_text(LABEL_WIDTH + 6, y + ROW_HEIGHT * 0.6, "—", anchor="start"))
            continue
        length = plot_width * float(value) / top
        body.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 5:.1f}" width="{length:.1f}" '
            f'height="{ROW_HEIGHT - 10}" fill="{BAR}"/>'
        )
        body.append(
            _text(
                LABEL_WIDTH + length + 6,
                y + ROW_HEIGHT * 0.6,
                _number(value),
                anchor="start",
                extra=HALO,
            )
        )
    return _frame(chart, height, body)


def draw(chart: Chart) -> SafeString:
    """Return the chart as an inline SVG element."""
    return _horizontal(chart) if chart.horizontal else _vertical(chart)
