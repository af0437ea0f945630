"""Plotly figures and display tables for the Purchase Predictor (plain data in, figures out)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from core.predictor.baselines import BASELINES

_NAMES = {
    "model": "XGBoost",
    "majority": "Majority",
    "last_category": "Repeat last",
    "markov": "Markov",
    "recent_browsing": "Most browsed",
}
_CATEGORY_WORDS = {"beats": "wins", "level": "level", "worse": "loses"}


def category_mix(purchase_mix: dict[str, int]) -> go.Figure:
    """Purchases per category with the share on each bar, so the imbalance is plain to see."""
    frame = pd.DataFrame({"category": list(purchase_mix), "purchases": list(purchase_mix.values())})
    frame["share"] = frame["purchases"] / max(1, frame["purchases"].sum())
    fig = px.bar(
        frame,
        x="category",
        y="purchases",
        text=frame["share"].map("{:.0%}".format),
        title="Apparel purchases per category (share of all)",
    )
    fig.update_layout(height=340, margin={"t": 50, "b": 10})
    return fig


def per_category_table(ev: dict) -> pd.DataFrame:
    """One row per category: support, the model's precision/recall/F1, each baseline's F1, and the F1
    difference against the category's best baseline with its 95% interval and word (the verdict's rule:
    "wins" only when the interval is above 0)."""
    rows = []
    for cat, m in ev["per_category"].items():
        lift = ev["per_category_lift"][cat]
        row = {
            "category": cat,
            "support": m["support"],
            "precision": m["precision"],
            "recall": m["recall"],
            "F1": m["f1"],
        }
        for b in BASELINES:
            row[f"F1 {_NAMES[b].lower()}"] = m["f1"] - lift[b]
        v = ev["per_category_verdict"][cat]
        row["best baseline"] = _NAMES[v["vs"]]
        row["F1 diff"] = v["f1_diff"]
        row["95% interval"] = f"[{v['f1_diff_ci'][0]:+.3f}, {v['f1_diff_ci'][1]:+.3f}]"
        row["verdict"] = _CATEGORY_WORDS[v["word"]]
        rows.append(row)
    return pd.DataFrame(rows).sort_values("support", ascending=False, ignore_index=True)


def headline(ev: dict) -> pd.DataFrame:
    """Accuracy and macro-F1 for the model and each baseline."""
    rows = [{"predictor": _NAMES["model"], "accuracy": ev["accuracy"], "macro F1": ev["macro_f1"]}]
    rows += [
        {
            "predictor": _NAMES[b],
            "accuracy": ev["baselines"][b]["accuracy"],
            "macro F1": ev["baselines"][b]["macro_f1"],
        }
        for b in BASELINES
    ]
    return pd.DataFrame(rows)


def headline_figure(ev: dict) -> go.Figure:
    long = headline(ev).melt(id_vars="predictor", var_name="metric", value_name="score")
    fig = px.bar(
        long,
        x="metric",
        y="score",
        color="predictor",
        barmode="group",
        range_y=[0, 1],
        text=long["score"].map("{:.2f}".format),
        title="Model beside the baselines (test set)",
    )
    fig.update_layout(height=360, margin={"t": 50, "b": 10})
    return fig


def per_category_figure(ev: dict) -> go.Figure:
    table = per_category_table(ev)
    cols = ["F1"] + [f"F1 {_NAMES[b].lower()}" for b in BASELINES]
    long = table.melt(id_vars="category", value_vars=cols, var_name="predictor", value_name="F1 score")
    long["predictor"] = long["predictor"].replace(
        {"F1": _NAMES["model"]} | {f"F1 {_NAMES[b].lower()}": _NAMES[b] for b in BASELINES}
    )
    fig = px.bar(
        long,
        x="category",
        y="F1 score",
        color="predictor",
        barmode="group",
        range_y=[0, 1],
        title="F1 per category: model vs baselines",
    )
    fig.update_layout(height=380, margin={"t": 50, "b": 10})
    return fig


def predicted_mix(predictions: pd.DataFrame) -> go.Figure:
    """How many customers have each category as their top prediction (customers, not purchases)."""
    counts = predictions["predicted_category"].value_counts()
    frame = pd.DataFrame({"category": counts.index, "customers": counts.to_numpy()})
    fig = px.bar(
        frame,
        x="category",
        y="customers",
        text=(frame["customers"] / max(1, len(predictions))).map("{:.0%}".format),
        title="Customers per top predicted category (counts customers, not purchases)",
    )
    fig.update_layout(height=340, margin={"t": 50, "b": 10})
    return fig


def share_forecast_figure(ev: dict) -> go.Figure:
    """Per test cutoff and class: predicted vs actual share of the next H days' purchases, and naive."""
    rows = [
        {"cutoff": c["cutoff"], "category": cat, **v}
        for c in ev["share_forecast"]["cutoffs"]
        for cat, v in c["shares"].items()
    ]
    frame = pd.DataFrame(rows)
    mean = frame.groupby("category", as_index=False)[["actual", "predicted", "naive"]].mean()
    long = mean.melt(id_vars="category", var_name="forecast", value_name="share")
    long["forecast"] = long["forecast"].map(
        {
            "actual": "actual",
            "predicted": "model (Σ P(buy)·P(category|buy))",
            "naive": "naive (same as last H days)",
        }
    )
    sf = ev["share_forecast"]
    fig = px.bar(
        long,
        x="category",
        y="share",
        color="forecast",
        barmode="group",
        title=f"Category shares of the next purchases, averaged over test cutoffs · MAE model "
        f"{sf['model_mae']:.4f} vs naive {sf['naive_mae']:.4f} · used: {sf['chosen']}",
    )
    fig.update_layout(height=380, margin={"t": 50, "b": 10}, yaxis_tickformat=".0%")
    return fig


