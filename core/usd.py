"""Amounts in US dollars from outside: prices and estimates validated when loaded, and the cost a paid
job settles at when the API reports something that is not a cost."""

from __future__ import annotations

import math

from core.errors import ConfigError


def usd(value: object, what: str) -> float:
    """A price, estimate or budget in US dollars: a finite number ≥ 0, else a ConfigError naming it."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ConfigError(f"{what}: {value!r} is not a number of US dollars") from None
    if not math.isfinite(number) or number < 0:
        raise ConfigError(f"{what} must be a finite amount of 0 or more US dollars, not {value!r}")
    return number


def settled_cost(reported: object, estimate_usd: float) -> float:
    """What a job settles at: the cost the API reported when it is a finite number ≥ 0, else the
    estimate (a reported -500 or NaN must not free budget for more paid calls)."""
    try:
        cost = float(reported)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return estimate_usd
    return cost if math.isfinite(cost) and cost >= 0 else estimate_usd
