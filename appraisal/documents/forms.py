from __future__ import annotations

from django import forms

from appraisal.documents.models import IssuingSettings
from appraisal.documents.services import EDITABLE


class IssuingSettingsForm(forms.ModelForm):
    class Meta:
        model = IssuingSettings
        fields = list(EDITABLE)
