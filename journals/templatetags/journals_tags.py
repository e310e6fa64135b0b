"""Template helpers of the workspace for other apps' pages: the pairs at risk, shown on
the coordinators' dashboard (programs cannot import journals, so the page loads this)."""

from dataclasses import dataclass

from django import template
from django.utils import timezone

from journals.selectors import days_quiet, quiet_pairs
from matching.models import Match
from programs.models import Program

register = template.Library()

# The dashboard lists the quietest pairs first, up to this many.
AT_RISK_SHOWN = 50


@dataclass
class AtRiskPair:
    match: Match
    days_quiet: int


def at_risk_pairs_for(user, now=None, limit=AT_RISK_SHOWN) -> list[AtRiskPair]:
    """Return the quiet pairs of the programs `user` coordinates, quietest first, computed
    live from each pair's last activity and its program's setting (one query)."""
    now = now or timezone.now()
    matches = Match.objects.filter(program__in=Program.objects.coordinated_by(user).values("pk"))
    quiet = quiet_pairs(matches, now).with_people().order_by("last_activity_at", "pk")[:limit]
    return [AtRiskPair(match, days_quiet(match, now)) for match in quiet]


@register.inclusion_tag("programs/coordinator/setup/_at_risk_pairs.html")
def at_risk_pairs(user):
    """Show the pairs at risk in the programs `user` coordinates."""
    pairs = at_risk_pairs_for(user, limit=AT_RISK_SHOWN + 1)
    return {"pairs": pairs[:AT_RISK_SHOWN], "more": len(pairs) > AT_RISK_SHOWN}
