"""The offline analyzer against planted truth and real posts; scene, saved report, store and CLI."""

import json
from datetime import date

import pytest

from core.cli import main
from core.demo.posts import planted_truth
from core.settings import load_settings
from core.trends import store
from core.trends.analyzers import offline as analyze_module
from core.trends.analyzers.offline import analyze
from core.trends.clean import engagement
from core.trends.errors import AnalysisError
from core.trends.lexicon import load_lexicon
from core.trends.posts import Post
from core.trends.report import TrendReport, load_report, save_report
from core.trends.scene import derive_scene
from core.trends.sense import sense_of
from core.trends.sources import load_posts
from tests.support.trends_data import reddit_dir

CATEGORY_LISTS = ("colors", "styles", "materials", "patterns", "lighting", "environments")


@pytest.fixture(scope="module")
def demo_report(demo_dir) -> TrendReport:
    return analyze(load_posts("demo").posts, sources=["demo"])


def test_planted_rising_terms_top_emerging_and_flat_or_falling_do_not(demo_report):
    truth = planted_truth()
    rising = {t for t, v in truth.items() if v["kind"] == "rising"}
    others = {t for t, v in truth.items() if v["kind"] != "rising"}
    emerging = [e.term for e in demo_report.emerging]
    assert set(emerging[: len(rising)]) == rising
    assert not others & set(emerging)
    for e in demo_report.emerging[: len(rising)]:
        onset = date.fromisoformat(truth[e.term]["onset"])
        assert abs((date.fromisoformat(e.first_seen) - onset).days) <= 10, e
        assert e.momentum > 1.0 and e.p_value < 1e-6
    momentum = {t.name: t.momentum for name in CATEGORY_LISTS for t in getattr(demo_report, name)}
    assert momentum["neon green"] < -0.5 and momentum["y2k"] < -0.5
    assert all(abs(momentum[t]) < 0.35 for t in ("black", "navy", "denim", "minimalist"))


def test_every_term_has_evidence_that_mentions_it(demo_report):
    posts = {p.id: p for p in load_posts("demo").posts}
    lexicon = load_lexicon()
    for name in CATEGORY_LISTS:
        items = getattr(demo_report, name)
        assert items, name
        assert abs(sum(t.share for t in items) - 1.0) < 1e-6 or len(items) == 25
        for term in items:
            assert 1 <= len(term.evidence) <= 5
            for evidence in term.evidence:
                post = posts[evidence.id]
                found = sense_of(lexicon, f"{post.title}\n{post.text}\n" + "\n".join(post.comments))
                assert (name, term.name) in found, (term.name, evidence.id)
            ranks = [engagement(posts[e.id].score, posts[e.id].num_comments) for e in term.evidence]
            assert ranks == sorted(ranks, reverse=True)


def test_report_meta_series_heatmap_topics_and_scene(demo_report):
    meta = demo_report.meta
    assert meta.posts == 2879 and meta.analyzer == "offline" and meta.sources == ["demo"]
    assert meta.date_range == ["2026-05-02", "2026-10-30"]
    assert len(demo_report.weeks) == 27
    series = {s.term: s for s in demo_report.series}
    butter = series["butter yellow"]
    assert sum(butter.mentions[-8:]) > 5 * sum(butter.mentions[:8])
    assert {s.subreddit for s in demo_report.subreddits} == {
        "femalefashionadvice",
        "malefashionadvice",
        "streetwear",
        "OUTFITS",
        "fashion",
    }
    assert sum(s.posts for s in demo_report.subreddits) == meta.relevant_posts
    assert 3 <= len(demo_report.topics) <= 6
    assert abs(sum(t.share for t in demo_report.topics) - 1.0) < 1e-6
    scene = demo_report.scene
    assert scene.colors[0] == "#f6e08a"  # butter yellow: big and rising
    assert "suede" in scene.textures and "butter yellow" in scene.prompt
    assert scene == derive_scene(demo_report)


def test_real_posts_give_a_sensible_report():
    result = load_posts(sorted(reddit_dir().glob("*.csv")))
    report = analyze(result.posts, sources=["real"])
    assert report.meta.posts == len(result.posts) == 2998
    assert 1000 < report.meta.relevant_posts < report.meta.posts  # DesignPorn has non-visual posts
    assert report.meta.date_range[0] >= "2008" and report.meta.date_range[1] <= "2013-12-31"
    top_colours = [c.name for c in report.colors[:6]]
    assert "black" in top_colours and "white" in top_colours
    assert {"leather", "denim"} & {m.name for m in report.materials[:5]}
    assert all(t.evidence for name in CATEGORY_LISTS for t in getattr(report, name))
    assert report.topics and report.scene.colors
    subs = {s.subreddit for s in report.subreddits}
    assert subs == {"malefashionadvice", "femalefashionadvice", "DesignPorn"}


