"""Figures as published: one way to turn a share into a percentage, everywhere."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction


def percent(
    part: Fraction | Decimal | int, whole: int | None = None, *, places: int = 2
) -> Decimal:
    """``part`` of ``whole`` (or the share ``part`` itself) as a percentage: computed from
    the exact fraction and rounded once, half up, to ``places`` decimals (DESIGN.md §3).
    Nothing of nothing is 0."""
    if whole is not None:
        if not whole:
            return Decimal(0).scaleb(-places)
        share = Fraction(part) / whole
    else:
        share = Fraction(part)
    scaled = share * 100 * 10**places
    rounded = (
        math.floor(scaled + Fraction(1, 2))
        if scaled >= 0
        else -math.floor(-scaled + Fraction(1, 2))
    )
    return Decimal(rounded).scaleb(-places)
