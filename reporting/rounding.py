"""How the review rounds and takes medians, in one place (the review pages' method note says the same).

- Rounding is half up (1.545 -> 1.55), once, on the exact decimal value: never a value rounded before, never
  Python's half-to-even on a float (sums of shares are exact: reporting/aggregate.py, `share_sum`).
- Medians of ordinal levels (ratings 1-5, likelihood, impact, risk levels) are the lower median: always a level.
"""

from decimal import ROUND_HALF_UP, Decimal


def half_up(value, places=2):
    """`value` rounded half up to `places` decimals, as a float for JSON; None stays None."""
    if value is None:
        return None
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def percent(part, whole):
    return half_up(Decimal(100) * part / whole, 1) if whole else 0.0


def lower_median(values):
    """The lower of the two middle values of a sorted list (the middle one when odd): always one of the values."""
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2] if ordered else None