def test_since_window_and_no_posts_errors(demo_report):
    posts = load_posts("demo").posts
    late = analyze(posts, since="2026-09-01")
    assert late.meta.posts < demo_report.meta.posts / 2
    assert late.meta.date_range[0] >= "2026-09-01"
    with pytest.raises(AnalysisError, match="no posts"):
        analyze([])
    noise = [
        Post(id=str(i), subreddit="x", title="Quarterly earnings call", created_utc=1790000000 + i)
        for i in range(5)
    ]
    with pytest.raises(AnalysisError, match="none of the 5 posts"):
        analyze(noise)


def test_progress_is_reported_in_order(demo_report):
    seen = []
    analyze(load_posts("demo").posts[:600], progress=lambda f, msg: seen.append((f, msg)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_save_report_writes_the_file_and_the_studio_default(demo_report, tmp_path):
    settings = load_settings()
    out = save_report(demo_report, tmp_path / "r.json", settings)
    assert load_report(out) == demo_report
    assert json.loads(settings.latest_report_path.read_text())["scene"]["colors"][0] == "#f6e08a"
    bad = tmp_path / "bad.json"
    bad.write_text('{"meta": {}}')
    with pytest.raises(Exception, match="not a valid trend report"):
        load_report(bad)


def test_store_keeps_posts_across_imports_and_queries_windows(tmp_path):
    settings = load_settings(env={"TRENDSTUDIO_DATA": str(tmp_path)})
    posts = load_posts("demo").posts
    assert store.save_posts(posts[:1000], "demo", settings) == 1000
    assert store.save_posts(posts[500:1500], "demo-2", settings) == 500  # 500 overlap, unchanged: kept as is
    assert store.save_posts(posts[:1000], "demo", settings) == 0  # a re-import writes nothing
    rescored = posts[0].model_copy(update={"score": posts[0].score + 100})
    assert store.save_posts([rescored], "demo-3", settings) == 1  # a newer snapshot refreshes the row
    assert len(store.query_posts(settings)) == 1500
    assert next(p for p in store.query_posts(settings) if p.id == rescored.id).score == rescored.score
    window = store.query_posts(settings, since="2026-06-01", until="2026-07-01", subreddits=["fashion"])
    assert window and all(
        p.subreddit == "fashion" and "2026-06" in date.fromtimestamp(p.created_utc).isoformat()
        for p in window
    )
    assert window[0].comments == next(p for p in posts if p.id == window[0].id).comments
    summary = store.summary(settings)
    assert summary["posts"].sum() == 1500 and set(summary["source"]) == {"demo", "demo-2", "demo-3"}


def test_cli_writes_report_and_reports_bad_input(tmp_path, capsys, demo_dir):
    out = tmp_path / "report.json"
    assert main(["trends", "demo", "--out", str(out), "--since", "2026-06-01"]) == 0
    report = load_report(out)
    assert report.meta.date_range[0] >= "2026-06-01"
    assert "emerging: " in capsys.readouterr().out
    assert main(["trends", str(tmp_path / "nope.csv"), "--out", str(out)]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["trends", "demo", "--out", str(out), "--map", "title"]) == 1
    assert "FIELD=COLUMN" in capsys.readouterr().err


def test_pipelined_matching_in_worker_processes_gives_the_same_report(demo_report, monkeypatch):
    base = load_settings()
    config = {
        **base.config,
        "trends": {
            **base.config["trends"],
            "analysis": {**base.config["trends"]["analysis"], "chunk_size": 700},
        },
    }
    settings = base.model_copy(update={"config": config})
    posts = load_posts("demo").posts
    serial = analyze(posts, sources=["demo"], settings=settings, workers=1)
    calls = []
    real = analyze_module.pipelined
    monkeypatch.setattr(analyze_module, "pipelined", lambda *a: calls.append(1) or real(*a))
    monkeypatch.setattr(analyze_module, "can_fork", lambda: True)  # other tests may leave threads behind
    parallel = analyze(iter(posts), sources=["demo"], settings=settings, workers=2)
    assert calls == [1]  # the worker-process path really ran
    assert parallel == serial
    assert [e.term for e in parallel.emerging] == [e.term for e in demo_report.emerging]
