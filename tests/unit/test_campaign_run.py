"""Campaign runs through the CLI on the demo data: end to end, byte-for-byte replay, stage failures."""

from __future__ import annotations

import csv
import json
from html import escape
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from core.campaign.history import list_runs
from core.campaign.inputs import campaign_config
from core.cli import main
from core.settings import load_settings
from tests.support.campaign_data import campaign_model  # noqa: F401  (fixture)

DEMO_PHOTOS = {"tshirt", "dress", "jeans", "skirt", "jacket", "shoes"}


@pytest.fixture(scope="module")
def first_run(campaign_model, tmp_path_factory) -> tuple[Path, int, str]:  # noqa: F811
    out = tmp_path_factory.mktemp("campaign") / "run1"
    # --posts demo and --model: other tests may store posts and models in the shared data folder
    argv = ["run", "--out", str(out), "--posts", "demo", "--model", str(campaign_model)]
    code = main([*argv, "--top", "2", "--per-category", "1"])
    return out, code, str(campaign_model)


def _run_json(out: Path) -> dict:
    return json.loads((out / "run.json").read_text(encoding="utf-8"))


def test_cli_run_on_demo_data_writes_every_artefact(first_run):
    out, code, model = first_run
    assert code == 0
    run = _run_json(out)
    assert run["status"] == "done"
    assert [(s["name"], s["status"]) for s in run["stages"]] == [
        ("trends", "done"),
        ("predictions", "done"),
        ("select", "done"),
        ("images", "done"),
    ]
    fig = run["figures"]

    # trends: the report is a valid trend report and its scene is what styled the images
    report = json.loads((out / "trend_report.json").read_text(encoding="utf-8"))
    assert report["meta"]["posts"] == fig["posts"] > 2000
    assert fig["palette"] == report["scene"]["colors"] and all(c.startswith("#") for c in fig["palette"])

    # predictions: one row per customer, likeliest buyer first; shares follow the volume forecast that
    # won the model's backtest, and category_shares.csv says which one that is
    predictions = pd.read_csv(out / "predictions.csv")
    assert list(predictions.columns) == [
        "user_id",
        "last_category",
        "predicted_category",
        "confidence",
        "top3",
        "p_buy",
    ]
    assert predictions["p_buy"].is_monotonic_decreasing
    assert len(predictions) == fig["customers"] == predictions["user_id"].nunique() > 1000
    counts = predictions["predicted_category"].value_counts()
    shares = pd.read_csv(out / "category_shares.csv")
    for row in shares.itertuples():
        assert row.customers == counts.get(row.category, 0)
    assert list(shares["share"]) == sorted(shares["share"], reverse=True)
    assert 0.8 < shares["share"].sum() <= 1.0001  # the pooled "other" class is left out
    # the forecast follows the purchase mix; counting top predictions would inflate the largest class
    top = shares.iloc[0]
    assert top["model_share"] < top["customers"] / len(predictions)
    backtest = json.loads((Path(model) / "meta.json").read_text())["metrics"]["share_forecast"]
    lower = "model" if backtest["model_mae"] < backtest["naive_mae"] else "naive"
    assert set(shares["forecast"]) == {lower} == {fig["share_forecast"]["chosen"]}
    assert list(shares["share"]) == list(shares[f"{lower}_share"])
    assert "backtest share error" in fig["share_forecast"]["sentence"]
    assert escape(fig["share_forecast"]["sentence"]) in (out / "summary.html").read_text(encoding="utf-8")

    # the top 2 categories that have photos (directly or through an alias), in predicted-share order
    aliases = campaign_config(load_settings())["aliases"]
    with_photos = [c for c in shares["category"] if c in DEMO_PHOTOS or aliases.get(c) in DEMO_PHOTOS]
    chosen = [c["category"] for c in fig["top_categories"]]
    assert chosen == with_photos[:2]
    assert fig["without_photos"] == [
        c for c in shares["category"][: shares["category"].tolist().index(chosen[-1])] if c not in with_photos
    ]

    # images: one per category, web preset (WebP), thumbnails and a report row each
    assert fig["images_done"] == 2 and fig["images_failed"] == 0
    for item in fig["items"]:
        with Image.open(out / item["output"]) as im:
            assert im.format == "WEBP" and max(im.size) >= 1000
        for thumb in (item["before"], item["after"]):
            with Image.open(out / thumb) as im:
                assert max(im.size) == campaign_config(load_settings())["thumb_size"]
    with open(out / "images" / "report.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["category"], r["status"]) for r in rows] == [(c, "done") for c in chosen]

    # a readable summary with the thumbnails, and the inputs pinned for a replay
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert all(item["after"] in html and item["before"] in html for item in fig["items"])
    assert run["inputs"]["model"] == model and run["inputs"]["posts"] == ["demo"]
    assert fig["model_trained"] is False and fig["model"] == Path(model).name
    assert "secret" not in json.dumps(run["settings"]).replace("reddit_client_secret", "")

    # the history in the embedded database lists it
    runs = list_runs(load_settings())
    row = runs[runs["run_id"] == run["run_id"]].iloc[0]
    assert row["status"] == "done" and row["images_done"] == 2
    assert [c["category"] for c in row["top_categories"]] == chosen


def test_replay_reproduces_report_predictions_and_images_byte_for_byte(first_run, tmp_path):
    out, _, _ = first_run
    again = tmp_path / "replay"
    assert main(["run", "--replay", str(out / "run.json"), "--out", str(again)]) == 0
    run = _run_json(again)
    assert run["replay_of"] == _run_json(out)["run_id"] != run["run_id"] and run["warnings"] == []
    compared = [
        "trend_report.json",
        "predictions.csv",
        "category_shares.csv",
        *sorted(p.relative_to(out).as_posix() for p in (out / "images").rglob("*.webp")),
    ]
    assert len(compared) == 5
    for name in compared:
        assert (again / name).read_bytes() == (out / name).read_bytes(), name

    # report.csv differs only in the volatile timing column
    def rows(folder: Path) -> list[dict]:
        with open(folder / "images" / "report.csv", newline="") as fh:
            return [
                {k: v for k, v in r.items() if k not in ("seconds", "output")} for r in csv.DictReader(fh)
            ]

    assert rows(again) == rows(out)


def test_corrupt_events_fail_the_predictions_stage_and_keep_the_trend_report(
    campaign_model,  # noqa: F811
    tmp_path,
    capsys,
):
    bad = tmp_path / "events.csv"
    bad.write_bytes(b"event_time,event_type,product_id\n\x00\x01garbage,,\nnot,a,csv\n")
    out = tmp_path / "run"
    code = main(
        ["run", "--out", str(out), "--posts", "demo", "--events", str(bad), "--model", str(campaign_model)]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "campaign stage 'predictions' failed" in err and "category_code" in err
    run = _run_json(out)
    assert run["status"] == "failed"
    assert [(s["name"], s["status"]) for s in run["stages"]] == [
        ("trends", "done"),
        ("predictions", "failed"),
    ]
    assert "missing columns" in run["stages"][1]["error"]
    report = json.loads((out / "trend_report.json").read_text(encoding="utf-8"))
    assert report["meta"]["posts"] > 2000 and report["scene"]["colors"]
    assert not (out / "predictions.csv").exists() and not (out / "images").exists()
    assert "failed" in (out / "summary.html").read_text(encoding="utf-8")
    row = list_runs(load_settings()).set_index("run_id").loc[run["run_id"]]
    assert row["status"] == "failed" and row["failed_stage"] == "predictions"


def test_a_folder_that_holds_a_run_is_not_overwritten(first_run, capsys):
    out, _, _ = first_run
    before = (out / "run.json").read_bytes()
    assert main(["run", "--out", str(out)]) == 1
    assert "already holds a campaign run" in capsys.readouterr().err
    assert (out / "run.json").read_bytes() == before


def test_replay_of_something_that_is_not_a_run_is_explained(tmp_path, capsys):
    assert main(["run", "--replay", str(tmp_path / "nope.json"), "--out", str(tmp_path / "o")]) == 1
    assert "does not exist" in capsys.readouterr().err
    fake = tmp_path / "run.json"
    fake.write_text('{"hello": 1}')
    assert main(["run", "--replay", str(fake), "--out", str(tmp_path / "o2")]) == 1
    assert "is not a campaign run.json" in capsys.readouterr().err


def test_stored_posts_are_pinned_so_later_imports_do_not_change_a_replay(tmp_path, demo_dir):
    from core.campaign.errors import StageError
    from core.campaign.inputs import make_inputs
    from core.campaign.run import replay, run_campaign
    from core.trends.sources import load_posts
    from core.trends.store import save_posts

    settings = load_settings(env={"TRENDSTUDIO_DATA": str(tmp_path / "data")})
    posts = sorted(load_posts("demo", settings=settings).posts, key=lambda p: p.created_utc)
    cut = len(posts) * 2 // 3
    save_posts(posts[:cut], "demo", settings)
    # only the trends stage matters here: a missing model stops each run at the predictions stage
    inputs = make_inputs(settings, model=str(tmp_path / "no-model"))
    with pytest.raises(StageError) as first:
        run_campaign(tmp_path / "a", inputs, settings=settings)
    assert first.value.stage == "predictions" and "does not exist" in first.value.reason
    pinned = _run_json(tmp_path / "a")["inputs"]
    assert pinned["posts_from_store"] and pinned["until"] == posts[cut - 1].created_utc + 1

    save_posts(posts[cut:], "demo", settings)  # a later import of newer posts
    with pytest.raises(StageError):
        replay(tmp_path / "a" / "run.json", tmp_path / "b", settings=settings)
    assert (tmp_path / "b" / "trend_report.json").read_bytes() == (
        tmp_path / "a" / "trend_report.json"
    ).read_bytes()
    assert json.loads((tmp_path / "a" / "trend_report.json").read_text())["meta"]["posts"] == cut
    with pytest.raises(StageError):  # a new run sees everything stored
        run_campaign(
            tmp_path / "c", make_inputs(settings, model=str(tmp_path / "no-model")), settings=settings
        )
    assert json.loads((tmp_path / "c" / "trend_report.json").read_text())["meta"]["posts"] == len(posts)


def test_photos_filed_by_category_and_a_bad_photo_does_not_stop_the_others(
    campaign_model,  # noqa: F811
    tmp_path,
    capsys,
    demo_dir,
):
    photos = tmp_path / "photos"
    categories = [
        "shoes",
        "sock",
        "trousers",
        "tshirt",
        "jeans",
        "shirt",
        "skirt",
        "costume",
        "jacket",
        "dress",
    ]
    for category in categories:  # only the top category is used; each gets a bad and a good photo
        (photos / category).mkdir(parents=True)
        (photos / category / "a_bad.jpg").write_bytes(b"this is not a photo")
        (photos / category / "b_good.jpg").write_bytes((demo_dir / "images" / "skirt.jpg").read_bytes())
    out = tmp_path / "run"
    argv = ["run", "--out", str(out), "--images", str(photos), "--top", "1", "--per-category", "2"]
    code = main([*argv, "--model", str(campaign_model)])
    assert code == 1  # like every batch command: the others are done, the exit status reports the failure
    captured = capsys.readouterr()
    run = _run_json(out)
    assert run["status"] == "done"
    top = run["figures"]["top_categories"][0]["category"]
    assert run["figures"]["top_categories"][0]["photos"] == ["a_bad.jpg", "b_good.jpg"]
    assert f"failed  {top}/a_bad.jpg" in captured.err and "1 done, 1 failed" in captured.out
    items = {i["name"]: i for i in run["figures"]["items"]}
    assert items["a_bad.jpg"]["status"] == "failed" and items["a_bad.jpg"]["error"]
    assert (out / items["b_good.jpg"]["output"]).is_file() and items["b_good.jpg"]["output"].startswith(
        f"images/{top}/"
    )
    assert escape(items["a_bad.jpg"]["error"]) in (out / "summary.html").read_text(encoding="utf-8")


def test_bad_options_are_refused_before_any_work(tmp_path, capsys):
    assert main(["run", "--out", str(tmp_path / "a"), "--preset", "poster"]) == 1
    assert "poster" in capsys.readouterr().err and not (tmp_path / "a").exists()
    assert main(["run", "--out", str(tmp_path / "b"), "--style", "lava"]) == 1
    assert "lava" in capsys.readouterr().err and not (tmp_path / "b").exists()
    assert (
        main(["run", "--out", str(tmp_path / "c"), "--replay", str(tmp_path / "run.json"), "--top", "2"]) == 1
    )
    assert "drop --top" in capsys.readouterr().err
