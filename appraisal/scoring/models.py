"""Scoring rounds and the secret ballot (DESIGN.md §3, §4).

Secrecy is structural: ``Ballot`` and ``BallotEntry`` have random ids and no
column that leads to a person, a code, an address or a time. Who voted is
``RollEntry`` (accounts) or ``VotingCode.used`` (codes), written in the same
transaction as a ``BallotEnvelope``: the choices sealed with a key the database
does not hold. The close opens every envelope and writes the ballots, all in
its own transaction and in random order (README, "Security: ballot secrecy").
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from appraisal.models.core import Appraisal, Campaign, User, VoterGroup
from appraisal.scoring import rules
from appraisal.scoring.rules import percent, points_display


class FractionFormField(forms.CharField):
    """A share or a number typed as a committee writes it: 2/3, 0.5, 50%, 85."""

    default_error_messages = {
        "invalid": _("Enter a fraction (2/3), a decimal (0.5), a percentage (50%) or a number."),
    }

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Fraction | Decimal | int):
            exact = Fraction(value)
            if (exact * 10**6).denominator == 1:
                shown = f"{Decimal(exact.numerator) / Decimal(exact.denominator):f}"
                return shown.rstrip("0").rstrip(".") if "." in shown else shown
            return f"{exact.numerator}/{exact.denominator}"
        return value

    def to_python(self, value: Any) -> Fraction | None:  # type: ignore[override]
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        try:
            return rules.parse_fraction(text)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class FractionField(models.TextField):
    """An exact fraction, stored as text ("2/3"): no rounding before the one for display."""

    # For django-stubs: what the attribute takes and gives.
    _pyi_private_set_type: Fraction | Decimal | int | str | None  # type: ignore[assignment]
    _pyi_private_get_type: Fraction  # type: ignore[assignment]

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Fraction | None:
        return None if value in (None, "") else Fraction(value)

    def to_python(self, value: Any) -> Fraction | None:
        if value is None or isinstance(value, Fraction):
            return value
        if value == "":
            return None
        try:
            return rules.as_fraction(value)
        except (TypeError, ValueError):
            raise ValidationError(_("Not a fraction."), code="invalid") from None

    def get_prep_value(self, value: Any) -> str | None:
        value = self.to_python(value)
        return None if value is None else str(value)

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return super().formfield(
            **{"form_class": FractionFormField, "widget": forms.TextInput, **kwargs}
        )


class Choice(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")
    UNKNOWN = "unknown", _("Don't know")


class ScoringRound(models.Model):
    """One scoring (测评): every appraisal on its ballot, scored by the voters of its groups."""

    class Kind(models.IntegerChoices):
        FIRST = 1, _("First round (appraisal meeting)")
        SECOND = 2, _("Second round (handling of the opinions)")

    class State(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Voting open")
        CLOSED = "closed", _("Counted, not yet published")
        PUBLISHED = "published", _("Published")

    # The only moves a round makes (``services.round_move``), and the time each stamps.
    TRANSITIONS: dict[str, str] = {
        State.DRAFT: State.OPEN,
        State.OPEN: State.CLOSED,
        State.CLOSED: State.PUBLISHED,
    }
    STAMPS: dict[str, str] = {
        State.OPEN: "opened_at",
        State.CLOSED: "closed_at",
        State.PUBLISHED: "published_at",
    }

    class Shape(models.TextChoices):
        TIERED = "tiered", _("Tiered by share of votes")
        RATE = "rate", _("Satisfaction rate")
        POINTS = "points", _("Average points")

    class Denominator(models.TextChoices):
        ENTITLED = "entitled", _("entitled voters")
        PRESENT = "present", _("voters present")
        RETURNED = "returned", _("ballots returned (收回票)")
        VALID = "valid", _("valid ballots")

    class BoundaryWins(models.TextChoices):
        HIGHER = "higher", _("the higher verdict (satisfied)")
        LOWER = "lower", _("the lower verdict (unsatisfied)")

    class Measure(models.TextChoices):
        SHARE = "share", _("share of “satisfied”")
        RATE = "rate", _("satisfied + basically satisfied (rate)")
        POINTS = "points", _("average points")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("campaign")
    )
    kind = models.PositiveSmallIntegerField(_("round"), choices=Kind.choices, default=Kind.FIRST)
    title = models.CharField(_("title"), max_length=100)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    appraisals = models.ManyToManyField(
        Appraisal, related_name="rounds", verbose_name=_("units on the ballot")
    )
    allow_unknown = models.BooleanField(_("offer “don't know”"), default=False)

    # The result rule. Fixed once the round opens.
    shape = models.CharField(_("rule"), max_length=10, choices=Shape.choices, default=Shape.TIERED)
    denominator = models.CharField(
        _("denominator"), max_length=10, choices=Denominator.choices, default=Denominator.PRESENT
    )
    upper_threshold = FractionField(_("threshold for “satisfied”"), default="1/2")
    upper_inclusive = models.BooleanField(_("…inclusive (以上)"), default=True)
    lower_threshold = FractionField(_("threshold for “basically satisfied”"), default="1/2")
    lower_inclusive = models.BooleanField(_("…inclusive (以上)"), default=True)
    points_satisfied = models.DecimalField(
        _("points for satisfied"), max_digits=5, decimal_places=1, default=Decimal(100)
    )
    points_basically_satisfied = models.DecimalField(
        _("points for basically satisfied"), max_digits=5, decimal_places=1, default=Decimal(75)
    )
    points_unsatisfied = models.DecimalField(
        _("points for unsatisfied"), max_digits=5, decimal_places=1, default=Decimal(55)
    )
    quorum = FractionField(_("quorum (share of entitled voters present)"), default="1/2")
    quorum_inclusive = models.BooleanField(_("…inclusive (以上)"), default=False)
    boundary_wins = models.CharField(
        _("at a value both “satisfied” and “unsatisfied” claim, the winner is"),
        max_length=10,
        choices=BoundaryWins.choices,
        default=BoundaryWins.HIGHER,
    )
    invalid_excluded = models.BooleanField(
        _("invalid ballots leave the base of ballots returned (unmarked ones stay)"),
        default=False,
    )
    group_quorum = FractionField(_("quorum in every voter group"), null=True, blank=True)
    group_quorum_inclusive = models.BooleanField(_("…inclusive (以上)"), default=False)
    rank_by = models.CharField(_("rank by"), max_length=10, choices=Measure.choices, blank=True)
    rank_tiebreak = models.CharField(
        _("at equal values, then by"), max_length=10, choices=Measure.choices, blank=True
    )
    mark_top = models.PositiveSmallIntegerField(_("mark the top N"), default=0)
    mark_bottom = models.PositiveSmallIntegerField(_("mark the bottom N"), default=0)
    unsatisfied_flag = FractionField(
        _("flag a unit whose “unsatisfied” share reaches"), null=True, blank=True
    )
    unsatisfied_flag_inclusive = models.BooleanField(_("…inclusive (以上)"), default=True)
    weights_sum_to_one = models.BooleanField(_("voter-group weights must sum to 1"), default=False)
    void_paper_voids_round = models.BooleanField(
        _("a void paper count (more returned than issued) voids the round"), default=False
    )

    void = models.BooleanField(_("void"), default=False)
    void_reason = models.CharField(_("why void"), max_length=200, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["campaign", "kind", "created_at"]
        verbose_name = _("scoring round")
        verbose_name_plural = _("scoring rounds")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("appraisal:round_detail", args=[self.pk])

    @property
    def choices(self) -> list[Choice]:
        out = [Choice.SATISFIED, Choice.BASICALLY_SATISFIED, Choice.UNSATISFIED]
        return [*out, Choice.UNKNOWN] if self.allow_unknown else out

    def can_move_to(self, state: str) -> bool:
        return self.TRANSITIONS.get(self.state) == state

    @property
    def next_state(self) -> str | None:
        return self.TRANSITIONS.get(self.state)

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def has_results(self) -> bool:
        return self.state in (self.State.CLOSED, self.State.PUBLISHED)

    @property
    def score_label(self) -> str:
        """The name of the figure the round ranks by (``RoundResult.score_display``)."""
        if self.shape == self.Shape.POINTS:
            return str(_("Average points"))
        if self.shape == self.Shape.TIERED:
            return str(_("Share satisfied"))
        return str(_("Satisfaction rate"))


class RoundGroup(models.Model):
    """A voter group on a round: its weight (copied when the round is set up), who may vote
    (应到), who came (实到), and how many paper ballots were handed out."""

    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="groups")
    voter_group = models.ForeignKey(
        VoterGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("voter group")
    )
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=4)
    entitled = models.PositiveIntegerField(_("entitled (应到)"))
    present = models.PositiveIntegerField(_("present (实到)"), null=True, blank=True)
    paper_issued = models.PositiveIntegerField(_("paper ballots issued"), default=0)
    # Counted when the ballot box is opened: every unit's paper tally must add up to it.
    paper_returned = models.PositiveIntegerField(_("paper ballots returned"), null=True, blank=True)

    class Meta:
        ordering = ["round", "voter_group__sort_order", "voter_group__name"]
        verbose_name = _("voter group of a round")
        verbose_name_plural = _("voter groups of a round")
        constraints = [
            models.UniqueConstraint(fields=["round", "voter_group"], name="roundgroup_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.voter_group}"


class VotingCode(models.Model):
    """A one-time code, printed as a QR slip and handed out at random."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="codes")
    voter_group = models.ForeignKey(VoterGroup, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=16, unique=True)
    used = models.BooleanField(_("used"), default=False)

    class Meta:
        verbose_name = _("voting code")
        verbose_name_plural = _("voting codes")

    def __str__(self) -> str:
        return self.code


