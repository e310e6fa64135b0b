"""Replacements for allauth's own forms (kept apart: allauth imports forms.py while loading)."""

from allauth.account.forms import ResetPasswordForm
from django import forms


class QuietResetPasswordForm(ResetPasswordForm):
    """Password reset that never says whether an address has an account.

    Sign-up tells people an address is taken (they need to know to log in instead);
    the reset page is where probing would be cheap, so it always answers the same.
    """

    def clean_email(self) -> str:
        try:
            return super().clean_email()
        except forms.ValidationError:
            self.users = []
            return self.cleaned_data["email"]
