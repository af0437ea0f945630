import csv
import json

import pandas as pd
import pytest
import zstandard

from core.settings import load_settings
from core.trends.errors import SourceError
from core.trends.records import to_epoch
from core.trends.sources import load_posts
from tests.support.trends_data import reddit_dir

GOOD = {
    "id": "abc",
    "subreddit": "streetwear",
    "title": "Sage green [jacket](https://x.y/z) fit",
    "selftext": "**Suede** collar https://imgur.com/a.jpg",
    "score": 12,
    "num_comments": 3,
    "created_utc": 1790000000,
    "author": "someone",
    "permalink": "/r/streetwear/comments/abc/x/",
}


def _ndjson(records) -> bytes:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records).encode() + b"\n"


def test_demo_corpus_imports_and_cleans(demo_dir):
    result = load_posts("demo")
    lines = (demo_dir / "posts.jsonl").read_text().splitlines()
    assert result.read == len(lines)
    assert result.reasons == {"bot or moderator post": 1, "deleted or removed": 1, "duplicate": 1}
    assert len({p.id for p in result.posts}) == len(result.posts) == len(lines) - 3
    assert not any("http" in p.text or "**" in p.text for p in result.posts)


def test_real_reddit_csvs_import_without_loss():
    files = sorted(reddit_dir().glob("*.csv"))
    assert len(files) == 3
    for path in files:
        result = load_posts(path)
        with open(path, newline="", encoding="utf-8") as fh:
            rows = sum(1 for _ in csv.DictReader(fh))
        assert rows == len(pd.read_csv(path)) > 900
        assert len(result.posts) == rows, (path.name, result.reasons)
        assert result.skipped == 0
        assert {p.subreddit for p in result.posts} == {path.stem}
        assert all(p.created_utc > 1_200_000_000 for p in result.posts)
        assert all(p.url.startswith("http://www.reddit.com/r/") for p in result.posts)
    # several files at once: still nothing lost, nothing duplicated
    together = load_posts(files)
    assert len(together.posts) == 2998 and together.skipped == 0


def test_zst_ndjson_streams_with_dump_quirks(tmp_path):
    records = [
        {**GOOD, "created_utc": "1790000000"},  # string timestamp (old Pushshift)
        {
            **GOOD,
            "id": "def",
            "title": "Cream coat",
            "score": None,
            "ups": 7,  # null score: falls back to ups
            "permalink": "/r/streetwear/comments/def/x/",
        },
        "{not json",
        {
            "kind": "t3",
            "data": {
                **GOOD,
                "id": "ghi",
                "subreddit": "fashion",
                "author": "other",
                "permalink": "/r/fashion/comments/ghi/x/",
            },
        },  # API wrapper
        {
            **GOOD,
            "id": "jkl",
            "created_utc": None,
            "created": "2026-09-01T10:00:00Z",
            "permalink": "/r/streetwear/comments/jkl/x/",
        },
        {**GOOD, "id": "abc"},  # duplicate id
        {**GOOD, "id": "mno", "title": "[deleted]", "selftext": "[removed]"},
        [1, 2, 3],
    ]
    path = tmp_path / "RS_2026-09.zst"
    # a long-window frame, like the real Pushshift dumps (needs max_window_size=2**31 to read)
    params = zstandard.ZstdCompressionParameters.from_level(19, window_log=28)
    path.write_bytes(zstandard.ZstdCompressor(compression_params=params).compress(_ndjson(records * 400)))
    result = load_posts(path)
    assert [p.id for p in result.posts] == ["abc", "def", "ghi", "jkl"]
    assert result.posts[1].score == 7
    assert result.posts[0].title == "Sage green jacket fit" and result.posts[0].text == "Suede collar"
    assert result.posts[0].url == "https://www.reddit.com/r/streetwear/comments/abc/x/"
    assert result.posts[3].created_utc == to_epoch("2026-09-01T10:00:00+00:00")
    assert result.reasons["invalid JSON line"] == 400
    assert result.reasons["not a JSON object"] == 400
    assert result.reasons["deleted or removed"] == 400
    assert result.reasons["duplicate"] == 4 * 400 - 4 + 400
    assert result.read == len(records) * 400


def test_relisted_posts_count_once_and_keep_the_newest_snapshot(tmp_path):
    hot = {**GOOD, "score": 5, "num_comments": 1}
    top = {
        **GOOD,
        "id": "zzz",
        "subreddit": "fashion",
        "score": 90,
        "num_comments": 40,
        "permalink": "https://www.reddit.com/r/streetwear/comments/abc/x",
    }  # other id/label, same post
    controversial = {
        **GOOD,
        "id": "yyy",
        "permalink": "",
        "score": 50,
        "num_comments": 20,
    }  # author+time+title
    other = {**GOOD, "id": "new", "author": "someone else", "permalink": "/r/streetwear/comments/new/x/"}
    (tmp_path / "hot.jsonl").write_bytes(_ndjson([hot, other]))
    (tmp_path / "top.jsonl").write_bytes(_ndjson([top, controversial]))
    result = load_posts([tmp_path / "hot.jsonl", tmp_path / "top.jsonl"])
    assert [p.id for p in result.posts] == ["zzz", "new"]  # the newest snapshot (most comments) in the slot
    assert result.posts[0].score == 90
    assert result.reasons == {"duplicate": 2} and result.read == 4