class RollEntry(models.Model):
    """That a person has voted in a round: no time, no order, no link to the ballot."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Indexed by the unique (round, user) constraint; a second index would only slow voting.
    round = models.ForeignKey(
        ScoringRound, on_delete=models.CASCADE, related_name="roll", db_index=False
    )
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("roll entry")
        verbose_name_plural = _("roll")
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="roll_one_per_voter")]

    def __str__(self) -> str:
        return str(_("voted"))


class BallotEnvelope(models.Model):
    """A ballot while its round is open: voter group and choices sealed (``appraisal.sealing``).

    Written in the voter's transaction with the roll row or the code's ``used`` flag,
    so a reader of the database can pair the two, but not open the envelope. The close
    opens them all, writes the ``Ballot`` rows and empties this table.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="+")
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("sealed ballot")
        verbose_name_plural = _("sealed ballots")

    def __str__(self) -> str:
        return str(_("sealed ballot"))


class Ballot(models.Model):
    """One anonymous ballot. Its group is kept (weights need it); nothing else about its voter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="ballots")
    voter_group = models.ForeignKey(VoterGroup, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return str(_("ballot"))


class BallotEntry(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Indexed by the unique (ballot, appraisal) constraint.
    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=20, choices=Choice.choices)

    class Meta:
        verbose_name = _("ballot entry")
        verbose_name_plural = _("ballot entries")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "appraisal"], name="ballotentry_one_per_unit")
        ]

    def __str__(self) -> str:
        return self.get_choice_display()


class TallyCounts(models.Model):
    satisfied = models.PositiveIntegerField(_("satisfied"), default=0)
    basically_satisfied = models.PositiveIntegerField(_("basically satisfied"), default=0)
    unsatisfied = models.PositiveIntegerField(_("unsatisfied"), default=0)
    unknown = models.PositiveIntegerField(_("don't know"), default=0)
    invalid = models.PositiveIntegerField(_("invalid"), default=0)
    blank = models.PositiveIntegerField(_("blank"), default=0)

    COUNT_FIELDS = (
        "satisfied",
        "basically_satisfied",
        "unsatisfied",
        "unknown",
        "invalid",
        "blank",
    )

    class Meta:
        abstract = True

    @classmethod
    def count_label(cls, name: str) -> str:
        return str(cls._meta.get_field(name).verbose_name)  # type: ignore[union-attr]

    def counts(self) -> dict[str, int]:
        return {f: getattr(self, f) for f in self.COUNT_FIELDS}

    @property
    def returned(self) -> int:
        return sum(self.counts().values())


class PaperTallyEntry(TallyCounts):
    """One teller's count of the paper ballots for one unit and voter group (slot 1 or 2)."""

    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="tally_entries")
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="+")
    voter_group = models.ForeignKey(VoterGroup, on_delete=models.PROTECT, related_name="+")
    slot = models.PositiveSmallIntegerField(_("entry"), choices=[(1, "1"), (2, "2")])
    entered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("paper tally entry")
        verbose_name_plural = _("paper tally entries")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "appraisal", "voter_group", "slot"], name="tallyentry_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.slot}"


