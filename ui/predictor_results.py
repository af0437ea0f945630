"""The Purchase Predictor's results section: verdict, framing, baselines, who buys, how many, horizon
curve, diagnostics, explanations and predictions. Thin: a saved model's meta -> core.predictor charts -> render."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import streamlit as st

from core.errors import TrendStudioError
from core.predictor import charts
from core.predictor.explain import beeswarm, explained_customers, global_importance, waterfall
from core.predictor.horizon import HORIZONS, horizon_curve
from core.predictor.predict import forecast
from core.predictor.registry import TrainedModel
from core.predictor.verdict import good_for, verdict_sentence
from core.settings import Settings
from ui.predictor_who import how_many, who_buys
from ui.safe_text import md, safe_figure


def verdict_box(ev: dict, model_id: str) -> None:
    """What the model is good for on this data and whether it beats the best baseline, with the interval
    (the page shows it on its first screen and again above the results)."""
    sentence = good_for(ev)
    box = (
        st.success if ev["verdict"]["word"] == "beats" else st.info if "good for" in sentence else st.warning
    )
    box(f"**Model {model_id}.** {md(sentence)} {md(verdict_sentence(ev))}")  # names come from the events


def framing_caption(meta: dict) -> str:
    f, s = meta["metrics"]["framing"], meta["split"]
    return (
        f"Cutoff framing: each example is (customer, cutoff T) with features from events strictly before T "
        f"and, as target, the category of the customer's first apparel purchase in (T, T+{f['horizon_days']} "
        f"days]. {f['n_cutoffs']} cutoffs every {f['cutoff_step_days']} days; tested on "
        f"{f['n_test_cutoffs']} cutoffs from {f['test_from']} ({s['n_test']:,} examples), trained on "
        f"{s['n_train']:,} examples whose label windows end before it (+{s['n_validation']:,} for early "
        f"stopping). {f['without_purchase']:,} customer-cutoffs without a purchase in the window are not "
        f"category examples. Best boosting round {meta['best_iteration'] + 1}."
    )


def results(
    model: TrainedModel, chosen: str, models: list[dict], sources: list[str], settings: Settings, prefix: str
) -> None:
    meta = model.meta
    ev = meta["metrics"]
    verdict_box(ev, meta["id"])
    v = ev["verdict"]
    cols = st.columns(5)
    cols[0].metric(
        "Accuracy",
        f"{ev['accuracy']:.3f}",
        f"{v['accuracy_diff']:+.3f} {v['accuracy_diff_ci']} vs best baseline",
        delta_color="normal" if v["word"] != "level" else "off",
    )
    cols[1].metric(
        "Macro-F1",
        f"{ev['macro_f1']:.3f}",
        f"{v['macro_f1_diff']:+.3f} {v['macro_f1_diff_ci']} vs best baseline",
        delta_color="normal" if v["macro_f1_word"] != "level" else "off",
    )
    cols[2].metric("Balanced accuracy", f"{ev['balanced_accuracy']:.3f}")
    cols[3].metric("Top-3 accuracy", f"{ev['top3_accuracy']:.3f}")
    cols[4].metric("Test examples", f"{ev['n_test']:,}", f"{ev['n_train']:,} train", delta_color="off")
    st.caption(framing_caption(meta))
    st.plotly_chart(safe_figure(charts.headline_figure(ev)), width="stretch", key="pp_headline")

    st.subheader("Per-category accuracy")
    table = charts.per_category_table(ev).round(3)
    st.table(table.assign(category=table["category"].map(md)))  # st.table renders Markdown in its cells
    st.caption(
        "A category wins only when the 95% interval of its F1 difference against its best baseline "
        "(bootstrap over customers) is above 0, and loses only when it is below: the headline's rule."
    )
    st.plotly_chart(safe_figure(charts.per_category_figure(ev)), width="stretch", key="pp_per_category")

    who_buys(ev)
    how_many(ev)
    st.download_button(
        "Download evaluation JSON",
        json.dumps(ev, indent=2),
        f"evaluation-{meta['id']}.json",
        "application/json",
        key="pp_dl_eval",
    )
    _horizon(sources, prefix, settings)
    _tabs(model, chosen, models, sources, settings)


def _horizon(sources: list[str], prefix: str, settings: Settings) -> None:
    st.subheader("Accuracy vs horizon")
    key = (tuple(sources), prefix)
    if st.button(f"Compute accuracy for horizons {', '.join(map(str, HORIZONS))} days", key="pp_horizon"):
        bar = st.progress(0.0, text="Starting…")
        try:
            curve = horizon_curve(
                sources,
                settings=settings,
                apparel_prefix=prefix,
                progress=lambda f, m: bar.progress(f, text=m),
            )
            st.session_state["pp_curve"] = (key, curve)
        except TrendStudioError as exc:
            st.error(str(exc))
        bar.empty()
    saved = st.session_state.get("pp_curve")
    if not saved or saved[0] != key:
        st.caption("How foresight decays: a quick model per horizon on the same events, computed on demand.")
        return
    curve = saved[1]
    done = curve[curve["note"] == ""]
    if not done.empty:
        st.plotly_chart(safe_figure(charts.horizon_figure(done)), width="stretch", key="pp_horizon_chart")
    st.dataframe(curve.round(3), hide_index=True, width="stretch")


def _tabs(
    model: TrainedModel, chosen: str, models: list[dict], sources: list[str], settings: Settings
) -> None:
    mid = model.meta["id"]
    tab_cm, tab_cal, tab_shap, tab_reg, tab_pred = st.tabs(
        ["Confusion matrix", "Calibration", "Why (SHAP)", "Registry", "Predictions"], key="pp_tabs"
    )
    ev = model.meta["metrics"]
    with tab_cm:
        st.plotly_chart(safe_figure(charts.confusion_figure(ev)), width="stretch", key="pp_confusion")
    with tab_cal:
        st.plotly_chart(safe_figure(charts.calibration_figure(ev)), width="stretch", key="pp_calibration")
        st.caption(
            "Each point groups test examples by the model's top-1 confidence; on the diagonal, a "
            "confidence of 0.8 is right 80% of the time."
        )
    with tab_shap:
        try:
            st.plotly_chart(
                safe_figure(charts.shap_global_figure(global_importance(chosen))),
                width="stretch",
                key="pp_shap_global",
            )
            cls = st.selectbox("Class for the beeswarm", model.classes, key=f"pp_cls_{mid}")
            st.plotly_chart(
                safe_figure(
                    charts.beeswarm_figure(beeswarm(chosen, model.features, model.classes, cls), cls)
                ),
                width="stretch",
                key="pp_beeswarm",
            )
            customer = st.selectbox(
                "Customer (from the explained test examples)",
                explained_customers(chosen),
                key=f"pp_cust_{mid}",
            )
            st.plotly_chart(
                safe_figure(
                    charts.waterfall_figure(waterfall(chosen, model.features, model.classes, customer))
                ),
                width="stretch",
                key="pp_waterfall",
            )
        except TrendStudioError as exc:
            st.warning(str(exc))
    with tab_reg:
        st.dataframe(charts.registry_table(models).round(3), hide_index=True, width="stretch")
        st.download_button(
            "Download model.json (XGBoost JSON)",
            (Path(chosen) / "model.json").read_bytes(),
            f"model-{mid}.json",
            "application/json",
            key="pp_dl_model",
        )
        st.download_button(
            "Download meta.json",
            (Path(chosen) / "meta.json").read_bytes(),
            f"meta-{mid}.json",
            "application/json",
            key="pp_dl_meta",
        )
    with tab_pred:
        _predictions(model, chosen, sources, settings)


def _predictions(model: TrainedModel, chosen: str, sources: list[str], settings: Settings) -> None:
    horizon = model.meta["metrics"]["framing"]["horizon_days"]
    at: date | None = st.date_input("Cutoff (empty: the day after the last event)", value=None, key="pp_at")
    st.caption(
        f"Scores every customer with an apparel purchase before the cutoff, from the events before it: "
        f"p_buy, the chance they buy apparel in the next {horizon} days, and the category of their first "
        "purchase if they do."
    )
    key = (chosen, tuple(sources), str(at))
    if st.button("Predict who buys and what, for every customer", key="pp_predict"):
        with st.spinner("Building features and scoring…"):
            try:
                st.session_state["pp_predictions"] = (
                    key,
                    forecast(model, sources, at=at and str(at), settings=settings),
                )
            except TrendStudioError as exc:
                st.error(str(exc))
    saved = st.session_state.get("pp_predictions")
    if saved and saved[0] == key:
        result = saved[1]
        c1, c2 = st.columns(2)
        c1.metric("Customers scored", f"{len(result.predictions):,}")
        c2.metric("Cutoff", str(result.cutoff.date()))
        if result.predictions.empty:
            return
        st.plotly_chart(
            safe_figure(charts.predicted_mix(result.predictions)), width="stretch", key="pp_predicted_mix"
        )
        st.markdown(
            f"**Volume forecast** ({result.chosen}: the one with the lower backtest error); customers "
            "below, likeliest buyer (p_buy) first"
        )
        st.dataframe(result.shares, hide_index=True, width="stretch")
        st.dataframe(result.predictions.head(200), hide_index=True, width="stretch")
        st.download_button(
            "Download predictions CSV",
            result.predictions.to_csv(index=False),
            "predictions.csv",
            "text/csv",
            key="pp_dl_pred",
        )


def events_profile(stats: dict, prefix: str) -> None:
    """What was read from the events: counts, what was dropped and the purchase mix (names from the
    user's events are escaped)."""
    cols = st.columns(5)
    cols[0].metric("Rows read", f"{stats['rows_read']:,}")
    cols[1].metric("Apparel events", f"{stats['events']:,}")
    cols[2].metric("Customers", f"{stats['users']:,}")
    cols[3].metric("Apparel purchases", f"{stats['purchases']:,}")
    cols[4].metric(
        "Dropped",
        f"{stats['bad_rows'] + stats['bad_lines'] + stats['duplicates']:,}",
        help="unparseable rows and lines plus exact duplicates",
    )
    bad = {k: v for k, v in stats["bad_by_column"].items() if v}
    st.caption(
        f"{stats['first_event'] or '–'} → {stats['last_event'] or '–'} · "
        f"{stats['non_apparel']:,} rows outside '{md(prefix)}' · {stats['bad_lines']:,} malformed lines · "
        f"{stats['duplicates']:,} duplicates" + (f" · unparseable values: {md(bad)}" if bad else "")
    )
    if stats["purchase_mix"]:
        st.plotly_chart(
            safe_figure(charts.category_mix(stats["purchase_mix"])), width="stretch", key="pp_mix"
        )
        top, count = next(iter(stats["purchase_mix"].items()))
        st.caption(
            f"The largest category, {md(top)}, is {count / stats['purchases']:.0%} of purchases: accuracy alone "
            "flatters a model that guesses it, so read macro-F1 and the per-category table."
        )
