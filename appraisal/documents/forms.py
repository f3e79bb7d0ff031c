from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from appraisal.documents.models import IssuingSettings
from appraisal.documents.services import EDITABLE

CHECKED = {"", "on", "true", "True", "1", "false", "False", "0"}


class IssuingSettingsForm(forms.ModelForm):
    class Meta:
        model = IssuingSettings
        fields = list(EDITABLE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # no ASCII colon after a Chinese label
        super().__init__(*args, **kwargs)

    def clean_public(self) -> bool:
        # A checkbox sends "on" or nothing; anything else is not a browser's answer.
        if self.data.get("public", "") not in CHECKED:
            raise forms.ValidationError(_("Tick the box or leave it empty."))
        return bool(self.cleaned_data["public"])
