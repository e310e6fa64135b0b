"""Forms of the pair's thread and of the mentoring agreement."""

from django import forms
from django.utils.translation import gettext_lazy as _

from journals.errors import JournalError
from journals.models import Agreement, Message


class MessageForm(forms.Form):
    # No max_length here: the service says how long the message is, and the text stays.
    body = forms.CharField(
        label=_("Your message"),
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": Message.BODY_MAX}),
        help_text=_("Plain text, up to 5,000 characters. Only the two of you read it."),
        error_messages={"required": _("Write a message before sending it.")},
    )


def _goal_field(number: int) -> forms.CharField:
    return forms.CharField(
        label=_("Goal %(number)d") % {"number": number},
        max_length=Agreement.GOAL_LENGTH,
        required=False,
        strip=True,
    )


class AgreementForm(forms.Form):
    goal_1 = _goal_field(1)
    goal_2 = _goal_field(2)
    goal_3 = _goal_field(3)
    frequency = forms.ChoiceField(
        label=_("How often you meet"), choices=Agreement.Frequency.choices
    )
    mode = forms.ChoiceField(label=_("How you meet"), choices=Agreement.Mode.choices)
    channel = forms.ChoiceField(
        label=_("How you keep in touch between meetings"), choices=Agreement.Channel.choices
    )
    notes = forms.CharField(
        label=_("Anything else you agree on (optional)"),
        max_length=Agreement._meta.get_field("notes").max_length,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    GOAL_FIELDS = ("goal_1", "goal_2", "goal_3")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal_1"].help_text = _(
            "One to three goals, up to %(limit)d characters each."
        ) % {"limit": Agreement.GOAL_LENGTH}

    @classmethod
    def initial_from(cls, agreement: Agreement | None) -> dict:
        """Return the form's starting values: the revision in force, if any."""
        if agreement is None:
            return {}
        goals = list(agreement.goals or [])[: Agreement.GOALS_MAX]
        initial = dict(zip(cls.GOAL_FIELDS, goals, strict=False))
        initial.update(
            frequency=agreement.frequency,
            mode=agreement.mode,
            channel=agreement.channel,
            notes=agreement.notes,
        )
        return initial

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in self.GOAL_FIELDS) and not any(
            name in self.errors for name in self.GOAL_FIELDS
        ):
            self.add_error("goal_1", _("Write at least one goal."))
        return cleaned

    @property
    def goals(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.GOAL_FIELDS if self.cleaned_data[name]]

    def show_error(self, error: JournalError) -> None:
        """Put a service's refusal next to the field it names, or above the form."""
        field = "goal_1" if error.field == "goals" else error.field
        self.add_error(field if field in self.fields else None, error.message)
