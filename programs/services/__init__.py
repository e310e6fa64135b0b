"""Every change of state of the programs app: one function each, shared by views, admin,
tasks and commands. Failures raise ProgramError with a message a person can read."""

from programs.services.enrolment import (
    accept_invitation,
    approve_application,
    decline_application,
    import_invitations,
    invite_person,
    join_program,
    pause_participant,
    refresh_readiness,
    resend_invitation,
    resume_participant,
    revoke_invitation,
    set_capacity,
    withdraw_participant,
)
from programs.services.errors import ProgramError
from programs.services.programs import (
    create_cycle,
    create_program,
    duplicate_program,
    update_cycle,
    update_program,
)
from programs.services.questionnaire import save_answers
from programs.services.training import complete_training

__all__ = [
    "ProgramError",
    "accept_invitation",
    "approve_application",
    "complete_training",
    "create_cycle",
    "create_program",
    "decline_application",
    "duplicate_program",
    "import_invitations",
    "invite_person",
    "join_program",
    "pause_participant",
    "refresh_readiness",
    "resend_invitation",
    "resume_participant",
    "revoke_invitation",
    "save_answers",
    "set_capacity",
    "update_cycle",
    "update_program",
    "withdraw_participant",
]
