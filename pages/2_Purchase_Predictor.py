"""Purchase Predictor: pick events, train, check accuracy per category against baselines, see why."""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from core.errors import TrendStudioError
from core.predictor import charts
from core.predictor.data import profile
from core.predictor.events import resolve_sources
from core.predictor.explain import beeswarm, explained_customers, global_importance, waterfall
from core.predictor.params import resolve_params
from core.predictor.predict import predict_next
from core.predictor.registry import TrainedModel, list_models, load_model
from core.predictor.train import train
from ui.auth import require_sign_in
from ui.common import demo_dir, page_setup
from ui.uploads import save_uploads, upload_dir

require_sign_in()  # first: signed-out visitors see only the sign-in screen
settings = page_setup("Purchase Predictor", "🎯")
st.title("🎯 Purchase Predictor")
st.markdown("Which apparel category each customer is likely to buy next, how accurate that is per category "
            "against honest baselines (majority, repeat-last, Markov), and why (SHAP). Features use only what "
            "was known before each purchase; the latest purchases are the test set.")
demo = demo_dir(str(settings.demo_dir))
defaults = resolve_params(settings)


@st.cache_data(show_spinner="Profiling the events with DuckDB…", max_entries=8)
def _profile(sources: tuple[str, ...], stamp: tuple, prefix: str) -> dict:
    return profile(list(sources), {**defaults, "apparel_prefix": prefix}).to_dict()


@st.cache_resource(max_entries=4)
def _model(path: str, stamp: float) -> TrainedModel:
    return load_model(path)


def _stamp(sources: list[str]) -> tuple:
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime) for p in resolve_sources(sources))


# 1 · events ------------------------------------------------------------------------------------
st.header("1 · Events")
source = st.radio("Events source", ["Demo events", "Upload files", "Server path"], horizontal=True,
                  key="pp_source")
if source == "Demo events":
    sources = [str(demo / "events.csv")]
elif source == "Upload files":
    uploaded = st.file_uploader("REES46-format events (.csv, .csv.gz, .parquet)", type=["csv", "gz", "parquet"],
                                accept_multiple_files=True)
    if not uploaded:
        st.info("Upload one or more event files, or use the demo events.")
        st.stop()
    sources = [str(p) for p in save_uploads(uploaded, upload_dir(settings, "events"))]
else:
    typed = st.text_input("File, folder or glob on the server", key="pp_path",
                          placeholder="/data/rees46/2019-*.csv.gz")
    if not typed.strip():
        st.info("Enter a path readable by the server (large monthly files are fine: DuckDB streams them).")
        st.stop()
    sources = [typed.strip()]
prefix = st.text_input("Apparel category prefix", value=defaults["apparel_prefix"], key="pp_prefix",
                       help="category_code rows starting with this prefix are kept; the next token is the category")

try:
    stats = _profile(tuple(sources), _stamp(sources), prefix)
except TrendStudioError as exc:
    st.error(str(exc))
    st.stop()

cols = st.columns(5)
cols[0].metric("Rows read", f"{stats['rows_read']:,}")
cols[1].metric("Apparel events", f"{stats['events']:,}")
cols[2].metric("Customers", f"{stats['users']:,}")
cols[3].metric("Apparel purchases", f"{stats['purchases']:,}")
cols[4].metric("Dropped", f"{stats['bad_rows'] + stats['bad_lines'] + stats['duplicates']:,}",
               help="unparseable rows and lines plus exact duplicates")
bad = {k: v for k, v in stats["bad_by_column"].items() if v}
st.caption(f"{stats['first_event'] or '–'} → {stats['last_event'] or '–'} · "
           f"{stats['non_apparel']:,} rows outside '{prefix}' · {stats['bad_lines']:,} malformed lines · "
           f"{stats['duplicates']:,} duplicates" + (f" · unparseable values: {bad}" if bad else ""))
if stats["purchase_mix"]:
    st.plotly_chart(charts.category_mix(stats["purchase_mix"]), width="stretch", key="pp_mix")
    top, count = next(iter(stats["purchase_mix"].items()))
    st.caption(f"The largest category, {top}, is {count / stats['purchases']:.0%} of purchases: accuracy alone "
               "flatters a model that guesses it, so read macro-F1 and the per-category table.")

# 2 · train -------------------------------------------------------------------------------------
st.header("2 · Train")
with st.expander("Training settings"):
    c1, c2, c3 = st.columns(3)
    rounds = c1.number_input("Boosting rounds (max)", 10, 3000, int(defaults["n_estimators"]), 10, key="pp_rounds")
    rate = c1.number_input("Learning rate", 0.01, 1.0, float(defaults["learning_rate"]), 0.05, key="pp_lr")
    depth = c2.slider("Max depth", 2, 10, int(defaults["max_depth"]), key="pp_depth")
    split = c2.selectbox("Split", ["temporal", "user"], key="pp_split",
                         help="temporal: the latest transitions are the test set; user: held-out customers")
    test_fraction = c3.slider("Test fraction", 0.1, 0.5, float(defaults["test_fraction"]), 0.05, key="pp_test")
    class_weights = c3.checkbox("Balanced class weights", bool(defaults["class_weights"]), key="pp_weights")
if st.button("Train model", type="primary", key="pp_train"):
    bar = st.progress(0.0, text="Starting…")
    try:
        model_dir, _ = train(sources, settings=settings, progress=lambda f, m: bar.progress(f, text=m),
                             n_estimators=int(rounds), learning_rate=float(rate), max_depth=int(depth),
                             split=split, test_fraction=float(test_fraction), class_weights=bool(class_weights),
                             apparel_prefix=prefix)
    except TrendStudioError as exc:
        bar.empty()
        st.error(str(exc))
    else:
        bar.empty()
        st.session_state["pp_model"] = str(model_dir)
        st.success(f"Trained and saved model {model_dir.name}")

