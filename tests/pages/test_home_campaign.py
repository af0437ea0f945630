"""Home's campaign panel in AppTest: start a run, see palette, categories and before/after images."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core import PROJECT_ROOT
from core.settings import load_settings
from tests.support.campaign_data import campaign_model  # noqa: F401  (fixture)


def test_run_campaign_from_home_shows_the_run_and_lists_it(campaign_model):  # noqa: F811
    at = AppTest.from_file(str(PROJECT_ROOT / "Home.py"), default_timeout=180).run()
    assert not at.exception
    top, per = at.number_input
    assert (top.label, per.label) == ("Top categories", "Photos per category")
    top.set_value(3)  # the demo's third most likely category, sock, has no photo: Home must say so
    per.set_value(1)
    # other tests may save models in the shared registry: use the campaign's quick demo model
    at.selectbox(key="campaign_model").set_value(str(campaign_model))
    at.button(key="run_campaign").click().run()
    assert not at.exception and not at.error

    # the run is the one shown: its palette, its top category and its before/after pair
    run_id = at.selectbox(key="campaign_show").value
    run = json.loads((load_settings().runs_dir / run_id / "run.json").read_text(encoding="utf-8"))
    assert run["status"] == "done" and run["inputs"]["model"] == str(campaign_model)
    fig = run["figures"]
    markdown = " ".join(m.value for m in at.markdown)
    assert all(c in markdown for c in fig["palette"])
    shown = at.dataframe[0].value
    assert list(shown["category"]) == [c["category"] for c in fig["top_categories"]]
    assert len(at.get("image")) == 2 * len(fig["top_categories"])
    # a category skipped for lack of photos is named, with its forecast share
    assert "sock" in fig["without_photos"]
    share = {r["category"]: r["share"] for r in fig["shares"]}["sock"]
    assert any(f"sock ({share:.1%})" in w.value for w in at.warning)
    captions = [c.value for c in at.caption]
    assert any(fig["style"] in c for c in captions)
    assert at.get("download_button")
    # earlier runs are listed, newest first, including this one
    assert run_id in list(at.dataframe[1].value["run_id"])
    # the rest of Home is still there
    assert at.title[0].value.endswith("Trend Studio") and {m.label for m in at.metric} >= {"Demo posts"}
    assert Path(run["out_dir"], "summary.html").is_file()

    # replaying it from Home makes a new run with the same image, byte for byte
    at.button(key=f"replay_{run_id}").click().run()
    assert not at.exception and not at.error
    again_id = at.selectbox(key="campaign_show").value
    again = json.loads((load_settings().runs_dir / again_id / "run.json").read_text(encoding="utf-8"))
    assert again_id != run_id and again["replay_of"] == run_id and again["status"] == "done"
    out = fig["items"][0]["output"]
    assert Path(again["out_dir"], out).read_bytes() == Path(run["out_dir"], out).read_bytes()


def test_a_failing_stage_is_named_on_home_and_earlier_outputs_stay_visible(campaign_model, monkeypatch):  # noqa: F811
    from core.predictor.errors import EventSchemaError

    def broken(*args, **kwargs):
        raise EventSchemaError("events.csv is missing column user_id; expected the REES46 schema")

    monkeypatch.setattr("core.campaign.run.forecast", broken)
    at = AppTest.from_file(str(PROJECT_ROOT / "Home.py"), default_timeout=180).run()
    at.selectbox(key="campaign_model").set_value(str(campaign_model))
    at.button(key="run_campaign").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "campaign stage 'predictions' failed" in errors and "missing column user_id" in errors
    run_id = at.selectbox(key="campaign_show").value
    run = json.loads((load_settings().runs_dir / run_id / "run.json").read_text(encoding="utf-8"))
    assert run["status"] == "failed" and [s["status"] for s in run["stages"]] == ["done", "failed"]
    # the trend stage's palette is still shown, and the report file is kept
    markdown = " ".join(m.value for m in at.markdown)
    assert all(c in markdown for c in run["figures"]["palette"])
    assert Path(run["out_dir"], "trend_report.json").is_file()


def test_home_picks_the_posts_and_never_mixes_saved_sources_silently(campaign_model):  # noqa: F811
    from core.trends import store
    from core.trends.posts import Post
    from core.trends.sources import load_posts

    settings = load_settings()
    demo = load_posts("demo", settings=settings).posts
    store.save_posts(demo, "demo", settings)
    old = [
        Post(id=f"old{i}", subreddit="rawdenim", title="indigo selvedge", created_utc=1360000000 + i)
        for i in range(5)
    ]
    store.save_posts(old, "r_rawdenim_2013.csv", settings)

    at = AppTest.from_file(str(PROJECT_ROOT / "Home.py"), default_timeout=180).run()
    assert not at.exception
    at.radio(key="campaign_posts").set_value("Saved posts").run()
    said = " ".join(t.value for t in at.text)
    assert "r_rawdenim_2013.csv (5)" in said and "demo (" in said and "several sources" in said

    at.radio(key="campaign_posts").set_value("Demo posts").run()
    assert "the demo corpus only" in " ".join(t.value for t in at.text)
    at.number_input[0].set_value(1)
    at.number_input[1].set_value(1)
    at.selectbox(key="campaign_model").set_value(str(campaign_model))
    at.button(key="run_campaign").click().run()
    assert not at.exception and not at.error
    run_id = at.selectbox(key="campaign_show").value
    run = json.loads((load_settings().runs_dir / run_id / "run.json").read_text(encoding="utf-8"))
    assert run["figures"]["sources"] == ["demo"] and run["figures"]["posts"] == len(demo)
    assert any("Posts analysed: demo" in t.value for t in at.text)
