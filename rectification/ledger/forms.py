from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.uploads import check_import_parts, check_upload
from rectification.ledger.models import RectificationItem
from rectification.opinions.models import AppraisalOpinion, OpinionItem
from surveys.findings.forms import MultipleFileField

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class OpinionItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: OpinionItem) -> str:  # type: ignore[override]
        return f"{obj.number}. {obj.problem[:50]}"


class ItemForm(forms.Form):
    opinion_item = OpinionItemChoice(label=_("Opinion item"), queryset=OpinionItem.objects.none())
    problem = forms.CharField(
        label=_("Problem"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    category = forms.ChoiceField(label=_("Category"), choices=RectificationItem.Category.choices)
    measures = forms.CharField(
        label=_("Measures"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    standard = forms.CharField(
        label=_("Completion standard"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=4000,
        required=False,
        help_text=_("Only for items that cannot be solved under current law or policy."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    responsible_leader = forms.CharField(label=_("Responsible leader"), max_length=60)
    responsible_department = forms.CharField(label=_("Responsible department"), max_length=60)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)

    def __init__(self, *args: Any, appraisal: Any, fixed_opinion_item: bool = False, **kw: Any):
        super().__init__(*args, **kw)
        field = self.fields["opinion_item"]
        field.queryset = OpinionItem.objects.filter(  # type: ignore[attr-defined]
            opinion__appraisal=appraisal
        ).exclude(opinion__status=AppraisalOpinion.Status.DRAFT)
        if fixed_opinion_item:
            del self.fields["opinion_item"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        category = data.get("category")
        if category == RectificationItem.Category.EXPLANATION:
            if not data.get("explanation", "").strip():
                self.add_error("explanation", _("An item to be explained needs its explanation."))
        elif category:
            if not data.get("measures", "").strip():
                self.add_error("measures", _("Write the measures."))
            if data.get("deadline") is None:
                self.add_error("deadline", _("Set a deadline."))
        return data


class ProgressForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE)
    percent = forms.IntegerField(label=_("Percent done"), min_value=0, max_value=100)
    text = forms.CharField(
        label=_("What was done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_files = MultipleFileField(
        label=_("Evidence"),
        required=False,
        help_text=_("Photos, PDF, Word or Excel files."),
    )

    def clean_day(self) -> Any:
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Progress is reported for today or an earlier date."))
        return day


class MoveForm(forms.Form):
    action = forms.CharField(max_length=30)
    reason = forms.CharField(max_length=2000, required=False)


class LedgerUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Ledger workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("Upload an Excel workbook (.xlsx); save older .xls files as .xlsx first.")
            )
        # The uploads' own rules: size, content that matches the name, no zip bomb.
        check_upload(upload)
        check_import_parts(upload, name=upload.name)
        return upload
