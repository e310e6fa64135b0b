from django.utils.translation import gettext as _


class ProgramError(Exception):
    """A refused change, with a message that can be shown to the person who asked."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def require_coordinator(program, by) -> None:
    """Refuse the change unless `by` coordinates `program` (or is an administrator)."""
    if not program.is_coordinated_by(by):
        raise ProgramError(_("Only this program's coordinators can do this."))
