from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import Finding
from surveys.reports.models import ReportFinding, ReportSignoff


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=60000,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Heading lines 一、二、… and numbered paragraphs print as the document's levels."
        ),
    )

    def __init__(
        self,
        *args: Any,
        findings: list[Finding],
        choices: dict[int, ReportFinding],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.findings = findings
        for f in findings:
            choice = choices.get(f.pk)
            self.fields[f"include_{f.pk}"] = forms.BooleanField(
                label=f.text[:80],
                required=False,
                initial=choice.included if choice else True,
            )
            self.fields[f"reason_{f.pk}"] = forms.CharField(
                label=_("Why it is left out"),
                required=False,
                max_length=2000,
                initial=choice.omission_reason if choice else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for f in self.findings:
            left_out = f.prominent and not data.get(f"include_{f.pk}")
            if left_out and not (data.get(f"reason_{f.pk}") or "").strip():
                # No concealment: the office reads why a prominent problem is left out.
                self.add_error(
                    f"reason_{f.pk}",
                    _("A prominent problem is left out only with a written reason."),
                )
        return data

    def rows(self) -> list[tuple[Finding, Any, Any]]:
        return [(f, self[f"include_{f.pk}"], self[f"reason_{f.pk}"]) for f in self.findings]

    def included(self) -> set[int]:
        return {f.pk for f in self.findings if self.cleaned_data.get(f"include_{f.pk}")}

    def reasons(self) -> dict[int, str]:
        return {f.pk: self.cleaned_data.get(f"reason_{f.pk}", "") for f in self.findings}


class SignForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"), choices=ReportSignoff.Decision.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note (required for a dissent)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MoveForm(forms.Form):
    to = forms.ChoiceField(
        choices=[(s, s) for s in ("signing", "draft", "submitted", "returned", "accepted")]
    )
    comment = forms.CharField(required=False, max_length=4000)
    missing_reason = forms.CharField(required=False, max_length=2000)
