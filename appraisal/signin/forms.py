from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from appraisal.forms import ModelMultipleChoiceField
from appraisal.models import User


class LetterPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """Choose a password: Django's checks (validators, the two entries agree)."""


class PeopleChoice(ModelMultipleChoiceField):  # refuses ids beyond 64 bits
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name()}（{obj.username}）"


class LetterPeopleForm(forms.Form):
    people = PeopleChoice(
        label=_("People"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person.")},
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people  # type: ignore[attr-defined]
