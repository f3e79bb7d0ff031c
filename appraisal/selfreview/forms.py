from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from appraisal.selfreview.models import SECTION_MAX, SECTIONS, SelfReview
from appraisal.uploads import check_upload

SECTION_HINTS = {
    "basics": _("Duties, staff, the year's main tasks."),
    "achievements": _("What was done well, with facts and figures."),
    "problems": _("Truthfully, without shielding or concealing anything."),
    "causes": _("Why the problems arose."),
    "measures": _("What will be done, by whom, by when."),
    "fixed": _("What was already put right while reviewing (边查边改)."),
}


class SelfReviewForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in SECTIONS:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                max_length=SECTION_MAX,
                help_text=SECTION_HINTS[key],
                widget=forms.Textarea(attrs={"rows": 6}),
                strip=True,
            )


class SubmitForm(forms.Form):
    note = forms.CharField(
        label=_("What changed since the last version"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (SelfReview.Status.ACCEPTED, _("Accept")),
            (SelfReview.Status.RETURNED, _("Return for revision")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in [*SECTIONS, ("general", _("General comment"))]:
            self.fields[f"comment_{key}"] = forms.CharField(
                label=label,
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def comments(self) -> dict[str, str]:
        return {
            name.removeprefix("comment_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("comment_") and value
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == SelfReview.Status.RETURNED and not self.comments():
            raise ValidationError(_("Say what should change: write at least one comment."))
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload
