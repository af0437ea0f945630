"""The DuckDB loader: real REES46 rows, every input shape, bad rows counted, schema errors named."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from core.predictor.errors import EventSchemaError, EventSourceError
from core.predictor.events import connect, load_events
from core.predictor.synthetic import synthetic_events, write_events

HEADER = "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n"


def _load(path, **kw):
    con = connect()
    return con, load_events(con, path, **kw)


def test_real_rees46_rows_load(shared_data):
    con, stats = _load(shared_data / "rees46" / "2019-Oct-first1000.csv")
    assert stats.rows_read == 1000 and stats.bad_rows == 0 and stats.bad_lines == 0
    # 27 apparel rows; everything else (including the empty category codes) is outside the prefix
    assert stats.events == 27 and stats.non_apparel == 973
    assert stats.first_event.startswith("2019-10-01 00:00")  # " UTC" suffix parsed
    empty_brand = con.execute("SELECT count(*) FROM events WHERE brand IS NULL").fetchone()[0]
    assert 0 < empty_brand < 27
    cats = {r[0] for r in con.execute("SELECT DISTINCT category FROM events").fetchall()}
    assert cats and all("." not in c and c for c in cats)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("events")
    frame = synthetic_events(3000, seed=3)
    write_events(frame, folder / "a.csv")
    return folder, len(frame)


def test_csv_gz_parquet_glob_folder_and_lists_agree(synthetic, tmp_path):
    folder, n = synthetic
    frame = synthetic_events(3000, seed=3)
    write_events(frame, tmp_path / "b.parquet")
    write_events(frame, tmp_path / "c.csv.gz")
    reference = _load(folder / "a.csv")[1]
    assert reference.rows_read == n and reference.events > 0.8 * n
    for source in (tmp_path / "b.parquet", tmp_path / "c.csv.gz", str(folder / "*.csv"), folder):
        stats = _load(source)[1]
        assert (stats.rows_read, stats.events, stats.purchases) == (
            reference.rows_read,
            reference.events,
            reference.purchases,
        ), source
    # two copies of the same events: rows double, exact duplicates are removed and counted
    both = _load([folder / "a.csv", tmp_path / "b.parquet"])[1]
    assert both.rows_read == 2 * n
    assert both.events == reference.events and both.duplicates == reference.events


def test_bad_rows_and_lines_are_counted_not_fatal(tmp_path):
    good = "2019-10-01 00:00:0{i} UTC,view,1,2,apparel.shoes.keds,nike,10.5,7,s1\n"
    text = HEADER + "".join(good.format(i=i) for i in range(6))
    text += "2019-10-01 00:00:09 UTC,view,1,2,apparel.shoes,nike,10.5,7,s1\n" * 2  # duplicate
    text += "not a time,view,1,2,apparel.shoes,,3,7,s1\n"  # bad event_time
    text += "2019-10-01 00:00:09 UTC,click,1,2,apparel.shoes,,3,7,s1\n"  # bad event_type
    text += "2019-10-01 00:00:09 UTC,view,1,2\n"  # short line
    text += "2019-10-01 00:00:09 UTC,view,1,2,electronics.phone,,3,7,s1\n"  # not apparel
    path = tmp_path / "e.csv"
    path.write_text(text)
    stats = _load(path)[1]
    assert stats.bad_lines == 1
    assert (
        stats.bad_rows == 2
        and stats.bad_by_column["event_time"] == 1
        and stats.bad_by_column["event_type"] == 1
    )
    assert stats.non_apparel == 1 and stats.duplicates == 1
    assert stats.events == 7 and stats.event_types == {"view": 7}


def test_apparel_prefix_is_configurable(synthetic):
    folder, _ = synthetic
    con, stats = _load(folder / "a.csv", apparel_prefix="electronics")
    assert stats.events > 0
    assert con.execute("SELECT DISTINCT category FROM events").fetchall() == [("smartphone",)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HEADER.replace(",price", ""), "missing column price"),
        (
            HEADER.replace("user_id,", "customer,").replace("event_type,", "type,"),
            "missing columns event_type, user_id",
        ),
        ("", "is empty"),
        (HEADER + "yesterday,view,1,2,apparel.shoes,,3,7,s\n" * 5, "column event_time is malformed"),
        (
            HEADER + "2019-10-01 00:00:00 UTC,view,1,2,apparel.shoes,,cheap,7,s\n" * 5,
            "column price is malformed",
        ),
    ],
)
def test_schema_errors_name_the_column(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(EventSchemaError, match=message):
        _load(path)


def test_gzip_header_and_source_errors(tmp_path, synthetic):
    folder, _ = synthetic
    gz = tmp_path / "x.csv.gz"
    with open(folder / "a.csv", "rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    assert _load(gz)[1].events > 0
    with pytest.raises(EventSourceError, match="does not exist"):
        _load(tmp_path / "nope.csv")
    with pytest.raises(EventSourceError, match="matches no"):
        _load(str(tmp_path / "*.parquet"))
    (tmp_path / "x.json").write_text("{}")
    with pytest.raises(EventSourceError, match="unsupported format"):
        _load(tmp_path / "x.json")
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    with pytest.raises(EventSchemaError, match="not a readable Parquet"):
        _load(tmp_path / "broken.parquet")
