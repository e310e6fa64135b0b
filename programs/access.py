"""Who may see what: every program object is fetched through one of these, and a
person without the right gets 404, so nothing about other programs leaks."""

from django.shortcuts import get_object_or_404

from programs.models import Participant, Program


def get_program_to_manage(user, code) -> Program:
    """Return a program `user` coordinates (any, for a superuser)."""
    return get_object_or_404(Program.objects.coordinated_by(user), code=code)


def get_program_to_read(user, code) -> Program:
    """Return a program `user` may read: coordinated by them, or any for staff viewers."""
    return get_object_or_404(Program.objects.visible_to_staff(user), code=code)


def can_manage(user, program: Program) -> bool:
    return program.is_coordinated_by(user)


def get_own_participation(user, code) -> Participant:
    """Return one of `user`'s own participations."""
    return get_object_or_404(
        Participant.objects.filter(user=user).select_related("program", "cycle"), code=code
    )
