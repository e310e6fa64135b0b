"""People joining and leaving programs: enrolment, invitations, applications, pauses."""

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from programs import emails, milestones
from programs.models import Invitation, Participant, ParticipantEvent, Program, TrainingModule
from programs.models.enrolment import INVITATION_LIFETIME
from programs.models.program import Role, touch_pool
from programs.services.errors import ProgramError, require_coordinator
from programs.signals import participant_changed

State = Participant.State
ACTIVE_STATES = {State.ENROLLED, State.READY, State.MATCHED}


def _log(participant, *, by, action, from_state="", note=""):
    milestones.record(
        [
            ParticipantEvent(
                participant=participant,
                actor=by,
                action=action,
                from_state=from_state,
                to_state=participant.state,
                note=note,
            )
        ]
    )


def _check_cycle(program: Program, cycle) -> None:
    if cycle is not None and cycle.program_id != program.pk:
        raise ProgramError(_("That cycle belongs to another program."), field="cycle")


def _enrolment_cycle(program: Program, cycle=None):
    if cycle is not None:
        if cycle.program_id != program.pk:
            raise ProgramError(_("That cycle belongs to another program."))
        return cycle
    if not program.cycles.exists():
        return None
    cycle = program.enrolling_cycle()
    if cycle is None:
        raise ProgramError(_("Enrolment for this program is closed at the moment."))
    return cycle


def _open_cycle_or_none(program: Program):
    """The cycle enrolling now, if any: invitations stay valid after enrolment closes."""
    try:
        return _enrolment_cycle(program)
    except ProgramError:
        return None


def _check_capacity(program: Program, role: str, capacity):
    if role != Role.MENTOR:
        return None
    capacity = program.default_mentor_capacity if capacity in (None, "") else int(capacity)
    if not 1 <= capacity <= program.max_mentor_capacity:
        raise ProgramError(
            _("Choose between 1 and %(maximum)d mentees.")
            % {"maximum": program.max_mentor_capacity},
            field="capacity",
        )
    return capacity


def _new_participant(program, user, *, role, state, cycle, age_confirmed, capacity, **details):
    if role not in Role.values:
        raise ProgramError(_("Choose to join as a mentor or as a mentee."), field="role")
    if not age_confirmed:
        raise ProgramError(
            _("This program is for people aged %(age)d or over.") % {"age": program.minimum_age},
            field="age_confirmed",
        )
    existing = {
        p.role: p
        for p in Participant.objects.select_for_update().filter(program=program, user=user)
    }
    returning = existing.pop(role, None)
    if returning is not None and returning.state != State.WITHDRAWN:
        raise ProgramError(
            _("You have already joined this program as a %(role)s.") % {"role": Role(role).label}
        )
    active_elsewhere = [p for p in existing.values() if p.state != State.WITHDRAWN]
    if active_elsewhere and not program.allow_dual_role:
        raise ProgramError(_("In this program a person is either a mentor or a mentee, not both."))
    # Someone who left comes back on the same profile: their history and answers stay theirs.
    participant = returning or Participant(program=program, user=user, role=role)
    participant.state = state
    participant.state_before_pause = ""
    participant.withdrawn_reason = ""
    participant.cycle = cycle
    participant.capacity = _check_capacity(program, role, capacity)
    participant.age_confirmed_at = timezone.now()
    for field, value in details.items():
        setattr(participant, field, value)
    participant.full_clean(exclude=["user", "program", "cycle"])
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:  # the same form sent twice at once
        raise ProgramError(_("You have already joined this program.")) from None
    return participant


