from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.forms import ModelMultipleChoiceField
from appraisal.models import Appraisal
from surveys.models import Finding


class OpinionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    preamble = forms.CharField(
        label=_("Opening paragraph"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reply_deadline = forms.DateField(
        label=_("Reply deadline"),
        required=False,
        help_text=_(
            "The unit reports on its rectification by this date; three to six months is usual."
        ),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    @staticmethod
    def default_deadline() -> Any:
        return timezone.localdate() + timedelta(days=91)


class FindingChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Finding) -> str:  # type: ignore[override]
        mark = "【突出】" if obj.prominent else ""
        return f"{mark}{obj.get_topic_display()}：{obj.text[:60]}"


class OpinionItemForm(forms.Form):
    problem = forms.CharField(
        label=_("Problem"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    requirement = forms.CharField(
        label=_("Requirement"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    findings = FindingChoiceField(
        label=_("Findings it rests on"),
        queryset=Finding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    report_passage = forms.CharField(
        label=_("Passage of the investigation report it rests on"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, appraisal: Appraisal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["findings"].queryset = Finding.objects.filter(  # type: ignore[attr-defined]
            appraisal=appraisal, status=Finding.Status.VERIFIED
        ).order_by("topic", "id")


class IssueForm(forms.Form):
    issue_date = forms.DateField(
        label=_("Date of issue"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