def horizon_figure(curve: pd.DataFrame) -> go.Figure:
    """Accuracy of the model, the best baseline and the majority class per horizon: how foresight decays."""
    long = curve.melt(
        id_vars="horizon_days",
        value_vars=["model", "best baseline", "majority"],
        var_name="predictor",
        value_name="accuracy",
    )
    fig = px.line(
        long,
        x="horizon_days",
        y="accuracy",
        color="predictor",
        markers=True,
        range_y=[0, 1],
        title="Accuracy vs horizon (test cutoffs)",
        labels={"horizon_days": "horizon H (days)"},
    )
    fig.update_layout(height=360, margin={"t": 50, "b": 10})
    return fig


def confusion_figure(ev: dict) -> go.Figure:
    """Row-normalised confusion matrix (each row: where that true category's purchases went)."""
    labels = ev["confusion_matrix"]["labels"]
    cm = np.array(ev["confusion_matrix"]["matrix"], dtype=float)
    share = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    fig = px.imshow(
        share,
        x=labels,
        y=labels,
        color_continuous_scale="Blues",
        zmin=0,
        zmax=1,
        text_auto=".2f",
        labels={"x": "predicted", "y": "actual", "color": "share of row"},
        title="Confusion matrix (rows sum to 1)",
    )
    fig.update_traces(
        customdata=cm,
        hovertemplate="actual %{y}<br>predicted %{x}<br>%{customdata:.0f} "
        "purchases (%{z:.0%})<extra></extra>",
    )
    fig.update_layout(height=480, margin={"t": 50, "b": 10})
    return fig


def calibration_figure(ev: dict) -> go.Figure:
    cal = ev["calibration"]
    bins = pd.DataFrame(cal["bins"])
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, 1],
            y=[0, 1],
            mode="lines",
            name="perfectly calibrated",
            line={"dash": "dash", "color": "grey"},
        )
    )
    if not bins.empty:
        fig.add_trace(
            go.Scatter(
                x=bins["mean_confidence"],
                y=bins["accuracy"],
                mode="lines+markers",
                name="model",
                marker={"size": np.clip(np.sqrt(bins["count"]) * 1.5, 6, 30)},
                customdata=bins["count"],
                hovertemplate="confidence %{x:.2f}<br>accuracy %{y:.2f}<br>%{customdata} rows<extra></extra>",
            )
        )
    fig.update_layout(
        title=f"Reliability (Brier {cal['brier']:.3f}, ECE {cal['expected_calibration_error']:.3f}, "
        f"log-loss {ev['log_loss']:.3f})",
        xaxis_title="top-1 confidence",
        yaxis_title="observed accuracy",
        height=420,
        margin={"t": 50, "b": 10},
        xaxis={"range": [0, 1]},
        yaxis={"range": [0, 1]},
    )
    return fig