# 3 · results -----------------------------------------------------------------------------------
st.header("3 · Results")
models = list_models(settings.models_dir)
if not models:
    st.info("No model yet: train one above (about half a minute on the demo events).")
    st.stop()
paths = [m["path"] for m in models]
labels = {m["path"]: f"{m['id']} · macro-F1 {m['metrics']['macro_f1']:.3f} · "
          f"{', '.join(f['name'] for f in m['data']['files'])}" for m in models}
wanted = st.session_state.get("pp_model")
chosen = st.selectbox("Model", paths, index=paths.index(wanted) if wanted in paths else 0,
                      format_func=labels.get)
try:
    model = _model(chosen, (Path(chosen) / "model.json").stat().st_mtime)
except TrendStudioError as exc:
    st.error(str(exc))
    st.stop()
ev = model.meta["metrics"]
best_acc = max(b["accuracy"] for b in ev["baselines"].values())
best_f1 = max(b["macro_f1"] for b in ev["baselines"].values())
cols = st.columns(5)
cols[0].metric("Accuracy", f"{ev['accuracy']:.3f}", f"{ev['accuracy'] - best_acc:+.3f} vs best baseline")
cols[1].metric("Macro-F1", f"{ev['macro_f1']:.3f}", f"{ev['macro_f1'] - best_f1:+.3f} vs best baseline")
cols[2].metric("Balanced accuracy", f"{ev['balanced_accuracy']:.3f}")
cols[3].metric("Top-3 accuracy", f"{ev['top3_accuracy']:.3f}")
cols[4].metric("Test transitions", f"{ev['n_test']:,}", f"{ev['n_train']:,} train", delta_color="off")
split_info = model.meta["split"]
st.caption(f"{split_info['kind'].capitalize()} split: trained on {split_info['n_train']:,} transitions "
           f"(+{split_info['n_validation']:,} for early stopping, up to {split_info['train_until'][:16]}), "
           f"tested on {split_info['n_test']:,} from {split_info['test_from'][:16]}. "
           f"Best boosting round {model.meta['best_iteration'] + 1}.")
st.plotly_chart(charts.headline_figure(ev), width="stretch", key="pp_headline")

st.subheader("Per-category accuracy")
st.table(charts.per_category_table(ev).round(3))
st.plotly_chart(charts.per_category_figure(ev), width="stretch", key="pp_per_category")
st.download_button("Download evaluation JSON", json.dumps(ev, indent=2), f"evaluation-{model.meta['id']}.json",
                   "application/json", key="pp_dl_eval")

tab_cm, tab_cal, tab_shap, tab_reg, tab_pred = st.tabs(
    ["Confusion matrix", "Calibration", "Why (SHAP)", "Registry", "Predictions"], key="pp_tabs")
with tab_cm:
    st.plotly_chart(charts.confusion_figure(ev), width="stretch", key="pp_confusion")
with tab_cal:
    st.plotly_chart(charts.calibration_figure(ev), width="stretch", key="pp_calibration")
    st.caption("Each point groups test rows by the model's top-1 confidence; on the diagonal, a confidence of "
               "0.8 is right 80% of the time.")
with tab_shap:
    try:
        st.plotly_chart(charts.shap_global_figure(global_importance(chosen)), width="stretch", key="pp_shap_global")
        cls = st.selectbox("Class for the beeswarm", model.classes, key=f"pp_cls_{model.meta['id']}")
        st.plotly_chart(charts.beeswarm_figure(beeswarm(chosen, model.features, model.classes, cls), cls),
                        width="stretch", key="pp_beeswarm")
        customer = st.selectbox("Customer (from the explained test rows)", explained_customers(chosen),
                                key=f"pp_cust_{model.meta['id']}")
        st.plotly_chart(charts.waterfall_figure(waterfall(chosen, model.features, model.classes, customer)),
                        width="stretch", key="pp_waterfall")
    except TrendStudioError as exc:
        st.warning(str(exc))
with tab_reg:
    st.dataframe(charts.registry_table(models).round(3), hide_index=True, width="stretch")
    st.download_button("Download model.json (XGBoost JSON)", (Path(chosen) / "model.json").read_bytes(),
                       f"model-{model.meta['id']}.json", "application/json", key="pp_dl_model")
    st.download_button("Download meta.json", (Path(chosen) / "meta.json").read_bytes(),
                       f"meta-{model.meta['id']}.json", "application/json", key="pp_dl_meta")
with tab_pred:
    st.caption("Scores each customer's latest purchase plus the browsing since, from the events chosen above.")
    key = (chosen, tuple(sources), prefix)
    if st.button("Predict next category for every customer", key="pp_predict"):
        with st.spinner("Building features and scoring…"):
            try:
                st.session_state["pp_predictions"] = (key, predict_next(model, sources, settings=settings))
            except TrendStudioError as exc:
                st.error(str(exc))
    saved = st.session_state.get("pp_predictions")
    if saved and saved[0] == key:
        pred = saved[1]
        st.metric("Customers scored", f"{len(pred):,}")
        mix = pred["predicted_category"].value_counts().to_dict()
        st.plotly_chart(charts.category_mix(mix).update_layout(title="Predicted next category"), width="stretch", key="pp_predicted_mix")
        st.dataframe(pred.head(200), hide_index=True, width="stretch")
        st.download_button("Download predictions CSV", pred.to_csv(index=False), "predictions.csv", "text/csv",
                           key="pp_dl_pred")
