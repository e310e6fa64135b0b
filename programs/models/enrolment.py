import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models.program import Cycle, Program, Role

INVITATION_LIFETIME = timedelta(days=30)


class ParticipantQuerySet(models.QuerySet):
    def in_program(self, program):
        return self.filter(program=program)

    def for_home(self, user):
        """Return `user`'s enrolments with what the home checklist needs, in one query."""
        return (
            self.filter(user=user)
            .exclude(state=Participant.State.WITHDRAWN)
            .select_related("program", "cycle")
            .order_by("program__name", "role")
        )

    def for_coordinator_list(self):
        return self.select_related("user", "cycle").order_by(Lower("user__display_name"), "pk")

    def funnel(self):
        """Return {(role, state): count} in one aggregate query."""
        rows = self.values("role", "state").annotate(total=Count("pk")).order_by()
        return {(row["role"], row["state"]): row["total"] for row in rows}


class Participant(models.Model):
    """One person's place in one program, in one role (a person in both roles has two)."""

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        APPLIED = "applied", _("Applied")
        ENROLLED = "enrolled", _("Enrolled")
        READY = "ready", _("Ready to match")
        MATCHED = "matched", _("Matched")
        COMPLETED = "completed", _("Completed")
        PAUSED = "paused", _("Paused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # The states a coordinator's funnel counts, in the order people move through them.
    FUNNEL = [State.INVITED, State.APPLIED, State.ENROLLED, State.READY, State.MATCHED]

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="participations"
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="participants")
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="participants", null=True, blank=True
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.ENROLLED
    )
    state_before_pause = models.CharField(max_length=16, choices=State.choices, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("mentees I can take"),
        null=True,
        blank=True,
        help_text=_("Only for mentors: how many mentees you can honestly give time to at once."),
    )
    # Matches in progress; the database keeps it within capacity (one for a mentee).
    active_matches = models.PositiveSmallIntegerField(default=0, editable=False)
    department = models.CharField(_("department or team"), max_length=120, blank=True)
    manager_email = models.EmailField(_("manager's email"), blank=True)
    application_message = models.TextField(_("why you want to join"), max_length=2000, blank=True)
    age_confirmed_at = models.DateTimeField(null=True, blank=True)
    questionnaire_submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(max_length=2000, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Milestones: when the person first reached each step, stamped with the event that
    # reached it (programs.milestones), so the figures count people without reading
    # the audit trail.
    applied_at = models.DateTimeField(null=True, blank=True, editable=False)
    enrolled_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When they had first finished every training module then required for their role.
    trained_at = models.DateTimeField(null=True, blank=True, editable=False)
    ready_at = models.DateTimeField(null=True, blank=True, editable=False)
    matched_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user", "role"], name="programs_one_profile_per_role"
            ),
            models.CheckConstraint(
                condition=Q(role="mentor") | Q(capacity__isnull=True),
                name="programs_only_mentors_have_capacity",
            ),
            models.CheckConstraint(
                condition=Q(active_matches__lte=Coalesce(F("capacity"), Value(1))),
                name="programs_active_matches_within_capacity",
            ),
        ]
        indexes = [
            # The coordinator's participant list filters by program, then role and state.
            models.Index(fields=["program", "role", "state"], name="programs_participant_filter"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.program})"

    @property
    def is_mentor(self) -> bool:
        return self.role == Role.MENTOR

    @property
    def places(self) -> int:
        """How many matches this participant can have at once."""
        return (self.capacity or 0) if self.is_mentor else 1

    @property
    def free_places(self) -> int:
        return max(self.places - self.active_matches, 0)


class ParticipantEvent(models.Model):
    """What happened to a participant, by whom and why: the coordinator's audit trail."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    note = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} ({self.created_at:%Y-%m-%d})"


class Invitation(models.Model):
    """A single-use link that lets one email address join a program in a role."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    cycle = models.ForeignKey(
        Cycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=80, blank=True)
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    department = models.CharField(_("department or team"), max_length=120, blank=True)
    manager_email = models.EmailField(_("manager's email"), blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_count = models.PositiveSmallIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "program",
                "role",
                condition=Q(status="pending"),
                name="programs_one_pending_invitation_per_person_and_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.program} ({self.role})"

    def is_usable(self, now=None) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > (now or timezone.now())
