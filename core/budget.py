"""Budgets and prices for the spending ledger: daily USD caps from config/budget.toml (overridden by
TRENDSTUDIO_*_BUDGET_USD), per-call prices, the server's ledger, and Groq token pricing."""

from __future__ import annotations

import os
from collections.abc import Mapping

from core.errors import ConfigError
from core.settings import Settings
from core.spend import BUDGET_ENV, LEDGER_FILE, SERVICES, SpendLedger
from core.usd import usd


def budgets(settings: Settings, env: Mapping[str, str] | None = None) -> dict[str, float]:
    """Daily USD budgets: config/budget.toml [daily_usd], overridden by TRENDSTUDIO_*_BUDGET_USD."""
    env = os.environ if env is None else env
    table = dict(settings.section("budget").get("daily_usd") or {})
    out: dict[str, float] = {}
    for service, var in BUDGET_ENV.items():
        raw, where = (env[var], var) if env.get(var) else (table.get(service, 0.0), "config/budget.toml")
        out[service] = usd(raw, f"{where}: the {service} budget")
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
        price = {
            side: max(_token_price(m, p, side) for m, p in prices.items()) for side in ("input", "output")
        }
    return (
        input_tokens * _token_price(model, price, "input")
        + output_tokens * _token_price(model, price, "output")
    ) / 1e6


def _token_price(model: str, price: object, side: str) -> float:
    """A model's USD per million tokens, validated: a missing, negative or NaN price is a config error."""
    where = f'config/llm.toml [prices."{model}"] {side}'
    if not isinstance(price, Mapping) or side not in price:
        raise ConfigError(f"{where} is missing; give the model's USD per million tokens")
    return usd(price[side], where)
