from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from appraisal.models import Campaign
from appraisal.uploads import check_expansion, check_import_parts

# The largest id a signed 64-bit column holds; SQLite cannot even bind a larger number.
MAX_ID = 2**63 - 1


def parse_id(value: str | None) -> int | None:
    """An id typed into a form or a link: ASCII digits within the database's range, or None
    (``"²".isdigit()`` is true, and ``int("٣")`` is 3: neither is an id)."""
    value = (value or "").strip()
    if value.isascii() and value.isdecimal() and int(value) <= MAX_ID:
        return int(value)
    return None


def clean_code(value: str) -> str:
    """A one-time or receipt code as printed, spaces and dashes dropped, in capitals."""
    code = "".join(value.split()).replace("-", "").upper()
    if not (code.isascii() and code.isalnum() and 4 <= len(code) <= 20):
        raise forms.ValidationError(_("A code has 4 to 20 letters and digits, as printed."))
    return code


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing ids out of the database's range as invalid choices (it
    passes them to an ``IN (…)`` query, which SQLite fails on with an OverflowError)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value or ():
            if isinstance(pk, str) and pk.strip().isdecimal() and int(pk) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk[:20]},
                )
        return super()._check_values(value)  # type: ignore[misc]


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
        check_expansion(upload, name=upload.name)
        check_import_parts(upload, name=upload.name)
        return upload
