from decimal import Decimal
from fractions import Fraction

from appraisal.figures import half_up, percent


def test_percent_rounds_half_up_once_from_the_exact_fraction():
    assert str(percent(1, 8)) == "12.50"
    assert str(percent(1, 3)) == "33.33"
    assert str(percent(2, 3)) == "66.67"
    # 0.125% is exactly half a hundredth: up, where banker's rounding would go down.
    assert str(percent(1, 800)) == "0.13"
    assert str(percent(Fraction(1, 800))) == "0.13"
    # Rounded once: 0.44496% is 0.44%, though rounding first to 0.445% would give 0.45%.
    assert str(percent(Fraction(44496, 10_000_000))) == "0.44"
    assert str(percent(Decimal("0.004449"))) == "0.44"


def test_percent_of_nothing_is_zero_and_places_are_kept():
    assert str(percent(0, 0)) == "0.00"
    assert str(percent(3, 3)) == "100.00"
    assert str(percent(1, 2, places=0)) == "50"
    assert str(percent(1, 200, places=0)) == "1"  # 0.5 % up


def test_half_up_goes_away_from_zero_at_the_half():
    assert str(half_up(Fraction(5, 1000))) == "0.01"
    assert str(half_up(Fraction(-5, 1000))) == "-0.01"
    assert str(half_up(Decimal("2.675"))) == "2.68"  # the float 2.675 would round down
    assert str(half_up(Fraction(1, 3), 4)) == "0.3333"
