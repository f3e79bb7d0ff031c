from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from appraisal.forms import ModelMultipleChoiceField
from appraisal.models import Appraisal, Choice, ScoringRound, VoterGroup
from appraisal.scoring.models import FractionFormField, TallyCounts
from appraisal.scoring.rules import PRESETS, fraction_words
from appraisal.scoring.selectors import BallotDefinition
from appraisal.scoring.services import RULE_FIELDS

PRESET_CHOICES = [
    ("", _("— keep the values below —")),
    (
        "tiered_half",
        _(
            "半数以上 (half or more, half included): “satisfied” ≥ ½ of those present → "
            "satisfied; with “basically satisfied” ≥ ½ → basically satisfied"
        ),
    ),
    (
        "tiered_over_half",
        _(
            "过半数 (more than half, half excluded): “satisfied” > ½ of those present → "
            "satisfied; with “basically satisfied” > ½ → basically satisfied"
        ),
    ),
    (
        "rate_80_60",
        _("Rate of valid ballots: 80 % or more satisfied, 60 % or more basically satisfied"),
    ),
    (
        "points_100_75_55",
        _("Points 100 / 75 / 55: average 85 or more satisfied, 70 or more basically"),
    ),
]
SHARE_FIELDS = ("quorum", "group_quorum", "unsatisfied_flag")


def preset_values(name: str) -> dict[str, Any]:
    """A preset as the form's fields show it (2/3, 0.5, true …), for the page's script."""
    field = FractionFormField()
    return {
        key: field.prepare_value(value) if isinstance(value, Fraction | Decimal) else value
        for key, value in PRESETS[name].items()
    }


class UnitChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.unit.name)


class RoundForm(forms.ModelForm):
    preset = forms.ChoiceField(
        label=_("Start from a preset"),
        choices=PRESET_CHOICES,
        required=False,
        help_text=_("Choosing one fills in the fields below; check them, then save."),
    )
    appraisals = UnitChoiceField(
        label=_("Units on the ballot"),
        queryset=Appraisal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    voter_groups = ModelMultipleChoiceField(
        label=_("Voter groups"),
        queryset=VoterGroup.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ScoringRound
        fields = ["title", "kind", "appraisals", "allow_unknown", *RULE_FIELDS]
        help_texts = {
            "upper_threshold": _("A share: 2/3, 0.5 or 50 %. For the points rule, points (85)."),
            "lower_threshold": _("A share: 2/3, 0.6 or 60 %. For the points rule, points (70)."),
            "quorum": _("1/2 with “inclusive” off means more than half must be present."),
            "group_quorum": _("Leave empty if only the overall quorum applies."),
            "unsatisfied_flag": _("A share, e.g. 1/3. Leave empty for no flag."),
            "rank_by": _("Empty: the figure the rule decides by."),
            "invalid_excluded": _("Only with the denominator “ballots returned (收回票)”."),
            "mark_top": _("0 for none."),
            "mark_bottom": _("0 for none."),
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
        else:
            # A new round usually scores every unit, by every voter group.
            self.fields["appraisals"].initial = [a.pk for a in appraisals.queryset]
            self.fields["voter_groups"].initial = [g.pk for g in groups.queryset]
        measures = list(ScoringRound.Measure.choices)
        cast(forms.ChoiceField, self.fields["rank_by"]).choices = [
            ("", _("the figure the rule decides by")),
            *measures,
        ]
        cast(forms.ChoiceField, self.fields["rank_tiebreak"]).choices = [
            ("", _("no tie-break: equal values share a rank")),
            *measures,
        ]
        for name in ("mark_top", "mark_bottom"):
            cast(forms.IntegerField, self.fields[name]).max_value = 100
            self.fields[name].validators.append(MaxValueValidator(100))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shape = data.get("shape")
        shares = list(SHARE_FIELDS)
        if shape != "points":
            shares += ["upper_threshold", "lower_threshold"]
        for name in shares:
            value = data.get(name)
            if value is not None and not 0 <= value <= 1:
                self.add_error(name, _("A share between 0 and 1 (0.5 means 50 %)."))
        for name in ("upper_threshold", "lower_threshold"):
            value = data.get(name)
            if shape == "points" and value is not None and value < 0:
                self.add_error(name, _("Points cannot be negative."))
        upper, lower = data.get("upper_threshold"), data.get("lower_threshold")
        if upper is not None and lower is not None and shape != "tiered" and lower > upper:
            self.add_error("lower_threshold", _("Cannot be above the threshold for “satisfied”."))
        if data.get("rank_tiebreak") and data.get("rank_tiebreak") == data.get("rank_by"):
            self.add_error("rank_tiebreak", _("Choose a different figure than the first one."))
        groups = data.get("voter_groups")
        if data.get("weights_sum_to_one") and groups:
            # A round keeps the weights it copied when a group was put on it.
            kept = (
                {rg.voter_group_id: rg.weight for rg in self.instance.groups.all()}
                if self.instance.pk
                else {}
            )
            total = sum((Fraction(kept.get(g.pk, g.weight)) for g in groups), Fraction(0))
            if total != 1:
                self.add_error(
                    "voter_groups",
                    _("The chosen groups' weights sum to %(total)s, not 1.")
                    % {"total": fraction_words(total, percent=False)},
                )
        return data


def apply_preset(data: Any, form: RoundForm) -> dict[str, Any]:
    """The initial values of a form re-shown with a preset filled in (no script needed)."""
    initial: dict[str, Any] = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelMultipleChoiceField):
            initial[name] = data.getlist(name)
        elif isinstance(field, forms.BooleanField):
            initial[name] = name in data
        elif name in data:
            initial[name] = data.get(name)
    preset = data.get("preset")
    if preset in PRESETS:
        initial.update(preset_values(preset))
    return initial


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
                ("paper_returned", _("Paper ballots returned"), rg.paper_returned),
            ):
                key = f"g{rg.pk}_{name}"
                self.fields[key] = forms.IntegerField(
                    label=label,
                    min_value=0,
                    max_value=100000,
                    initial=initial,
                    required=name not in ("present", "paper_returned"),
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
                for name in ("entitled", "present", "paper_issued", "paper_returned")
            }
            for rg, _fields in self.rows
        }


class CodesForm(forms.Form):
    voter_group = forms.ModelChoiceField(label=_("Voter group"), queryset=VoterGroup.objects.none())
    count = forms.IntegerField(label=_("How many codes"), min_value=1, max_value=2000)

    def __init__(self, *args: Any, round: ScoringRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["voter_group"]
        ).queryset = VoterGroup.objects.filter(pk__in=round.groups.values("voter_group"))


class RecountForm(forms.Form):
    """Set a voter group's paper count aside: it is counted (or voted) again."""

    voter_group = forms.ModelChoiceField(label=_("Voter group"), queryset=VoterGroup.objects.none())
    reason = forms.CharField(
        label=_("Why"),
        max_length=200,
        help_text=_("e.g. more ballots returned than issued; the group votes again on paper."),
    )

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
        # A code may be typed as printed in groups, with spaces or hyphens between them.
        code = "".join(self.cleaned_data["code"].replace("-", " ").split()).upper()
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
