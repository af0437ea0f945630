"""The Purchase Predictor's "who buys" and "how many" sections: propensity against its baselines (gains
chart, said in words) and the volume forecast the campaign uses, model or naive, whichever backtests
better. Thin: a saved model's evaluation -> core.predictor charts and sentences -> render."""

from __future__ import annotations

import streamlit as st

from core.predictor import charts, who_charts
from core.predictor.shares import forecast_sentence
from core.predictor.verdict import NAMES
from ui.safe_text import safe_figure


def who_buys(ev: dict) -> None:
    """Propensity on the test cutoffs: AUC, PR-AUC and lift beside the best baseline, the gains chart."""
    st.subheader(f"Who buys in the next {ev['framing']['horizon_days']} days")
    prop = ev.get("propensity") or {}
    if prop.get("auc") is None:
        st.info("The test cutoffs have no buyers (or only buyers): nothing to rank.")
        return
    best = prop["best_baseline"]
    base = prop["baselines"][best]
    cols = st.columns(4)
    cols[0].metric(
        "Who-buys ROC-AUC", f"{prop['auc']:.3f}", f"{prop['auc'] - base['auc']:+.3f} vs {NAMES[best]}"
    )
    cols[1].metric("PR-AUC", f"{prop['pr_auc']:.3f}", f"base rate {prop['base_rate']:.3f}", delta_color="off")
    cols[2].metric(
        "Lift in the top 20%", f"{prop['lift_top20']:.2f}", f"{NAMES[best]}: {base['lift_top20']:.2f}"
    )
    cols[3].metric("Verdict", prop["word"], f"AUC diff in {prop['auc_diff_ci']}", delta_color="off")
    st.markdown(who_charts.gains_sentence(ev))
    st.plotly_chart(safe_figure(who_charts.gains_figure(ev)), width="stretch", key="pp_gains")
    with st.expander("P(buy) calibration"):
        st.plotly_chart(who_charts.propensity_calibration_figure(ev), width="stretch", key="pp_prop_cal")


def how_many(ev: dict) -> None:
    """The volume forecast's backtest and which forecast the campaign uses."""
    st.subheader("How many buy what: the volume forecast")
    sf = ev["share_forecast"]
    if sf["model_mae"] is None:
        st.info("No test cutoff has both purchases in its window and a window before it to compare with.")
        return
    c1, c2, c3 = st.columns(3)
    c1.metric("Share MAE, model", f"{sf['model_mae']:.4f}")
    c2.metric("Share MAE, naive", f"{sf['naive_mae']:.4f}", help="same shares as the last H days' purchases")
    c3.metric(
        "Buyers per category MAE",
        f"{sf['model_count_mae']:.1f}",
        f"naive {sf['naive_count_mae']:.1f}",
        delta_color="off",
        help="model: expected buyers Σ P(buy)·P(category | buy); naive: the last H days' buyers",
    )
    st.markdown(forecast_sentence(sf, ev["framing"]["horizon_days"]))
    st.plotly_chart(safe_figure(charts.share_forecast_figure(ev)), width="stretch", key="pp_shares")
    st.caption(
        "At each test cutoff, the expected buyers per category over every customer with a purchase before "
        "it (no hindsight about who buys) against the actual first purchases in the next "
        f"{ev['framing']['horizon_days']} days; the campaign uses the forecast with the lower share error."
    )
