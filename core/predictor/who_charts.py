"""Plotly figures and sentences for who buys (propensity) and how many (the volume forecast)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.predictor.propensity import BASELINES, TOP
from core.predictor.verdict import NAMES


def gains_figure(ev: dict) -> go.Figure:
    """Cumulative gains on the test cutoffs: share of the window's buyers found in the top x% by score."""
    gains = pd.DataFrame(ev["propensity"]["gains"])
    horizon = ev["framing"]["horizon_days"]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(x=gains["share"], y=gains["random"], name="random", line={"dash": "dash", "color": "grey"})
    )
    for name in BASELINES:
        fig.add_trace(
            go.Scatter(x=gains["share"], y=gains[name], name=f"{NAMES[name]} baseline", opacity=0.7)
        )
    fig.add_trace(go.Scatter(x=gains["share"], y=gains["model"], name="model", line={"width": 4}))
    fig.add_vline(x=TOP, line={"dash": "dot", "color": "black"})
    fig.update_layout(
        title=f"Cumulative gains: next-{horizon}-day buyers found by calling the top x% of customers",
        xaxis_title="share of customers called (highest score first)",
        yaxis_title="share of the window's buyers found",
        xaxis_tickformat=".0%",
        yaxis_tickformat=".0%",
        height=420,
        margin={"t": 50, "b": 10},
    )
    return fig


def gains_sentence(ev: dict) -> str:
    """The gains chart in words."""
    prop = ev["propensity"]
    horizon = ev["framing"]["horizon_days"]
    best = prop["best_baseline"]
    found = prop["lift_top20"] * TOP
    base = prop["baselines"][best]["lift_top20"] * TOP
    lo, hi = prop["auc_diff_ci"]
    verb = {"beats": "beats", "worse": "is worse than", "level": "is level with"}[prop["word"]]
    return (
        f"The top {TOP:.0%} of customers by score hold {found:.0%} of next-{horizon}-day buyers (lift "
        f"{prop['lift_top20']:.2f}); at random {TOP:.0%}, by {NAMES[best]} {base:.0%}. On ROC-AUC the model "
        f"{verb} its best baseline, {NAMES[best]}: {prop['auc']:.3f} vs {prop['baselines'][best]['auc']:.3f} "
        f"(difference 95% interval [{lo:+.3f}, {hi:+.3f}] over customers)."
    )


def propensity_calibration_figure(ev: dict) -> go.Figure:
    """Predicted vs observed buying rate per score decile."""
    cal = ev["propensity"]["calibration"]
    bins = pd.DataFrame(cal["bins"])
    top = float(max(bins["mean_predicted"].max(), bins["observed"].max(), 0.05)) * 1.05
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, top], y=[0, top], name="perfectly calibrated", line={"dash": "dash"}))
    fig.add_trace(
        go.Scatter(
            x=bins["mean_predicted"],
            y=bins["observed"],
            mode="lines+markers",
            name="model",
            marker={"size": np.clip(np.sqrt(bins["count"]), 6, 24)},
        )
    )
    fig.update_layout(
        title=f"P(buy) calibration by score decile (Brier {cal['brier']:.3f}; expected "
        f"{cal['expected_buyers']:,.0f} buyers, actual {cal['actual_buyers']:,})",
        xaxis_title="mean predicted P(buy)",
        yaxis_title="observed buying rate",
        height=380,
        margin={"t": 50, "b": 10},
    )
    return fig
