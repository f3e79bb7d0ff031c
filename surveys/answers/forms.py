from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.answers.models import FindingAnswer


class FindingAnswerForm(forms.Form):
    response = forms.ChoiceField(label=_("Response"), choices=FindingAnswer.Response.choices)
    text = forms.CharField(
        label=_("What the unit did or explains"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
