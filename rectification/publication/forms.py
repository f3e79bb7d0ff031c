from django import forms

from rectification.publication.models import ProgressPublication


class PublicationForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ProgressPublication.TRANSITIONS], widget=forms.HiddenInput
    )
