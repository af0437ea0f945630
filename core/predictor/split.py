"""The temporal split on cutoffs: train, early-stopping validation and test cutoffs.

Test cutoffs start at a fraction of the events' time span (or a given date). A training cutoff T is
kept only when its label window (T, T+H] ends by the first test cutoff, so nothing the model learns
from happened in the test period. Early stopping watches the latest training cutoffs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from core.predictor.errors import TooLittleDataError


@dataclass
class CutoffSplit:
    fit: list[pd.Timestamp]
    validation: list[pd.Timestamp]
    test: list[pd.Timestamp]

    @property
    def test_from(self) -> pd.Timestamp:
        return self.test[0]

    def info(self) -> dict:
        return {
            "kind": "cutoff",
            "fit_cutoffs": [str(t.date()) for t in self.fit],
            "validation_cutoffs": [str(t.date()) for t in self.validation],
            "test_cutoffs": [str(t.date()) for t in self.test],
            "test_from": str(self.test_from.date()),
        }


def split_cutoffs(
    cutoffs: list[pd.Timestamp], span: tuple[pd.Timestamp, pd.Timestamp], horizon_days: int, params: dict
) -> CutoffSplit:
    """Split the cutoff grid; TooLittleDataError names what is missing (test or training cutoffs)."""
    first, last = span
    if params.get("test_cutoff"):
        start = pd.Timestamp(params["test_cutoff"])
        start = (start.tz_convert(None) if start.tzinfo else start).normalize()
    else:
        start = first + (last - first) * float(params["test_from"])
    test = [t for t in cutoffs if t >= start]
    if not test:
        raise TooLittleDataError(
            f"no test cutoff: the last cutoff with a full {horizon_days}-day horizon is "
            f"{cutoffs[-1].date() if cutoffs else '-'}, before the test period starting {start.date()}; "
            "use more events, an earlier test_cutoff, a smaller test_from or a shorter horizon"
        )
    horizon = pd.Timedelta(days=int(horizon_days))
    train = [t for t in cutoffs if t + horizon <= test[0]]
    if len(train) < 2:
        raise TooLittleDataError(
            f"only {len(train)} training cutoff(s) whose {horizon_days}-day label window ends before the first "
            f"test cutoff {test[0].date()}; use a longer period of events, a later test_cutoff or a shorter horizon"
        )
    n_val = min(len(train) - 1, max(1, math.ceil(len(train) * float(params["validation_fraction"]))))
    validation = train[-n_val:]
    # the same gap before the validation cutoffs: a purchase that is the target of a fit example and of a
    # validation example would reward memorising customers and early stopping would never stop
    fit = [t for t in train[:-n_val] if t + horizon <= validation[0]]
    if not fit:
        raise TooLittleDataError(
            f"no training cutoff's {horizon_days}-day label window ends before the early-stopping cutoffs from "
            f"{validation[0].date()}; use a longer period of events or a shorter horizon"
        )
    return CutoffSplit(fit=fit, validation=validation, test=test)
