"""Forms of the participant's side: joining, invitations, capacity, training, leaving."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import Program, TrainingModule
from programs.models.program import Role
from programs.services import ProgramError


def show_error(form: forms.Form, error: ProgramError) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _age_field(program: Program) -> forms.BooleanField:
    # Not required here: the service refuses with the message that explains why.
    return forms.BooleanField(
        label=_("I confirm I am at least %(age)d years old.") % {"age": program.minimum_age},
        required=False,
    )


def _capacity_field(program: Program, *, only_for_mentors: bool) -> forms.IntegerField:
    explanation = _(
        "How many mentees you can meet at the same time. Each one needs about an hour a week "
        "for %(weeks)d weeks, around %(hours)d hours in all. You are never matched with more "
        "people than this, and you can change it later. Choose between 1 and %(maximum)d."
    ) % {
        "weeks": program.cycle_weeks,
        "hours": program.hours_target,
        "maximum": program.max_mentor_capacity,
    }
    if only_for_mentors:
        explanation = _("Only if you join as a mentor.") + " " + explanation
    return forms.IntegerField(
        label=_("Mentees I can take"),
        min_value=1,
        max_value=program.max_mentor_capacity,
        initial=program.default_mentor_capacity,
        required=False,
        help_text=explanation,
    )


class JoinForm(forms.Form):
    role = forms.ChoiceField(label=_("I want to join as"), widget=forms.RadioSelect)
    department = forms.CharField(label=_("Department or team"), max_length=120, required=False)
    manager_email = forms.EmailField(
        label=_("Your manager's email"),
        required=False,
        help_text=_("Optional. Some organizations let managers know about the program."),
    )

    def __init__(self, *args, program: Program, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role, Role(role).label) for role in roles]
        if len(roles) == 1:
            self.fields["role"].initial = roles[0]
        self.fields["age_confirmed"] = _age_field(program)
        if Role.MENTOR in roles:
            self.fields["capacity"] = _capacity_field(program, only_for_mentors=len(roles) > 1)
        if program.enrolment_mode == Program.EnrolmentMode.APPLICATION:
            self.fields["application_message"] = forms.CharField(
                label=_("Why do you want to join?"),
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("A coordinator reads this before approving your application."),
            )
        self.order_fields(
            ["role", "capacity", "application_message", "department", "manager_email"]
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") != Role.MENTOR:
            cleaned.pop("capacity", None)
            self.errors.pop("capacity", None)  # a mentee's capacity is ignored, typo or not
        return cleaned


class InvitationForm(forms.Form):
    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["age_confirmed"] = _age_field(invitation.program)
        if invitation.role == Role.MENTOR:
            self.fields["capacity"] = _capacity_field(invitation.program, only_for_mentors=False)


class CapacityForm(forms.Form):
    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacity"] = _capacity_field(program, only_for_mentors=False)
        self.fields["capacity"].required = True


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you leaving?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Only the program's coordinators read it; it helps them improve."),
    )


class TrainingForm(forms.Form):
    """The module's acknowledgement box, or its quiz question."""

    def __init__(self, *args, module: TrainingModule, **kwargs):
        super().__init__(*args, **kwargs)
        if module.is_quiz:
            self.fields["answer"] = forms.TypedChoiceField(
                label=module.check_question,
                choices=[
                    (number, str(choice))
                    for number, choice in enumerate(module.check_choices, start=1)
                ],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )
        else:
            self.fields["answer"] = forms.BooleanField(label=module.check_question, required=False)
