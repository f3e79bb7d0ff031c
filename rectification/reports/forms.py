from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rectification.reports.models import SECTION_MAX, TITLE_MAX, RectificationReport


class ReportForm(forms.Form):
    """The title and one text per section of the draft (the sections come from the
    generator; their headings follow the opinion's items)."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)

    def __init__(self, *args: Any, report: RectificationReport, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"title": report.title, **{f"s_{s['key']}": s["text"] for s in report.sections}},
        )
        super().__init__(*args, **kwargs)
        for s in report.sections:
            self.fields[f"s_{s['key']}"] = forms.CharField(
                label=s["heading"] or _("Opening"),
                required=False,
                max_length=SECTION_MAX,
                widget=forms.Textarea(
                    attrs={"rows": min(24, max(5, len(s["text"].splitlines()) + 2))}
                ),
            )

    def texts(self) -> dict[str, str]:
        return {
            name.removeprefix("s_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("s_")
        }


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
            (RectificationReport.Status.ACCEPTED, _("Accept")),
            (RectificationReport.Status.RETURNED, _("Return for revision")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("decision") == RectificationReport.Status.RETURNED
            and not (data.get("comment") or "").strip()
        ):
            raise ValidationError(_("Say what should change: write a comment."))
        return data
