from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from appraisal.announcements.models import Announcement, valid_link
from appraisal.uploads import check_upload


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ["kind", "title", "body", "link", "link_label"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}
        labels = {"title": pgettext_lazy("a notice's", "Title")}
        help_texts = {
            "link": _(
                "Where the QR code on the poster leads: a path on this site such as /opinion/ "
                "(the opinion form) or a questionnaire's link, or an https:// address. Empty: "
                "the notice's own page on the portal."
            ),
            "link_label": _("The button's words on the portal, e.g. 填写问卷."),
        }

    def clean_link(self) -> str:
        link: str = (self.cleaned_data.get("link") or "").strip()
        if not valid_link(link):
            raise forms.ValidationError(
                _(
                    "Give a path on this site (starting with /) or an address starting with https://."
                )
            )
        return link


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attachment"),
        help_text=_("PDF, JPG, PNG, Word or Excel; shown on the portal once published."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class MoveForm(forms.Form):
    """The confirmation of a move; the fields a move needs are required by the view."""

    publish_at = forms.DateTimeField(
        label=_("Publish at (Beijing time)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the notice's history and the audit log, not on the portal."),
    )

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        if action != "schedule":
            del self.fields["publish_at"]
        else:
            self.fields["publish_at"].required = True
        if action != "withdraw":
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True