@transaction.atomic
def join_program(
    program: Program,
    user,
    *,
    role: str,
    age_confirmed: bool,
    cycle=None,
    capacity=None,
    department: str = "",
    manager_email: str = "",
    application_message: str = "",
) -> Participant:
    """Enrol `user` through the program's open link, or record their application."""
    if program.status not in (Program.Status.OPEN, Program.Status.RUNNING):
        raise ProgramError(_("This program is not open for enrolment."))
    if program.enrolment_mode == Program.EnrolmentMode.INVITATION:
        raise ProgramError(_("This program is by invitation only."))
    applying = program.enrolment_mode == Program.EnrolmentMode.APPLICATION
    participant = _new_participant(
        program,
        user,
        role=role,
        state=State.APPLIED if applying else State.ENROLLED,
        cycle=_enrolment_cycle(program, cycle),
        age_confirmed=age_confirmed,
        capacity=capacity,
        department=department.strip(),
        manager_email=manager_email.strip().lower(),
        application_message=application_message.strip(),
    )
    _log(participant, by=user, action="applied" if applying else "joined")
    return participant


def _user_owns_address(user, email: str) -> bool:
    email = email.lower()
    return (
        user.email.lower() == email
        or EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()
    )


@transaction.atomic
def accept_invitation(
    invitation: Invitation, user, *, age_confirmed: bool, capacity=None
) -> Participant:
    """Enrol `user` through their invitation; the link works once."""
    invitation = (
        Invitation.objects.select_for_update().select_related("program").get(pk=invitation.pk)
    )
    if invitation.status == Invitation.Status.ACCEPTED:
        raise ProgramError(_("This invitation has already been used."))
    if invitation.status == Invitation.Status.REVOKED:
        raise ProgramError(_("This invitation was withdrawn by the coordinator."))
    if not invitation.is_usable():
        raise ProgramError(_("This invitation has expired. Ask the coordinator to send it again."))
    if not _user_owns_address(user, invitation.email):
        raise ProgramError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    program = invitation.program
    if program.status not in (Program.Status.OPEN, Program.Status.RUNNING):
        raise ProgramError(_("This program is not open for enrolment."))
    participant = _new_participant(
        program,
        user,
        role=invitation.role,
        state=State.ENROLLED,
        cycle=invitation.cycle or _open_cycle_or_none(program),
        age_confirmed=age_confirmed,
        capacity=capacity,
        department=invitation.department,
        manager_email=invitation.manager_email,
    )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_by", "accepted_at"])
    _log(participant, by=user, action="accepted_invitation")
    return participant


def _validate_invitee(program: Program, email: str, role: str) -> str:
    email = email.strip().lower()
    if (
        Participant.objects.filter(program=program, user__email__iexact=email, role=role)
        .exclude(state=State.WITHDRAWN)
        .exists()
    ):
        raise ProgramError(
            _("%(email)s is already in this program as a %(role)s.")
            % {"email": email, "role": Role(role).label}
        )
    if Invitation.objects.filter(
        program=program, email__iexact=email, role=role, status="pending"
    ).exists():
        raise ProgramError(
            _("%(email)s already has an invitation waiting: resend it instead.") % {"email": email}
        )
    return email


def _send_invitation_after_commit(invitation: Invitation) -> None:
    invitation_id = invitation.pk
    transaction.on_commit(
        lambda: emails.send_invitation(
            Invitation.objects.select_related("program", "invited_by").get(pk=invitation_id)
        )
    )


@transaction.atomic
def invite_person(
    program: Program,
    *,
    by,
    email: str,
    role: str,
    name: str = "",
    department: str = "",
    manager_email: str = "",
    cycle=None,
) -> Invitation:
    """Invite one person by email; the email leaves after commit."""
    require_coordinator(program, by)
    _check_cycle(program, cycle)
    now = timezone.now()
    invitation = Invitation(
        program=program,
        cycle=cycle,
        email=_validate_invitee(program, email, role),
        role=role,
        name=name.strip(),
        department=department.strip(),
        manager_email=manager_email.strip().lower(),
        invited_by=by,
        expires_at=now + INVITATION_LIFETIME,
        sent_count=1,
        last_sent_at=now,
        last_sent_by=by,
    )
    invitation.full_clean(exclude=["program", "cycle", "invited_by", "last_sent_by"])
    invitation.save()
    _send_invitation_after_commit(invitation)
    return invitation


