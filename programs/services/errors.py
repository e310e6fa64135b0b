class ProgramError(Exception):
    """A refused change, with a message that can be shown to the person who asked."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
