"""Why two people are suggested to each other, in words, from the viewer's side.

Sensitive answers are never described: their criteria are folded into one line that
says the program weighed other answers, without saying which or how they compare.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf.locale import LANG_INFO
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.text import format_lazy
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext as _

SHOWN_LABELS = 4


@dataclass
class Reason:
    text: str
    points: float
    max_points: float

    @property
    def met(self) -> bool:
        return self.points > 0

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.max_points) if self.max_points else 0


def _listing(labels) -> str:
    labels = list(labels)
    shown = ", ".join(labels[:SHOWN_LABELS])
    if len(labels) > SHOWN_LABELS:
        shown = _("%(shown)s and %(count)d more") % {
            "shown": shown,
            "count": len(labels) - SHOWN_LABELS,
        }
    return shown


def language_name(code: str) -> str:
    if code in LANG_INFO:
        return str(get_language_info(code)["name_translated"])
    return code


def _part_of_day(hour: int) -> str:
    if 6 <= hour < 12:
        return _("mornings")
    if 12 <= hour < 18:
        return _("afternoons")
    if 18 <= hour < 24:
        return _("evenings")
    return _("nights")


def describe_hours(utc_hours, zone_name: str) -> str:
    """Return "Tuesday evenings and Thursday mornings" for UTC hours-of-week, in `zone_name`."""
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        zone = UTC
    today = timezone.now().date()
    monday = datetime(*(today - timedelta(days=today.weekday())).timetuple()[:3], tzinfo=UTC)
    periods = {}
    for hour in utc_hours:
        local = (monday + timedelta(hours=int(hour))).astimezone(zone)
        key = (local.weekday(), _part_of_day(local.hour))
        periods[key] = periods.get(key, 0) + 1
    # The three longest stretches, told in the order of the week.
    longest = sorted(periods, key=lambda key: (-periods[key], key))[:3]
    return _listing(str(format_lazy("{} {}", WEEKDAYS[day], part)) for day, part in sorted(longest))


def describe(contributions, *, viewer, as_mentor: bool, pairs: dict) -> list[Reason]:
    """Return one Reason per criterion that `viewer` may read, best first."""
    reasons, hidden_points, hidden_max = [], 0.0, 0.0
    for contribution in contributions:
        if contribution.sensitive:
            hidden_points += contribution.points
            hidden_max += contribution.max_points
            continue
        text = _text(
            contribution, viewer=viewer, as_mentor=as_mentor, pair=pairs.get(contribution.key)
        )
        if text:
            reasons.append(Reason(text, contribution.points, contribution.max_points))
    if hidden_max:
        reasons.append(
            Reason(
                _("Other answers the program takes into account (kept private)"),
                hidden_points,
                hidden_max,
            )
        )
    reasons.sort(key=lambda reason: (-reason.points, -reason.max_points))
    return reasons


def _text(contribution, *, viewer, as_mentor, pair) -> str:
    kind, key = contribution.kind, contribution.key
    shared = list(contribution.shared)
    if key == "languages":
        if not shared:
            return _("No language in common")
        names = [language_name(code) for code in shared]
        return _("You both speak %(languages)s") % {"languages": _listing(names)}
    if key == "topics":
        if not shared:
            return _("No topic in common")
        return ngettext(
            "%(count)d topic in common: %(topics)s",
            "%(count)d topics in common: %(topics)s",
            len(shared),
        ) % {"count": len(shared), "topics": _listing(shared)}
    if kind == "availability":
        hours = len(contribution.hours)
        if not hours:
            return _("No free hour in common in a usual week")
        return ngettext(
            "You overlap %(hours)d hour a week: %(when)s, your time",
            "You overlap %(hours)d hours a week: %(when)s, your time",
            hours,
        ) % {"hours": hours, "when": describe_hours(contribution.hours, viewer.time_zone)}
    question = ""
    if pair is not None:
        question = (pair.mentor_question if as_mentor else pair.mentee_question).label
    if kind == "overlap":
        if not shared:
            return _("Nothing in common for “%(question)s”") % {"question": question}
        return _("In common for “%(question)s”: %(answers)s") % {
            "question": question,
            "answers": _listing(shared),
        }
    if kind in {"same", "scale"}:
        if contribution.same:
            return _("Similar answers to “%(question)s”") % {"question": question}
        return _("Different answers to “%(question)s”") % {"question": question}
    return ""