@transaction.atomic
def import_invitations(program: Program, rows: list[dict], *, by, cycle=None) -> list[Invitation]:
    """Invite every row (email, role, name, department, manager_email), all or none.

    Checks the whole file against the database in two queries and writes it in
    one, so a 2,000-row file does not cost thousands of round trips.
    """
    require_coordinator(program, by)
    _check_cycle(program, cycle)
    enrolled = set(
        Participant.objects.filter(program=program)
        .exclude(state=State.WITHDRAWN)
        .values_list(Lower("user__email"), "role")
    )
    pending = set(
        Invitation.objects.filter(program=program, status=Invitation.Status.PENDING).values_list(
            Lower("email"), "role"
        )
    )
    now = timezone.now()
    invitations = []
    for row in rows:
        email = row["email"].strip().lower()
        if (email, row["role"]) in enrolled:
            raise ProgramError(_("%(email)s is already in this program.") % {"email": email})
        if (email, row["role"]) in pending:
            raise ProgramError(_("%(email)s already has an invitation waiting.") % {"email": email})
        pending.add((email, row["role"]))
        invitation = Invitation(
            program=program,
            cycle=cycle,
            email=email,
            role=row["role"],
            name=row.get("name", "").strip(),
            department=row.get("department", "").strip(),
            manager_email=row.get("manager_email", "").strip().lower(),
            invited_by=by,
            expires_at=now + INVITATION_LIFETIME,
            sent_count=1,
            last_sent_at=now,
            last_sent_by=by,
        )
        invitation.full_clean(
            exclude=["program", "cycle", "invited_by", "last_sent_by"],
            validate_unique=False,
            validate_constraints=False,
        )
        invitations.append(invitation)
    created = Invitation.objects.bulk_create(invitations)
    ids = [invitation.pk for invitation in created]

    def send_all():
        for invitation in Invitation.objects.filter(pk__in=ids).select_related(
            "program", "invited_by"
        ):
            emails.send_invitation(invitation)

    transaction.on_commit(send_all)
    return created