def shap_global_figure(long: pd.DataFrame) -> go.Figure:
    fig = px.bar(
        long,
        x="mean_abs_shap",
        y="feature",
        color="class",
        orientation="h",
        title="Global importance: mean |SHAP| per class",
        labels={"mean_abs_shap": "mean |SHAP| (log-odds)"},
    )
    fig.update_layout(height=480, yaxis={"categoryorder": "total ascending"}, margin={"t": 50, "b": 10})
    return fig


def beeswarm_figure(frame: pd.DataFrame, cls: str) -> go.Figure:
    """One dot per explained customer per feature; colour is the feature value's percentile."""
    order = list(dict.fromkeys(frame["feature"]))[::-1]
    y = frame["feature"].map({f: i for i, f in enumerate(order)}).to_numpy(dtype=float)
    jitter = np.random.default_rng(0).uniform(-0.3, 0.3, size=len(frame))
    fig = go.Figure(
        go.Scattergl(
            x=frame["shap"],
            y=y + jitter,
            mode="markers",
            customdata=np.stack([frame["feature"], frame["value"]], 1),
            marker={
                "color": frame["value_rank"],
                "colorscale": "RdBu_r",
                "size": 5,
                "opacity": 0.7,
                "colorbar": {"title": "value<br>percentile"},
            },
            hovertemplate="%{customdata[0]} = %{customdata[1]}<br>SHAP %{x:.3f}<extra></extra>",
        )
    )
    fig.update_layout(
        title=f"How each feature pushes '{cls}' (beeswarm)",
        xaxis_title="SHAP value (log-odds)",
        yaxis={"tickvals": list(range(len(order))), "ticktext": order},
        height=480,
        margin={"t": 50, "b": 10},
    )
    return fig


def waterfall_figure(wf: dict) -> go.Figure:
    items = wf["items"][::-1]
    labels = (
        ["base value"] + [f"{i['feature']} = {i['value']:.3g}" for i in items] + ["other features", "output"]
    )
    values = [wf["base"]] + [i["shap"] for i in items] + [wf["rest"], wf["output"]]
    measure = ["absolute"] + ["relative"] * (len(items) + 1) + ["total"]
    fig = go.Figure(go.Waterfall(orientation="h", y=labels, x=values, measure=measure))
    fig.update_layout(
        title=f"Why customer {wf['user_id']} gets '{wf['class']}' (log-odds)",
        height=480,
        margin={"t": 50, "b": 10},
    )
    return fig


def registry_table(models: list[dict]) -> pd.DataFrame:
    """Side-by-side runs: data, sizes and headline scores beside the best baseline."""
    rows = []
    for m in models:
        ev = m.get("metrics", {})
        base = max((b["macro_f1"] for b in ev.get("baselines", {}).values()), default=float("nan"))
        rows.append(
            {
                "id": m.get("id"),
                "created": m.get("created"),
                "data": ", ".join(f["name"] for f in m.get("data", {}).get("files", [])),
                "horizon": ev.get("framing", {}).get("horizon_days"),
                "n_train": ev.get("n_train"),
                "n_test": ev.get("n_test"),
                "accuracy": ev.get("accuracy"),
                "macro F1": ev.get("macro_f1"),
                "best baseline macro F1": base,
                "top-3": ev.get("top3_accuracy"),
                "verdict": ev.get("verdict", {}).get("word"),
                "who-buys AUC": ev.get("propensity", {}).get("auc"),
                "volume forecast": ev.get("share_forecast", {}).get("chosen"),
            }
        )
    return pd.DataFrame(rows)
