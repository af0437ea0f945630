"""The campaign's small parts: category shares, photo lookup, inputs, history, summary, training fallback."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from core.campaign import images, summary
from core.campaign.errors import CampaignError
from core.campaign.history import list_runs, record
from core.campaign.inputs import make_inputs
from core.campaign.run import provide_model
from core.imaging.export import thumbnail
from core.predictor.predict import category_shares
from core.settings import load_settings


def _settings(tmp_path: Path, campaign: dict | None = None):
    base = load_settings(env={"TRENDSTUDIO_DATA": str(tmp_path)})
    if campaign is None:
        return base
    return base.model_copy(update={"config": {**base.config, "campaign": campaign}})


@pytest.mark.parametrize("chosen", ["model", "naive"])
def test_category_shares_follow_the_chosen_forecast_with_top_counts_and_drop_the_pooled_class(chosen):
    frame = pd.DataFrame(
        {
            "user_id": range(10),
            "predicted_category": ["shoes"] * 5 + ["jeans"] * 2 + ["dress"] * 2 + ["other"],
            "confidence": [0.9] * 5 + [0.6, 0.8] + [0.5, 0.7] + [0.4],
        }
    )
    classes = ["dress", "jeans", "other", "shoes", "sock"]
    expected = [0.8, 0.8, 0.4, 1.4, 0.6]  # Σ P(buy)·P(category | buy): 4 buyers expected
    naive = [1, 3, 0, 4, 0]  # the last H days' buyers
    shares = category_shares(frame, expected, naive, classes, chosen)
    keep = ["category", "customers", "share", "expected_buyers", "forecast"]
    model_rows = [
        {"category": "shoes", "customers": 5, "share": 0.35, "expected_buyers": 1.4, "forecast": "model"},
        {"category": "dress", "customers": 2, "share": 0.2, "expected_buyers": 0.8, "forecast": "model"},
        {"category": "jeans", "customers": 2, "share": 0.2, "expected_buyers": 0.8, "forecast": "model"},
        # nobody's top prediction, yet 15% of the next purchases: a campaign must not drop it
        {"category": "sock", "customers": 0, "share": 0.15, "expected_buyers": 0.6, "forecast": "model"},
    ]
    naive_rows = [
        {"category": "shoes", "customers": 5, "share": 0.5, "expected_buyers": 4.0, "forecast": "naive"},
        {"category": "jeans", "customers": 2, "share": 0.375, "expected_buyers": 3.0, "forecast": "naive"},
        {"category": "dress", "customers": 2, "share": 0.125, "expected_buyers": 1.0, "forecast": "naive"},
        {"category": "sock", "customers": 0, "share": 0.0, "expected_buyers": 0.0, "forecast": "naive"},
    ]
    assert shares[keep].to_dict("records") == (model_rows if chosen == "model" else naive_rows)
    assert shares.set_index("category").loc["dress", "mean_confidence"] == 0.6
    assert shares.set_index("category").loc["shoes", ["model_share", "naive_share"]].tolist() == [0.35, 0.5]


def test_photos_are_found_in_category_folders_flat_files_and_through_aliases(tmp_path):
    (tmp_path / "Shoes").mkdir()
    for name in ("b.jpg", "a.png", "notes.txt", ".hidden.jpg"):
        (tmp_path / "Shoes" / name).write_bytes(b"x")
    (tmp_path / "tshirt.jpg").write_bytes(b"x")
    (tmp_path / "empty").mkdir()
    found = images.catalogue(tmp_path)
    assert {k: [p.name for p in v] for k, v in found.items()} == {
        "shoes": ["a.png", "b.jpg"],
        "tshirt": ["tshirt.jpg"],
    }
    assert [p.name for p in images.photos_for("shirt", found, {"shirt": "tshirt"})] == ["tshirt.jpg"]
    assert images.photos_for("sock", found, {"shirt": "tshirt"}) == []
    assert images.catalogue(tmp_path / "missing") == {}


def test_thumbnails_keep_aspect_and_flatten_transparency(tmp_path):
    src = tmp_path / "cut.png"
    Image.new("RGBA", (400, 200), (255, 0, 0, 0)).save(src)
    out = thumbnail(src, tmp_path / "t" / "cut.jpg", 100)
    with Image.open(out) as im:
        assert im.size == (100, 50) and im.mode == "RGB"
        assert im.getpixel((50, 25))[1] > 240  # transparent became white, not black


def test_inputs_take_config_defaults_then_overrides_and_reject_bad_values(tmp_path):
    settings = _settings(
        tmp_path, {"top": 4, "preset": "web", "aliases": {"shirt": "tshirt"}, "train": {"seed": 1}}
    )
    inputs = make_inputs(settings, top=None, per_category=2, images=str(tmp_path))
    assert (inputs.top, inputs.per_category, inputs.images) == (4, 2, str(tmp_path.resolve()))
    assert (
        inputs.aliases == {"shirt": "tshirt"} and inputs.train["seed"] == 1 and "n_estimators" in inputs.train
    )
    assert make_inputs(settings, posts="demo").posts == ["demo"]
    with pytest.raises(CampaignError, match="top"):
        make_inputs(settings, top=0)
    with pytest.raises(CampaignError, match="unknown key.*colour"):
        make_inputs(_settings(tmp_path, {"colour": "red"}))


def test_history_upserts_each_run_and_lists_newest_first(tmp_path):
    settings = _settings(tmp_path)
    assert list_runs(settings).empty
    base = {"out_dir": "/x", "stages": [], "figures": {}}
    record(settings, {**base, "run_id": "a", "started_at": "2026-01-01T10:00:00+00:00", "status": "running"})
    record(
        settings,
        {
            **base,
            "run_id": "b",
            "started_at": "2026-01-02T10:00:00+00:00",
            "status": "failed",
            "stages": [
                {"name": "trends", "status": "done", "error": None},
                {"name": "predictions", "status": "failed", "error": "bad events"},
            ],
        },
    )
    record(
        settings,
        {
            **base,
            "run_id": "a",
            "started_at": "2026-01-01T10:00:00+00:00",
            "status": "done",
            "figures": {
                "top_categories": [{"category": "shoes"}],
                "palette": ["#ffffff"],
                "images_done": 3,
                "images_failed": 0,
            },
        },
    )
    runs = list_runs(settings)
    assert list(runs["run_id"]) == ["b", "a"]
    assert runs.iloc[0][["status", "failed_stage", "error"]].tolist() == [
        "failed",
        "predictions",
        "bad events",
    ]
    assert runs.iloc[1]["top_categories"] == [{"category": "shoes"}] and runs.iloc[1]["images_done"] == 3


def test_summary_escapes_text_and_shows_each_pair():
    run = {
        "run_id": "r<1>",
        "status": "done",
        "stages": [{"name": "trends", "status": "done", "seconds": 1.25}],
        "figures": {
            "palette": ["#112233"],
            "scene": {"environment": "<script>"},
            "items": [
                {
                    "category": "shoes",
                    "name": "a.jpg",
                    "status": "done",
                    "before": "thumbs/b.jpg",
                    "after": "thumbs/a.jpg",
                    "error": "",
                },
                {"category": "shoes", "name": "b.jpg", "status": "failed", "error": "not an image"},
            ],
        },
    }
    html = summary.render(run)
    assert "r&lt;1&gt;" in html and "<script>" not in html and "&lt;script&gt;" in html
    assert "1.2 s" in html and "background:#112233" in html
    assert "src='thumbs/b.jpg'" in html and "src='thumbs/a.jpg'" in html and "not an image" in html


def test_without_a_model_one_is_trained_on_the_events_and_then_reused(tmp_path, demo_dir):
    settings = _settings(tmp_path)
    events = [str(demo_dir / "events.csv")]
    quick = {"n_estimators": 5, "max_depth": 3, "shap_sample": 20}
    model, trained = provide_model(events, settings, quick)
    assert trained and model.parent == settings.models_dir and (model / "model.json").is_file()
    again, trained_again = provide_model(events, settings, quick)
    assert again == model and not trained_again


def test_a_database_held_by_another_process_gives_a_clear_error(tmp_path):
    import subprocess
    import sys

    settings = _settings(tmp_path)
    settings.database_path.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', "
            "flush=True); time.sleep(30)",
            str(settings.database_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(CampaignError, match="busy"):
            list_runs(settings)
    finally:
        holder.kill()
        holder.wait()
    assert list_runs(settings).empty  # free again
