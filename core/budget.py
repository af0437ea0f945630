"""Budgets and prices for the spending ledger: daily USD caps from config/budget.toml (overridden by
TRENDSTUDIO_*_BUDGET_USD), per-call prices, the server's ledger, and Groq token pricing."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping

from core.errors import ConfigError
from core.settings import Settings
from core.spend import BUDGET_ENV, LEDGER_FILE, SERVICES, SpendLedger


def budgets(settings: Settings, env: Mapping[str, str] | None = None) -> dict[str, float]:
    """Daily USD budgets: config/budget.toml [daily_usd], overridden by TRENDSTUDIO_*_BUDGET_USD."""
    env = os.environ if env is None else env
    table = dict(settings.section("budget").get("daily_usd") or {})
    out: dict[str, float] = {}
    for service, var in BUDGET_ENV.items():
        raw, where = (env[var], var) if env.get(var) else (table.get(service, 0.0), "config/budget.toml")
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise ConfigError(
                f"{where}: the {service} budget {raw!r} is not a number of US dollars"
            ) from None
        if not math.isfinite(value) or value < 0:
            raise ConfigError(f"{where}: the {service} budget must be 0 or more US dollars, not {raw!r}")
        out[service] = value
    return out


def ledger_for(settings: Settings, env: Mapping[str, str] | None = None) -> SpendLedger:
    """The server's ledger (one file in the data folder), recording calls for the signed-in user."""
    table = settings.section("budget")
    prices = {service: dict((table.get(service) or {}).get("prices_usd") or {}) for service in SERVICES}
    return SpendLedger(
        settings.data_dir / LEDGER_FILE, budgets(settings, env), user=settings.user, prices=prices
    )


def groq_cost(settings: Settings, model: str, input_tokens: int, output_tokens: int) -> float:
    """USD for a Groq call from config/llm.toml [prices."<model>"] (USD per million tokens).

    A model without a price is charged at the dearest listed input and output prices, so the cap still holds.
    """
    prices = settings.section("llm").get("prices") or {}
    price = prices.get(model)
    if not price:
        if not prices:
            raise ConfigError(
                "config/llm.toml has no [prices]; add the models' USD per million tokens so Groq "
                "spending can be capped"
            )
        price = {side: max(float(p[side]) for p in prices.values()) for side in ("input", "output")}
    return (input_tokens * float(price["input"]) + output_tokens * float(price["output"])) / 1e6
