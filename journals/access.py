"""Who may open a pair's workspace: its two participants and the program's coordinators.

Everyone else gets 404, staff viewers included: the workspace is private, and the
figures staff follow come from the KPI pages.
"""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from journals.errors import JournalError
from matching.models import Match, Side


@dataclass
class Workspace:
    """A match as seen by one person: their side, and what they may do."""

    match: Match
    side: str  # "mentor", "mentee" or "coordinator"

    @property
    def is_participant(self) -> bool:
        return self.side in (Side.MENTOR, Side.MENTEE)

    @property
    def participant(self):
        """The viewer's own Participant, or None for a coordinator."""
        if self.side == Side.MENTOR:
            return self.match.mentor
        if self.side == Side.MENTEE:
            return self.match.mentee
        return None

    @property
    def partner(self):
        """The other participant, or None for a coordinator."""
        if self.side == Side.MENTOR:
            return self.match.mentee
        if self.side == Side.MENTEE:
            return self.match.mentor
        return None

    @property
    def read_only(self) -> bool:
        return self.match.status != Match.Status.ACTIVE


def side_of(match: Match, user) -> str | None:
    if user.pk == match.mentor.user_id:
        return Side.MENTOR
    if user.pk == match.mentee.user_id:
        return Side.MENTEE
    if match.program.is_coordinated_by(user):
        return Side.COORDINATOR
    return None


def get_workspace(user, code) -> Workspace:
    """Return the match `code` as `user` may see it; 404 for anyone else."""
    match = get_object_or_404(Match.objects.with_people(), code=code)
    side = side_of(match, user)
    if side is None:
        raise Http404
    return Workspace(match=match, side=side)


def require_active(match: Match) -> None:
    """Refuse any change to a match that has ended."""
    if match.status != Match.Status.ACTIVE:
        raise JournalError(_("This match has ended."))


def require_participant(match: Match, user) -> str:
    """Return `user`'s side of the match; refuse anyone who is not one of the pair."""
    side = side_of(match, user)
    if side not in (Side.MENTOR, Side.MENTEE):
        raise JournalError(_("Only the two people of the match can do this."))
    return side
