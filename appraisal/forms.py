from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from appraisal.models import Campaign


class PhaseAdvanceForm(forms.Form):
    from_phase = forms.ChoiceField(choices=Campaign.Phase.choices, widget=forms.HiddenInput)


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": settings.MAX_UPLOAD_MB}
            )
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("Upload an Excel workbook (.xlsx); save older .xls files as .xlsx first.")
            )
        return upload