@transaction.atomic
def resend_invitation(invitation: Invitation, *, by) -> Invitation:
    """Send a pending invitation again, with a fresh expiry date."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    require_coordinator(invitation.program, by)
    if invitation.status != Invitation.Status.PENDING:
        raise ProgramError(
            _("This invitation is %(state)s: it cannot be sent again.")
            % {"state": invitation.get_status_display()}
        )
    now = timezone.now()
    invitation.expires_at = now + INVITATION_LIFETIME
    invitation.sent_count += 1
    invitation.last_sent_at = now
    invitation.last_sent_by = by
    invitation.save(update_fields=["expires_at", "sent_count", "last_sent_at", "last_sent_by"])
    _send_invitation_after_commit(invitation)
    return invitation


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, by) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    require_coordinator(invitation.program, by)
    if invitation.status != Invitation.Status.PENDING:
        raise ProgramError(
            _("This invitation is %(state)s: it cannot be withdrawn.")
            % {"state": invitation.get_status_display()}
        )
    invitation.status = Invitation.Status.REVOKED
    invitation.revoked_by = by
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["status", "revoked_by", "revoked_at"])
    return invitation


def _locked(participant: Participant) -> Participant:
    return (
        Participant.objects.select_for_update()
        .select_related("program", "user")
        .get(pk=participant.pk)
    )


def _refuse_state(participant: Participant, doing: str):
    raise ProgramError(
        _("%(name)s is %(state)s: you cannot %(doing)s now.")
        % {
            "name": participant.user.display_name,
            "state": participant.get_state_display().lower(),
            "doing": doing,
        }
    )


def _changed(participant: Participant, *, by, change: str) -> None:
    participant.program.touch_pool()
    participant_changed.send(Participant, participant=participant, by=by, change=change)


def _notify(participant: Participant, *, action: str, note: str = ""):
    participant_id = participant.pk
    transaction.on_commit(
        lambda: emails.send_participant_update(
            Participant.objects.select_related("user", "program").get(pk=participant_id),
            action=action,
            note=note,
        )
    )


@transaction.atomic
def approve_application(participant: Participant, *, by) -> Participant:
    participant = _locked(participant)
    require_coordinator(participant.program, by)
    if participant.state != State.APPLIED:
        _refuse_state(participant, _("approve an application"))
    participant.state = State.ENROLLED
    participant.save(update_fields=["state", "updated_at"])
    _log(participant, by=by, action="approved", from_state=State.APPLIED)
    # Applicants may do the questionnaire and training while they wait.
    refresh_readiness(participant)
    _notify(participant, action="approved")
    return participant


@transaction.atomic
def decline_application(participant: Participant, *, by, message: str) -> Participant:
    participant = _locked(participant)
    require_coordinator(participant.program, by)
    if participant.state != State.APPLIED:
        _refuse_state(participant, _("decline an application"))
    if not message.strip():
        raise ProgramError(_("Write a message: the applicant will read it."), field="message")
    participant.state = State.WITHDRAWN
    participant.withdrawn_reason = message.strip()
    participant.save(update_fields=["state", "withdrawn_reason", "updated_at"])
    _log(participant, by=by, action="declined", from_state=State.APPLIED, note=message)
    _notify(participant, action="declined", note=message)
    return participant


@transaction.atomic
def pause_participant(participant: Participant, *, by, reason: str = "") -> Participant:
    """Pause a participant (themselves or by a coordinator); they get no new matches meanwhile."""
    participant = _locked(participant)
    if by != participant.user:
        require_coordinator(participant.program, by)
    if participant.state not in ACTIVE_STATES:
        _refuse_state(participant, _("pause"))
    before = participant.state
    participant.state_before_pause = before
    participant.state = State.PAUSED
    participant.save(update_fields=["state", "state_before_pause", "updated_at"])
    _log(participant, by=by, action="paused", from_state=before, note=reason)
    _changed(participant, by=by, change="paused")
    if by != participant.user:
        _notify(participant, action="paused", note=reason)
    return participant


@transaction.atomic
def resume_participant(participant: Participant, *, by) -> Participant:
    participant = _locked(participant)
    if by != participant.user:
        require_coordinator(participant.program, by)
    if participant.state != State.PAUSED:
        _refuse_state(participant, _("resume"))
    participant.state = participant.state_before_pause or State.ENROLLED
    participant.state_before_pause = ""
    participant.save(update_fields=["state", "state_before_pause", "updated_at"])
    _log(participant, by=by, action="resumed", from_state=State.PAUSED)
    participant.program.touch_pool()
    refresh_readiness(participant)
    if by != participant.user:
        _notify(participant, action="resumed")
    return participant


@transaction.atomic
def withdraw_participant(participant: Participant, *, by, reason: str) -> Participant:
    """End a participation for good; what they did stays counted."""
    participant = _locked(participant)
    if by != participant.user:
        require_coordinator(participant.program, by)
    if participant.state == State.WITHDRAWN:
        _refuse_state(participant, _("withdraw"))
    if by != participant.user and not reason.strip():
        raise ProgramError(_("Give a reason: the participant will read it."), field="reason")
    before = participant.state
    participant.state = State.WITHDRAWN
    participant.withdrawn_reason = reason.strip()
    participant.save(update_fields=["state", "withdrawn_reason", "updated_at"])
    _log(participant, by=by, action="withdrew", from_state=before, note=reason)
    _changed(participant, by=by, change="withdrawn")
    if by != participant.user:
        _notify(participant, action="withdrawn", note=reason)
    return participant


@transaction.atomic
def set_capacity(participant: Participant, capacity, *, by) -> Participant:
    participant = _locked(participant)
    if by != participant.user:
        require_coordinator(participant.program, by)
    if participant.role != Role.MENTOR:
        raise ProgramError(_("Only mentors have a number of mentees."))
    capacity = _check_capacity(participant.program, participant.role, capacity)
    if capacity < participant.active_matches:
        raise ProgramError(
            _("%(name)s has %(count)d mentees now: choose at least that many.")
            % {"name": participant.user.display_name, "count": participant.active_matches},
            field="capacity",
        )
    participant.capacity = capacity
    participant.save(update_fields=["capacity", "updated_at"])
    _log(participant, by=by, action="capacity", note=str(participant.capacity))
    _changed(participant, by=by, change="capacity")
    return participant


def required_modules(participant: Participant):
    return TrainingModule.objects.filter(program_id=participant.program_id, required=True).for_role(
        participant.role
    )


def refresh_readiness(participant: Participant) -> Participant:
    """Make an enrolled participant ready once questionnaire and required training are
    done, and stamp when they first finished the required training."""
    participant.refresh_from_db(fields=["state", "questionnaire_submitted_at", "trained_at"])
    if participant.state == State.WITHDRAWN:
        return participant
    required = required_modules(participant)
    missing_training = required.exclude(completions__participant=participant).exists()
    if participant.trained_at is None and not missing_training and required.exists():
        participant.trained_at = timezone.now()
        milestones.stamp_trained([participant.pk], participant.trained_at)
    if participant.state not in (State.ENROLLED, State.READY):
        return participant
    ready = participant.questionnaire_submitted_at is not None and not missing_training
    wanted = State.READY if ready else State.ENROLLED
    if participant.state != wanted:
        before = participant.state
        updated = Participant.objects.filter(pk=participant.pk, state=before).update(
            state=wanted, updated_at=timezone.now()
        )
        if updated:
            participant.state = wanted
            touch_pool(participant.program_id)
            _log(
                participant,
                by=participant.user,
                action="ready" if ready else "not_ready",
                from_state=before,
            )
    return participant


def refresh_program_readiness(program: Program, *, by=None) -> int:
    """Re-check who is ready after the required training changed; return how many moved.

    Works in bulk (a few queries per role, whatever the number of people) and logs
    each move, so coordinators can see why someone went back to "enrolled".
    """
    moved = 0
    now = timezone.now()
    for role in Role.values:
        required = list(
            TrainingModule.objects.filter(program=program, required=True)
            .for_role(role)
            .values_list("pk", flat=True)
        )
        everyone = (
            Participant.objects.filter(program=program, role=role)
            .exclude(state=State.WITHDRAWN)
            .annotate(
                done=Count(
                    "training_completions", filter=Q(training_completions__module__in=required)
                )
            )
        )
        if required:
            milestones.stamp_trained(
                everyone.filter(done=len(required)).values_list("pk", flat=True), now
            )
        people = everyone.filter(state__in=[State.ENROLLED, State.READY])
        should_be_ready = Q(questionnaire_submitted_at__isnull=False, done=len(required))
        for from_state, to_state, rows in [
            (State.ENROLLED, State.READY, people.filter(should_be_ready, state=State.ENROLLED)),
            (
                State.READY,
                State.ENROLLED,
                people.exclude(should_be_ready).filter(state=State.READY),
            ),
        ]:
            ids = list(rows.values_list("pk", flat=True))
            if not ids:
                continue
            Participant.objects.filter(pk__in=ids, state=from_state).update(
                state=to_state, updated_at=now
            )
            milestones.record(
                [
                    ParticipantEvent(
                        participant_id=pk,
                        actor=by,
                        action="ready" if to_state == State.READY else "not_ready",
                        from_state=from_state,
                        to_state=to_state,
                        note=gettext_noop("The required training changed."),
                        created_at=now,
                    )
                    for pk in ids
                ]
            )
            moved += len(ids)
    if moved:
        program.touch_pool()
    return moved
