from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from appraisal.models import Appraisal, Choice, ScoringRound, VoterGroup
from appraisal.scoring.models import TallyCounts
from appraisal.scoring.rules import PRESETS
from appraisal.scoring.selectors import BallotDefinition
from appraisal.scoring.services import RULE_FIELDS

PRESET_CHOICES = [
    ("", _("— keep the values below —")),
    ("tiered_half", _("Tiered: ≥ ½ satisfied → satisfied; ≥ ½ with basically → basically")),
    ("rate_80_60", _("Rate: ≥ 80 % satisfied, ≥ 60 % basically satisfied")),
    ("points_100_75_55", _("Points 100 / 75 / 55: average ≥ 85 satisfied, ≥ 70 basically")),
]


class UnitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.unit.name)


class RoundForm(forms.ModelForm):
    preset = forms.ChoiceField(
        label=_("Start from a preset"), choices=PRESET_CHOICES, required=False
    )
    appraisals = UnitChoiceField(
        label=_("Units on the ballot"),
        queryset=Appraisal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    voter_groups = forms.ModelMultipleChoiceField(
        label=_("Voter groups"),
        queryset=VoterGroup.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ScoringRound
        fields = ["title", "kind", "appraisals", "allow_unknown", *RULE_FIELDS]
        help_texts = {
            "upper_threshold": _("A share (0.5 = 50 %) or, for the points rule, points."),
            "lower_threshold": _("A share (0.6 = 60 %) or, for the points rule, points."),
            "quorum": _("0.5 with “inclusive” off means more than half must be present."),
        }

    def __init__(self, *args: Any, campaign: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        appraisals = cast(forms.ModelMultipleChoiceField, self.fields["appraisals"])
        appraisals.queryset = Appraisal.objects.filter(campaign=campaign).select_related("unit")
        groups = cast(forms.ModelMultipleChoiceField, self.fields["voter_groups"])
        groups.queryset = VoterGroup.objects.filter(campaign=campaign)
        if self.instance.pk:
            self.fields["voter_groups"].initial = [
                g.voter_group_id for g in self.instance.groups.all()
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        preset = data.get("preset")
        if preset:
            data.update(PRESETS[preset])
        shape = data.get("shape")
        for name in ("upper_threshold", "lower_threshold"):
            value = data.get(name)
            if value is None:
                continue
            if shape != "points" and not Decimal(0) <= value <= Decimal(1):
                self.add_error(name, _("A share between 0 and 1 (0.5 means 50 %)."))
            if shape == "points" and value < 0:
                self.add_error(name, _("Points cannot be negative."))
        upper, lower = data.get("upper_threshold"), data.get("lower_threshold")
        if upper is not None and lower is not None and shape != "tiered" and lower > upper:
            self.add_error("lower_threshold", _("Cannot be above the threshold for “satisfied”."))
        quorum = data.get("quorum")
        if quorum is not None and not Decimal(0) <= quorum <= Decimal(1):
            self.add_error("quorum", _("A share between 0 and 1."))
        return data


class AttendanceForm(forms.Form):
    """One row per round group: entitled, present, paper ballots issued."""

    def __init__(self, *args: Any, groups: list[Any], editable: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for rg in groups:
            fields = {}
            for name, label, initial in (
                ("entitled", _("Entitled (应到)"), rg.entitled),
                ("present", _("Present (实到)"), rg.present),
                ("paper_issued", _("Paper ballots issued"), rg.paper_issued),
            ):
                key = f"g{rg.pk}_{name}"
                self.fields[key] = forms.IntegerField(
                    label=label,
                    min_value=0,
                    max_value=100000,
                    initial=initial,
                    required=name != "present",
                    disabled=not editable,
                )
                fields[name] = self[key]
            self.rows.append((rg, fields))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for rg, _fields in self.rows:
            entitled = data.get(f"g{rg.pk}_entitled")
            present = data.get(f"g{rg.pk}_present")
            if entitled is not None and present is not None and present > entitled:
                self.add_error(f"g{rg.pk}_present", _("More present than entitled."))
        return data

    def values(self) -> dict[int, dict[str, int | None]]:
        return {
            rg.pk: {
                name: self.cleaned_data[f"g{rg.pk}_{name}"]
                for name in ("entitled", "present", "paper_issued")
            }
            for rg, _fields in self.rows
        }


class CodesForm(forms.Form):
    voter_group = forms.ModelChoiceField(label=_("Voter group"), queryset=VoterGroup.objects.none())
    count = forms.IntegerField(label=_("How many codes"), min_value=1, max_value=2000, initial=60)

    def __init__(self, *args: Any, round: ScoringRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["voter_group"]
        ).queryset = VoterGroup.objects.filter(pk__in=round.groups.values("voter_group"))


class BallotForm(forms.Form):
    """One required choice per unit on the ballot."""

    def __init__(self, *args: Any, definition: BallotDefinition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.labels = {value: Choice(value).label for value in definition.choices}
        for appraisal_id, unit_name in definition.units:
            self.fields[f"a{appraisal_id}"] = forms.ChoiceField(
                label=unit_name,
                choices=list(self.labels.items()),
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one option for this unit.")},
            )

    def choices(self) -> dict[int, str]:
        return {aid: self.cleaned_data[f"a{aid}"] for aid, _name in self.definition.units}

    def review(self) -> list[tuple[str, str, str]]:
        return [
            (name, self.cleaned_data[f"a{aid}"], str(self.labels[self.cleaned_data[f"a{aid}"]]))
            for aid, name in self.definition.units
        ]


class CodeEntryForm(forms.Form):
    code = forms.CharField(label=_("Voting code"), max_length=20, min_length=4)

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).upper()
        if not (code.isascii() and code.isalnum()):
            raise forms.ValidationError(_("A voting code has only letters and digits."))
        return code


class TallyForm(forms.Form):
    """A teller's counts for one voter group: one row per unit, one column per count."""

    def __init__(
        self,
        *args: Any,
        round: ScoringRound,
        appraisals: list[Appraisal],
        initial_rows: dict[int, dict[str, int]],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.columns = [
            f for f in TallyCounts.COUNT_FIELDS if f != "unknown" or round.allow_unknown
        ]
        self.column_labels = [TallyCounts.count_label(name) for name in self.columns]
        self.rows = []
        for a in appraisals:
            cells = []
            for name in self.columns:
                key = f"a{a.pk}_{name}"
                self.fields[key] = forms.IntegerField(
                    min_value=0,
                    max_value=100000,
                    initial=initial_rows.get(a.pk, {}).get(name, 0),
                    label=f"{a.unit.name} · {TallyCounts.count_label(name)}",
                )
                cells.append(self[key])
            self.rows.append((a, cells))

    def values(self) -> dict[int, dict[str, int]]:
        return {
            a.pk: {name: self.cleaned_data[f"a{a.pk}_{name}"] for name in self.columns}
            for a, _cells in self.rows
        }
