from programs.services.errors import ProgramError


class JournalError(ProgramError):
    """A refused change in a pair's workspace, with a message a person can read."""
