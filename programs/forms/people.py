"""Forms of the coordinator's people pages: filters, actions, invitations, CSV upload."""

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from programs import invitations_csv, selectors
from programs.models import Participant
from programs.models.program import Role

IMPORT_SALT = "programs.invitations_upload"
# A preview stays valid for an hour: long enough to read it, short enough to stay true.
IMPORT_MAX_AGE = 60 * 60


class CycleChoiceMixin:
    def _set_cycles(self, program, empty_label):
        self.fields["cycle"].queryset = program.cycles.order_by("-starts_on")
        self.fields["cycle"].empty_label = empty_label


class ParticipantFilterForm(CycleChoiceMixin, forms.Form):
    """The participant list's filters: a GET form, every field optional."""

    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("Any role")), *Role.choices]
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any state")), *Participant.State.choices],
    )
    cycle = forms.ModelChoiceField(label=_("Cycle"), required=False, queryset=None)
    search = forms.CharField(
        label=_("Name or email"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_cycles(program, _("Any cycle"))

    def filters(self) -> dict:
        """Return the valid filters (none when the form is unbound or wrong)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return self.cleaned_data


# --- actions on one participant ---------------------------------------------


class ConfirmActionForm(forms.Form):
    """An action that needs nothing but the button."""


class DeclineForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the applicant"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required: the applicant reads it in the email telling them."),
    )


class PauseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the pause (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required: the participant reads it in the email telling them."),
    )


ACTION_FORMS = {
    "approve": ConfirmActionForm,
    "decline": DeclineForm,
    "pause": PauseForm,
    "resume": ConfirmActionForm,
    "withdraw": WithdrawForm,
}


def action_form(action: str, data=None, **kwargs) -> forms.Form:
    """Return the form of `action`, prefixed so several fit on one page."""
    return ACTION_FORMS[action](data, prefix=action, **kwargs)


# --- invitations ------------------------------------------------------------


class InvitationForm(CycleChoiceMixin, forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=80, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    department = forms.CharField(label=_("Department or team"), max_length=120, required=False)
    manager_email = forms.EmailField(label=_("Manager's email"), max_length=254, required=False)
    cycle = forms.ModelChoiceField(label=_("Cycle"), required=False, queryset=None)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_cycles(program, _("No particular cycle"))


class InvitationUploadForm(CycleChoiceMixin, forms.Form):
    """Step one of an import: read the file and check every row against the program."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "First row: email, name, role, and optionally department and manager_email. "
            "Comma or semicolon separated, UTF-8, at most 2,000 people and 1 MB."
        ),
    )
    cycle = forms.ModelChoiceField(label=_("Cycle"), required=False, queryset=None)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self._set_cycles(program, _("No particular cycle"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refuse a big file before reading it: a 10,000-row file stops here or at row 2,001.
        if upload.size > invitations_csv.MAX_BYTES:
            raise forms.ValidationError(invitations_csv.too_big_message())
        try:
            rows = invitations_csv.parse_invitations(upload.read(invitations_csv.MAX_BYTES + 1))
        except invitations_csv.InvitationFileRefused as refused:
            raise forms.ValidationError(refused.message) from None
        enrolled, invited = selectors.invitee_conflicts(
            self.program, {row.email for row in rows if row.email}
        )
        invitations_csv.mark_conflicts(rows, enrolled=enrolled, invited=invited)
        return rows

    def signed_rows(self, user) -> str:
        """Return the clean rows signed for the confirmation step, tied to program and user."""
        cycle = self.cleaned_data.get("cycle")
        return signing.dumps(
            {
                "program": str(self.program.code),
                "by": user.pk,
                "cycle": cycle.pk if cycle else None,
                "rows": [row.as_invitation() for row in self.cleaned_data["file"]],
            },
            salt=IMPORT_SALT,
            compress=True,
        )


class InvitationImportForm(forms.Form):
    """Step two: the signed rows of a clean preview, sent back to be imported."""

    payload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, program, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.user = user

    def clean(self):
        refused = forms.ValidationError(
            _("This preview is no longer valid: upload the file again."), code="bad_payload"
        )
        try:
            payload = signing.loads(
                self.cleaned_data.get("payload", ""), salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE
            )
        except signing.BadSignature:  # altered, or expired (SignatureExpired is a subclass)
            raise refused from None
        if payload.get("program") != str(self.program.code) or payload.get("by") != self.user.pk:
            raise refused
        cycle = None
        if payload.get("cycle") is not None:
            cycle = self.program.cycles.filter(pk=payload["cycle"]).first()
            if cycle is None:
                raise refused
        return {"rows": payload["rows"], "cycle": cycle}

    @property
    def count(self) -> int:
        return len(self.cleaned_data["rows"])
