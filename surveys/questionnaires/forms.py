from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.questionnaires.models import Question, Survey


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "intro", "audience", "access", "opens_on", "closes_on"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3}),
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The survey cannot close before it opens."))
        return data


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["kind", "text", "required", "options", "max_choices"]
        widgets = {"options": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "options": _("For single and multiple choice only."),
            "max_choices": _("Multiple choice only; leave empty for no limit."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, most = data.get("kind"), data.get("max_choices")
        options = [line for line in (data.get("options") or "").splitlines() if line.strip()]
        if kind == Question.Kind.MULTIPLE and most is not None:
            if most < 1 or most > len(options):
                self.add_error(
                    "max_choices",
                    _("“At most” must be between 1 and the number of options (%(n)d).")
                    % {"n": len(options)},
                )
        elif most is not None:
            data["max_choices"] = None  # meaningless for other kinds: not stored
        return data


class LinkLimitForm(forms.Form):
    link_limit_per_hour = forms.IntegerField(
        label=_("Answers per hour from one network address"),
        min_value=1,
        max_value=100_000,
        help_text=_(
            "People in one meeting hall or behind one carrier share an address: "
            "allow as many as may answer there within an hour."
        ),
    )


class CodeCountForm(forms.Form):
    count = forms.IntegerField(label=_("How many codes"), min_value=1, max_value=2000, initial=100)


class AnswerForm(forms.Form):
    """The questionnaire as a form: validation messages sit next to each question."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            name = f"q{q.pk}"
            label = q.text
            choices = [(o, o) for o in q.option_list()]
            required_msg = {"required": _("Please answer this question.")}
            if q.kind == Question.Kind.TEXT:
                self.fields[name] = forms.CharField(
                    label=label, required=q.required, max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}), error_messages=required_msg,
                )  # fmt: skip
            elif q.kind == Question.Kind.MULTIPLE:
                self.fields[name] = forms.MultipleChoiceField(
                    label=label, required=q.required, choices=choices,
                    widget=forms.CheckboxSelectMultiple, error_messages=required_msg,
                )  # fmt: skip
                # Read by the template: the browser disables further boxes at the maximum.
                self.fields[name].max_choices = q.max_choices  # type: ignore[attr-defined]
            else:
                self.fields[name] = forms.ChoiceField(
                    label=label, required=q.required, choices=choices, widget=forms.RadioSelect,
                    error_messages=required_msg,
                )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for q in self.questions:
            chosen = data.get(f"q{q.pk}")
            if (
                q.kind == Question.Kind.MULTIPLE
                and q.max_choices
                and chosen
                and len(chosen) > q.max_choices
            ):
                self.add_error(
                    f"q{q.pk}", _("Choose at most %(n)d options.") % {"n": q.max_choices}
                )
        return data

    def answers(self) -> dict[int, list[str] | str]:
        out: dict[int, list[str] | str] = {}
        for q in self.questions:
            value = self.cleaned_data.get(f"q{q.pk}")
            if q.kind == Question.Kind.TEXT:
                out[q.pk] = (value or "").strip()
            elif q.kind == Question.Kind.MULTIPLE:
                out[q.pk] = list(value or [])
            else:
                out[q.pk] = [value] if value else []
        return out
