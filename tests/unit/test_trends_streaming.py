"""Imports stream: the CLI analyses a dump without holding its posts, uploads are capped, one mapping parser."""

import json

import pytest
import zstandard

from core.cli import main
from core.settings import load_settings
from core.trends import store
from core.trends.errors import SourceError
from core.trends.posts import Post
from core.trends.readers import TooLargeError, parse_mapping
from core.trends.report import load_report
from core.trends.sources import iter_posts, load_posts

START = 1_767_571_200  # Monday 2026-01-05


def _dump(path, n: int) -> None:
    lines = [
        json.dumps(
            {
                "id": f"p{i}",
                "subreddit": "femalefashionadvice",
                "title": f"Outfit {i}: sage green jacket",
                "selftext": f"post number {i} " + "lorem ipsum " * 20,
                "created_utc": START + i * 3600,
                "score": i % 7,
            }
        )
        for i in range(n)
    ]
    path.write_bytes(zstandard.ZstdCompressor().compress(("\n".join(lines) + "\n").encode()))


def test_cli_trends_streams_every_post_into_the_report_and_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path / "data"))
    dump = tmp_path / "dump.ndjson.zst"
    _dump(dump, 1200)
    out = tmp_path / "report.json"
    assert main(["trends", str(dump), "--out", str(out)]) == 0
    report = load_report(out)
    assert report.meta.posts == 1200 and report.meta.relevant_posts == 1200
    assert report.meta.sources == ["dump.ndjson.zst"]
    settings = load_settings()
    assert store.sources_in(settings) == {"dump.ndjson.zst": 1200}


def test_cli_trends_no_store_leaves_the_database_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path / "data"))
    dump = tmp_path / "dump.ndjson.zst"
    _dump(dump, 50)
    assert main(["trends", str(dump), "--out", str(tmp_path / "r.json"), "--no-store"]) == 0
    assert store.sources_in(load_settings()) == {}


def test_saving_passes_posts_through_in_batches(tmp_path, monkeypatch):
    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path))
    settings = load_settings()
    posts = (Post(id=str(i), subreddit="a", title="t", created_utc=START + i) for i in range(25))
    seen = [p.id for p in store.saving(posts, "gen", settings, batch=10)]
    assert seen == [str(i) for i in range(25)]
    assert store.sources_in(settings) == {"gen": 25}
    assert store.sources_in(settings, since="2026-01-05", until=START + 5) == {"gen": 5}


def test_a_small_zst_that_inflates_past_the_cap_is_refused(tmp_path):
    bomb = tmp_path / "bomb.ndjson.zst"
    line = json.dumps({"id": "x", "title": "a", "created_utc": START, "selftext": "z" * 4000}) + "\n"
    bomb.write_bytes(zstandard.ZstdCompressor(level=19).compress(line.encode() * 3000))  # ~12 MB inflated
    assert bomb.stat().st_size < 100_000
    with pytest.raises(TooLargeError, match=r"larger than 1 MB once decompressed.*max_upload_mb"):
        load_posts(bomb, max_bytes=2**20)
    assert len(load_posts(bomb).posts) == 1  # no cap: read in full (the same post 3,000 times)


def test_a_plain_file_over_the_cap_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"id": "x", "title": "a " * 400, "created_utc": START}) + "\n")
    with pytest.raises(TooLargeError):
        list(iter_posts([path], max_bytes=100))


def test_field_column_pairs_are_parsed_in_one_place():
    assert parse_mapping(["title=Headline", " Created_UTC = When "]) == {
        "title": "Headline",
        "created_utc": "When",
    }
    with pytest.raises(SourceError, match="FIELD=COLUMN"):
        parse_mapping(["title"])
    with pytest.raises(SourceError, match="not a post field"):
        parse_mapping(["headline=Title"])
