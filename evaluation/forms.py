"""Forms of the surveys: the survey a person answers, and a question the coordinators edit.

The survey's fields only read what was typed: the service checks every answer
(required, range, choice) and its messages are put next to the fields.
"""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.models import (
    SCALE_RANGE,
    SCORE_RANGE,
    YES_PARTLY_NO,
    AnswerType,
    SurveyQuestion,
)
from evaluation.services import SurveyError, field_name

HINTS = {
    AnswerType.SCALE: _("From 1 (lowest) to 5 (highest)."),
    AnswerType.SCORE: _("From 0 (not at all likely) to 10 (extremely likely)."),
}


class TypedAnswer:
    """A field whose value the service checks: it keeps what was typed, as text."""

    def validate(self, value):
        return None

    def run_validators(self, value):
        return None


class ChoiceAnswerField(TypedAnswer, forms.ChoiceField):
    pass


class TextAnswerField(TypedAnswer, forms.CharField):
    pass


def _answer_field(question: SurveyQuestion) -> forms.Field:
    common = {"label": question.shown_text, "required": question.required}
    kind = question.answer_type
    if kind in (AnswerType.SCALE, AnswerType.SCORE):
        low, high = SCALE_RANGE if kind == AnswerType.SCALE else SCORE_RANGE
        return ChoiceAnswerField(
            choices=[(str(n), str(n)) for n in range(low, high + 1)],
            widget=forms.RadioSelect,
            help_text=HINTS[kind],
            **common,
        )
    if kind == AnswerType.YES_PARTLY_NO:
        return ChoiceAnswerField(
            choices=list(YES_PARTLY_NO.items()), widget=forms.RadioSelect, **common
        )
    if kind == AnswerType.CHOICE:
        return ChoiceAnswerField(
            choices=question.shown_choices,
            widget=forms.RadioSelect,
            **common,
        )
    return TextAnswerField(widget=forms.Textarea(attrs={"rows": 4}), strip=True, **common)


class SurveyForm(forms.Form):
    """One field per question, named by the question (see services.field_name)."""

    def __init__(self, *args, questions: list[SurveyQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[field_name(question)] = _answer_field(question)

    def values(self) -> dict:
        return dict(self.cleaned_data)

    def show_error(self, error: SurveyError) -> None:
        """Put the service's messages next to the fields they are about."""
        for field, message in error.errors.items():
            self.add_error(field if field in self.fields else None, message)


class SurveyQuestionForm(forms.Form):
    """A question of a survey; a built-in question keeps its type of answer."""

    text = forms.CharField(label=_("Question"), max_length=300)
    answer_type = forms.ChoiceField(label=_("Type of answer"), choices=AnswerType.choices)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a choice list: one choice per line, at least two."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def __init__(self, *args, question: SurveyQuestion | None = None, **kwargs):
        if question is not None:
            kwargs.setdefault(
                "initial",
                {
                    "text": question.shown_text,
                    "answer_type": question.answer_type,
                    "choices": "\n".join(label for _value, label in question.shown_choices),
                    "required": question.required,
                },
            )
        else:
            kwargs.setdefault("initial", {"required": True})
        super().__init__(*args, **kwargs)
        if question is not None and question.is_builtin:
            self.fields["answer_type"].disabled = True
            self.fields["answer_type"].help_text = _(
                "This question feeds the program's figures: its type of answer cannot change."
            )

    def question_fields(self) -> dict:
        fields = dict(self.cleaned_data)
        fields["choices"] = fields.get("choices", "").splitlines()
        return fields

    def show_error(self, error: SurveyError) -> None:
        for field, message in error.errors.items():
            self.add_error(field if field in self.fields else None, message)


class VerifyCertificateForm(forms.Form):
    """The public check of a certificate: its code, as printed on it."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("As printed on the certificate, for example ABCD-EFGH-JKMN."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class DateRangeForm(forms.Form):
    """A range of days (both included) read from the address, so a view can be shared.
    A wrong value is reported next to its field and the figures are shown without it."""

    EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)
    SCOPE = ("since", "until")

    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To (included)"), required=False, widget=DateInput())

    def _clean_day(self, name):
        day = self.cleaned_data.get(name)
        if day is not None and not self.EARLIEST <= day <= self.LATEST:
            raise forms.ValidationError(
                _("Choose a date between %(earliest)s and %(latest)s.")
                % {"earliest": self.EARLIEST.isoformat(), "latest": self.LATEST.isoformat()}
            )
        return day

    def clean_since(self):
        return self._clean_day("since")

    def clean_until(self):
        return self._clean_day("until")

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            # Neither day alone is what was meant: the figures leave out the whole range.
            self.add_error("until", _("The end of the range comes before its start."))
            cleaned.pop("since", None)
        return cleaned

    def scope(self) -> dict:
        """Return the filters that are valid, as the figure functions take them."""
        if not self.is_bound:
            return dict.fromkeys(self.SCOPE)
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.SCOPE}


class FiguresFilterForm(DateRangeForm):
    """A program's figure filters: one of its cycles, and a range of days."""

    SCOPE = ("cycle", "since", "until")

    cycle = forms.ModelChoiceField(
        label=_("Cycle"),
        queryset=None,
        required=False,
        to_field_name="code",
        empty_label=_("All cycles"),
    )
    field_order = ["cycle", "since", "until"]

    def __init__(self, data=None, *, program):
        super().__init__(data)
        self.fields["cycle"].queryset = program.cycles.order_by("-starts_on", "-pk")
        # The program is known: its name in every option would only repeat it.
        self.fields["cycle"].label_from_instance = lambda cycle: cycle.name
