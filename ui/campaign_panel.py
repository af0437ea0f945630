"""Home's campaign panel: start a run (or replay one) with progress, show a run, list earlier runs.

Thin: widgets -> core.campaign -> render. The run itself is synchronous; its progress callback drives
the progress bar inside an st.status box.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from core.campaign.errors import StageError
from core.campaign.folders import RUN_FILE, archive, load_run, new_run_dir
from core.campaign.history import list_runs
from core.campaign.inputs import campaign_config, make_inputs
from core.campaign.run import replay, run_campaign
from core.errors import TrendStudioError
from core.predictor.registry import latest_model, list_models
from core.progress import Progress
from core.settings import Settings
from ui.campaign_posts import posts_choice
from ui.safe_text import code, md
from ui.swatches import show_swatches

Job = Callable[[Path, Progress], object]


def campaign_panel(settings: Settings) -> None:
    """The whole "Campaign run" section of Home."""
    st.subheader("Campaign run")
    st.caption(
        "The three joined: the trend scene styles the photos of the categories customers are "
        "predicted to buy next. The same run is available headless: `python -m core run --out DIR`."
    )
    cfg = campaign_config(settings)
    left, right = st.columns([1, 3])
    with left:
        top = st.number_input("Top categories", min_value=1, max_value=10, value=int(cfg["top"]))
        per_category = st.number_input(
            "Photos per category", min_value=1, max_value=10, value=int(cfg["per_category"])
        )
        analyzers = ["offline", "groq"] if settings.groq_api_key else ["offline"]
        analyzer = st.selectbox(
            "Trend analyzer",
            analyzers,
            index=analyzers.index(cfg["analyzer"]) if cfg["analyzer"] in analyzers else 0,
            help="groq needs GROQ_API_KEY; its answers are cached, so a replay reads the same ones",
        )
        model = _model_choice(settings)
    with right:
        chosen = posts_choice(settings)
        st.text(f"The run will analyse {chosen.description}.")  # file names: plain text, never markdown
    with left:
        clicked = st.button("Run campaign", type="primary", key="run_campaign", disabled=not chosen.ready)
    with right:
        if clicked:
            inputs_of = dict(
                top=int(top),
                per_category=int(per_category),
                analyzer=analyzer,
                model=model,
                **chosen.overrides,
            )
            _execute(
                settings,
                "Running the campaign…",
                lambda out, progress: run_campaign(
                    out,
                    make_inputs(settings, **inputs_of),
                    settings=settings,
                    progress=progress,
                    run_id=out.name,
                ),
            )
        pending = st.session_state.pop("campaign_replay", None)
        if pending:
            _execute(
                settings,
                f"Replaying run {Path(pending).name}…",
                lambda out, progress: replay(
                    Path(pending) / RUN_FILE, out, settings=settings, progress=progress, run_id=out.name
                ),
            )
        runs = _runs(settings)
        if runs.empty:
            st.info("No campaign run yet: press **Run campaign** to make the first one.")
        else:
            _choose_and_show(runs)
    if not runs.empty:
        with st.expander(f"Earlier runs ({len(runs)})"):
            table = runs[
                [
                    "run_id",
                    "started_at",
                    "status",
                    "failed_stage",
                    "top_categories",
                    "images_done",
                    "seconds",
                    "replay_of",
                ]
            ].copy()
            table["top_categories"] = [
                ", ".join(c["category"] for c in cats) for cats in table["top_categories"]
            ]
            st.dataframe(table, hide_index=True)


def _model_choice(settings: Settings) -> str | None:
    """A saved model (newest first); None when there is none yet (the run trains a quick one)."""
    models = _models(str(settings.models_dir))
    if not models:
        st.caption(
            "Model: none trained yet; the run trains a quick one on the demo events (the Purchase "
            "Predictor's cutoff framing, with fewer boosting rounds)."
        )
        return None
    labels = {
        m["path"]: f"{m['id']}" + (f" · accuracy {m['accuracy']:.0%}" if m["accuracy"] is not None else "")
        for m in models
    }
    if st.session_state.get("campaign_model") not in labels:  # deleted since, or none chosen yet
        st.session_state.pop("campaign_model", None)
    return st.selectbox(
        "Model",
        list(labels),
        format_func=labels.get,
        key="campaign_model",
        help="newest first; train others on the Purchase Predictor page",
    )


def _models(root: str) -> list[dict]:
    return [
        {"path": m["path"], "id": Path(m["path"]).name, "accuracy": m.get("metrics", {}).get("accuracy")}
        for m in list_models(root)
    ]


def _execute(settings: Settings, label: str, job: Job) -> None:
    with st.status(label, expanded=True) as status:
        if latest_model(settings.models_dir) is None:
            st.write(
                "No trained model yet: a quick model is trained on the demo events first, in the "
                "Purchase Predictor's cutoff framing with fewer boosting rounds (a few seconds)."
            )
        bar = st.progress(0.0, text="starting…")
        out = new_run_dir(settings)
        try:
            job(out, lambda fraction, message: bar.progress(fraction, text=message))
        except StageError as exc:
            status.update(label=f"Campaign stage '{exc.stage}' failed", state="error")
            st.error(str(exc))
        except TrendStudioError as exc:
            status.update(label="Campaign run could not start", state="error")
            st.error(str(exc))
            return
        else:
            status.update(label="Campaign run finished", state="complete", expanded=False)
        st.session_state["campaign_show"] = out.name  # show the new run


def _runs(settings: Settings) -> pd.DataFrame:
    try:
        return list_runs(settings)
    except TrendStudioError as exc:
        st.warning(f"Run history unavailable: {exc}")
        return pd.DataFrame()


def _choose_and_show(runs: pd.DataFrame) -> None:
    ids = list(runs["run_id"])
    if st.session_state.get("campaign_show") not in ids:
        st.session_state.pop("campaign_show", None)
    labels = {
        r.run_id: f"{r.run_id} · {r.status}"
        + (f" at {r.failed_stage}" if isinstance(r.failed_stage, str) else "")
        for r in runs.itertuples()
    }
    chosen = st.selectbox("Show run", ids, format_func=labels.get, key="campaign_show")
    try:
        _show_run(load_run(runs.loc[runs["run_id"] == chosen, "out_dir"].iloc[0]))
    except TrendStudioError as exc:
        st.warning(str(exc))


@st.cache_data(show_spinner=False, max_entries=4)
def _zipped(run_dir: str, finished_at: str | None) -> bytes:
    return archive(run_dir)


def _show_run(run: dict) -> None:
    fig = run.get("figures", {})
    failed = [s for s in run["stages"] if s["status"] == "failed"]
    if failed:
        st.error(f"Stage **{failed[0]['name']}** failed: {md(failed[0]['error'])}")
    for warning in run.get("warnings", []):
        st.warning(md(warning))
    if fig.get("palette"):
        _palette(fig)
    if fig.get("top_categories"):
        st.markdown("**Top categories by predicted share of next purchases**")
        st.dataframe(
            [
                {
                    "category": c["category"],
                    "share": f"{c['share']:.1%}",
                    "customers": c["customers"],
                    "photos": ", ".join(c["photos"]),
                }
                for c in fig["top_categories"]
            ],
            hide_index=True,
        )
        st.caption(
            "share: the forecast share of the next purchases; customers: how many have it as their top "
            "prediction. " + fig.get("share_forecast", {}).get("sentence", "")
        )
    if fig.get("model_trained"):
        st.caption(
            "This run trained a quick model first: the Purchase Predictor's cutoff framing with fewer "
            "boosting rounds; train the full model on that page."
        )
    if fig.get("without_photos"):
        st.warning(f"Skipped for lack of photos: {_dropped(fig)}. File them as <images>/<category>/*.jpg.")
    root = Path(run["out_dir"])
    for item in fig.get("items", []):
        if not item.get("before"):
            st.warning(md(f"{item['category']}/{item['name']}: {item['error'] or 'no thumbnail'}"))
            continue
        b, a = st.columns(2)
        shown = code(str(item["category"]) + "/" + str(item["name"]))
        b.image(str(root / item["before"]), caption=f"before · {shown}")
        a.image(str(root / item["after"]), caption=f"after · {code(item['output'])}")
    if root.is_dir():
        d, r = st.columns(2)
        d.download_button(
            "Download the run (zip)",
            _zipped(str(root), run.get("finished_at")),
            file_name=f"campaign-{run['run_id']}.zip",
            mime="application/zip",
        )
        r.button(
            "Replay this run",
            key=f"replay_{run['run_id']}",
            on_click=_request_replay,
            args=(str(root),),
            help="run it again with the same posts window, model and options (a new run folder)",
        )


def _dropped(fig: dict) -> str:
    """The categories a run skipped for lack of photos, with their forecast share where known."""
    share = {row["category"]: row["share"] for row in fig.get("shares", [])}
    return ", ".join(f"{md(c)} ({share[c]:.1%})" if c in share else md(c) for c in fig["without_photos"])


def _request_replay(run_dir: str) -> None:
    st.session_state["campaign_replay"] = run_dir


def _palette(fig: dict) -> None:
    scene = fig.get("scene", {})
    st.markdown(f"**Trend palette** {md(' '.join(fig['palette']))}")
    show_swatches(fig["palette"], size="3rem")
    st.caption(
        f"{md(scene.get('environment', ''))}, {md(scene.get('lighting', ''))} · background style "
        f"**{fig.get('style', '—')}** · from {fig.get('posts', 0):,} posts"
    )
    if fig.get("sources"):  # file names: shown as plain text, never markdown
        st.text(f"Posts analysed: {', '.join(fig['sources'])} ({' → '.join(fig.get('date_range', []))})")