def test_json_listing_and_array_files(tmp_path):
    listing = {
        "kind": "Listing",
        "data": {
            "children": [
                {"kind": "t3", "data": GOOD},
                {"kind": "t3", "data": {**GOOD, "id": "x2", "title": "Navy x2", "permalink": ""}},
            ]
        },
    }
    (tmp_path / "hot.json").write_text(json.dumps(listing))
    assert [p.id for p in load_posts(tmp_path / "hot.json").posts] == ["abc", "x2"]
    (tmp_path / "arr.json").write_text(
        json.dumps([GOOD, {**GOOD, "id": "x3", "title": "Navy x3", "permalink": ""}])
    )
    assert len(load_posts(tmp_path / "arr.json").posts) == 2
    (tmp_path / "lines.json").write_bytes(
        _ndjson([GOOD, {**GOOD, "id": "x4", "title": "Navy x4", "permalink": ""}])
    )  # NDJSON named .json
    assert len(load_posts(tmp_path / "lines.json").posts) == 2


def test_csv_variants_delimiters_and_mapping(tmp_path):
    (tmp_path / "OUTFITS.csv").write_text(
        "Title;Body;Ups;Created UTC;Num_Comments\n"
        '"Cream linen; breezy";"multi\nline body";5;2026-09-01 12:00:00;2\n'
        "Olive chinos;;x;1790000000;1\n"
        "bad date;;1;yesterday;0\n"
        "too;many;columns;1;2;3\n"
    )
    result = load_posts(tmp_path / "OUTFITS.csv")
    assert [(p.title, p.text, p.score, p.subreddit) for p in result.posts] == [
        ("Cream linen; breezy", "multi\nline body", 5, "OUTFITS"),
        ("Olive chinos", "", 0, "OUTFITS"),
    ]
    assert result.reasons == {"missing or invalid created_utc": 1, "wrong number of columns": 1}
    (tmp_path / "export.tsv").write_text("Headline\tWhen\tForum\nNavy coat\t1790000000\tmalefashionadvice\n")
    with pytest.raises(SourceError, match="missing column"):
        load_posts(tmp_path / "export.tsv")
    mapped = load_posts(
        tmp_path / "export.tsv", mapping={"title": "Headline", "created_utc": "When", "subreddit": "Forum"}
    )
    assert [(p.title, p.subreddit, p.created_utc) for p in mapped.posts] == [
        ("Navy coat", "malefashionadvice", 1790000000)
    ]
    with pytest.raises(SourceError, match="nope not in the header"):
        load_posts(tmp_path / "export.tsv", mapping={"title": "Nope"})


def test_since_filters_and_bad_since_is_an_error(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(_ndjson([GOOD, {**GOOD, "id": "new", "title": "Newer", "created_utc": 1795000000}]))
    result = load_posts(path, since="2026-11-01")
    assert [p.id for p in result.posts] == ["new"] and result.reasons == {"before --since": 1}
    with pytest.raises(SourceError, match="not a date"):
        load_posts(path, since="last tuesday")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.jsonl", None, "does not exist"),
        ("empty.csv", b"", "is empty"),
        ("blank.csv", b"\n\n", "empty"),
        ("posts.xlsx", b"PK\x03\x04", "unknown format"),
        ("noext", b"data", "no extension"),
        ("fake.zst", b"this is not zstandard", "not a zstandard file"),
        ("broken.json", b'[{"id": 1,', "not valid JSON"),
        ("cols.csv", b"foo,bar\n1,2\n", "missing column"),
    ],
)
def test_unreadable_sources_raise_a_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SourceError, match=message):
        load_posts(path)


def test_garbage_lines_and_truncated_zst_are_counted_not_fatal(tmp_path):
    path = tmp_path / "mixed.ndjson"
    path.write_bytes(b"\x00\xff garbage\n" + _ndjson([GOOD]) + b'{"id": \n')
    result = load_posts(path)
    assert len(result.posts) == 1 and result.reasons == {"invalid JSON line": 2}
    data = zstandard.ZstdCompressor().compress(
        _ndjson([{**GOOD, "id": f"p{i}", "title": f"Cream coat {i}"} for i in range(2000)])
    )
    (tmp_path / "cut.zst").write_bytes(data[: len(data) // 2])
    cut = load_posts(tmp_path / "cut.zst")
    assert 0 < len(cut.posts) < 2000
    assert cut.reasons["truncated compressed stream"] == 1


def test_live_source_without_keys_says_what_to_set():
    settings = load_settings(env={})
    with pytest.raises(SourceError, match="REDDIT_CLIENT_ID"):
        load_posts("reddit:streetwear", settings=settings)
    with pytest.raises(SourceError, match="needs subreddit"):
        load_posts("reddit:", settings=settings)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1790000000, 1790000000),
        ("1790000000.0", 1790000000),
        (1790000000123, 1790000000),  # ms epoch
        ("2026-09-01", 1788220800),
        ("2026-09-01 12:00:00 UTC", 1788264000),
        ("2026-09-01T12:00:00Z", 1788264000),
        ("Thu, 31 Jan 2013 12:00:00 GMT", 1359633600),
        ("01/31/2013 12:00", 1359633600),
        ("yesterday", None),
        ("", None),
        (None, None),
        (-5, None),
        (float("nan"), None),
    ],
)
def test_timestamps_in_every_spelling_dumps_use(value, expected):
    assert to_epoch(value) == expected