class PaperTally(TallyCounts):
    """Paper counts that two tellers entered alike: these are what the result counts."""

    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="tallies")
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="+")
    voter_group = models.ForeignKey(VoterGroup, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("paper tally")
        verbose_name_plural = _("paper tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "appraisal", "voter_group"], name="tally_one_per_unit_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.returned}"


class RoundResult(models.Model):
    """The computed result of one appraisal in a closed round. Frozen once published."""

    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="results")
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="results")
    # {voter_group_id: {"satisfied": n, …, "invalid": n, "blank": n, "denominator": n}}
    counts = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    valid = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    # Exact fractions ("50/101"): rounded once, for display only.
    satisfied_share = FractionField(default="0")
    satisfaction_rate = FractionField(default="0")
    unsatisfied_share = FractionField(default="0")
    average_points = FractionField(null=True)
    score = FractionField(default="0")
    verdict = models.CharField(max_length=20, choices=Choice.choices, blank=True)
    rank = models.PositiveSmallIntegerField(null=True)
    notes = models.JSONField(default=list, encoder=DjangoJSONEncoder)
    # "top", "bottom", "unsatisfied_share" (rules.MARK_*)
    marks = models.JSONField(default=list, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["round", "rank", "appraisal__sort_order"]
        verbose_name = _("round result")
        verbose_name_plural = _("round results")
        constraints = [
            models.UniqueConstraint(fields=["round", "appraisal"], name="result_one_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.appraisal.unit}"

    @property
    def rate_display(self) -> str:
        return percent(self.satisfaction_rate)

    @property
    def share_display(self) -> str:
        return percent(self.satisfied_share)

    @property
    def unsatisfied_display(self) -> str:
        return percent(self.unsatisfied_share)

    @property
    def points_display(self) -> str:
        return points_display(self.average_points) or "—"

    @property
    def score_display(self) -> str:
        """The figure the ranking uses, as every page shows it (``round.score_label``)."""
        if self.round.shape == ScoringRound.Shape.POINTS:
            return self.points_display
        if self.round.shape == ScoringRound.Shape.TIERED:
            return self.share_display
        return self.rate_display
