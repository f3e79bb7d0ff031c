from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from appraisal.forms import ModelMultipleChoiceField, clean_code
from appraisal.models import Appraisal
from appraisal.uploads import check_upload
from surveys.findings.models import Attachment, Finding, InvestigationActivity


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, each checked by ``appraisal.uploads.check_upload``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        errors = []
        for upload in cleaned:
            try:
                check_upload(upload)
            except forms.ValidationError as e:
                errors.extend(e.messages)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class ActivityForm(forms.ModelForm):
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, JPG, PNG, Word or Excel files: minutes, photos, documents reviewed."),
    )

    class Meta:
        model = InvestigationActivity
        fields = ["kind", "held_on", "place", "participants", "summary"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }


class ActivityCorrectForm(ActivityForm):
    """The activity form with the files already attached, each of which may be removed."""

    remove = ModelMultipleChoiceField(
        label=_("Remove these files"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only files attached by mistake: their names stay in the audit log."),
    )

    class Meta(ActivityForm.Meta):
        pass

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["remove"]
        field.queryset = Attachment.objects.filter(activity=self.instance)  # type: ignore[attr-defined]
        field.label_from_instance = lambda a: a.original_name  # type: ignore[attr-defined]
        if not field.queryset.exists():  # type: ignore[attr-defined]
            del self.fields["remove"]


class FindingRecordForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["activity", "topic", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, appraisal: Appraisal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        field.queryset = InvestigationActivity.objects.filter(  # type: ignore[attr-defined]
            appraisal=appraisal
        )
        field.required = False


class FindingReviewForm(forms.Form):
    """Offers only the moves the finding can still make: after a verdict, none."""

    status = forms.ChoiceField(label=_("Status"), choices=Finding.Status.choices)
    note = forms.CharField(
        label=_("Verification note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=Finding.Topic.choices)
    prominent = forms.BooleanField(label=_("Prominent problem (突出问题)"), required=False)

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        legal = {current} | Finding.TRANSITIONS.get(current, set())
        if len(legal) == 1:
            # A verdict is final: nothing to choose, the status stays as it is.
            del self.fields["status"]
        else:
            self.fields["status"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in Finding.Status.choices if value in legal
            ]
        self.current = current

    @property
    def chosen_status(self) -> str:
        return str(self.cleaned_data.get("status", self.current))


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.unit.name)


class OpinionForm(forms.Form):
    """An opinion from a deputy (signed in) or the public (with optional contact)."""

    appraisal = UnitChoice(label=_("Which unit is it about?"), queryset=Appraisal.objects.none())
    text = forms.CharField(
        label=_("Your opinion or the problem you met"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Be concrete: what, where, when. 10 to 2000 characters."),
        error_messages={
            "min_length": _("Please write at least 10 characters, so the work group can act."),
            "max_length": _("Please keep it within 2000 characters."),
        },
    )

    def __init__(self, *args: Any, appraisals: Any, public: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["appraisal"].queryset = appraisals  # type: ignore[attr-defined]
        if public:
            self.fields["contact"] = forms.CharField(
                label=_("Contact (optional)"),
                max_length=100,
                required=False,
                help_text=_("Only the work group sees it, to ask you for details."),
            )
        else:
            self.fields["topic"] = forms.ChoiceField(
                label=_("Topic"), choices=Finding.Topic.choices, initial=Finding.Topic.OTHER
            )


class ReceiptForm(forms.Form):
    code = forms.CharField(label=_("Receipt code"), min_length=6, max_length=40)

    def clean_code(self) -> str:
        return clean_code(self.cleaned_data["code"])


class FindingFilterForm(forms.Form):
    """The findings list's filters; a unit gets no source filter (who raised a finding
    is the work group's to know), and a source it sends anyway is ignored."""

    status = forms.ChoiceField(choices=[("", ""), *Finding.Status.choices], required=False)
    topic = forms.ChoiceField(choices=[("", ""), *Finding.Topic.choices], required=False)
    source = forms.ChoiceField(choices=[("", ""), *Finding.Source.choices], required=False)
    prominent = forms.BooleanField(required=False)

    def __init__(self, *args: Any, investigator: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not investigator:
            del self.fields["source"]

    def filters(self) -> dict[str, Any]:
        """The valid filters; a value that is not one of the choices filters nothing."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}
