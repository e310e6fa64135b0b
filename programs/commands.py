"""What the management commands of every app share to find a program from the command line."""

import uuid

from django.core.management.base import CommandError

from programs.models import Program


def find_program(value: str) -> Program:
    """Return the program whose code is `value`, or whose exact name it is; a clear
    CommandError when none or several match."""
    try:
        code = uuid.UUID(value)
    except ValueError:
        programs = list(Program.objects.filter(name=value)[:2])
        if len(programs) > 1:
            raise CommandError(
                f"Several programs are named {value!r}: give the program's code instead."
            ) from None
    else:
        programs = list(Program.objects.filter(code=code))
    if not programs:
        raise CommandError(f"No program has the code or the exact name {value!r}.")
    return programs[0]
