"""Figures as published: one way to round, one way to turn a share into a percentage."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction


def half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """Round once, half up (away from zero), from the exact value."""
    exact = Fraction(value) * 10**places
    units = math.floor(abs(exact) + Fraction(1, 2))
    return Decimal(-units if exact < 0 else units).scaleb(-places)


def percent(
    part: Fraction | Decimal | int, whole: int | None = None, *, places: int = 2
) -> Decimal:
    """``part`` of ``whole`` (or the share ``part`` itself) as a percentage, computed from
    the exact fraction and rounded once, half up (DESIGN.md §3). Nothing of nothing is 0."""
    if whole is not None and not whole:
        return Decimal(0).scaleb(-places)
    share = Fraction(part) / whole if whole is not None else Fraction(part)
    return half_up(share * 100, places)
