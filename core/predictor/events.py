"""Load REES46-schema event files with DuckDB: validated, cleaned, apparel only, deduplicated.

Real monthly files are 5-9 GB, so nothing here reads a file into pandas: DuckDB streams CSV,
CSV.gz and Parquet (one file, many, a folder or a glob) into an in-database table `events`
that the feature builder queries. Malformed rows are counted, not fatal; a column that is
missing or mostly unparseable is an error that names the column.
"""

from __future__ import annotations

import csv
import glob
import gzip
import io
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from core.predictor.errors import EventSchemaError, EventSourceError

REQUIRED = ("event_time", "event_type", "category_code", "price", "user_id")
OPTIONAL = ("product_id", "category_id", "brand", "user_session")
_SUFFIXES = (".csv", ".csv.gz", ".parquet", ".pq")
# a column whose values fail to parse this often is malformed rather than noisy
_MALFORMED_SHARE = 0.5

EventsInput = str | Path | Iterable[str | Path]


@dataclass
class LoadStats:
    """What the loader read, dropped and kept; shown as the page's data profile."""

    files: list[str]
    rows_read: int = 0
    bad_lines: int = 0
    bad_rows: int = 0
    bad_by_column: dict[str, int] = field(default_factory=dict)
    non_apparel: int = 0
    duplicates: int = 0
    events: int = 0
    users: int = 0
    purchases: int = 0
    event_types: dict[str, int] = field(default_factory=dict)
    purchase_mix: dict[str, int] = field(default_factory=dict)
    first_event: str | None = None
    last_event: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def resolve_sources(events: EventsInput) -> list[Path]:
    """Expand files, folders and globs into a sorted list of supported event files."""
    items = [events] if isinstance(events, str | Path) else list(events)
    if not items:
        raise EventSourceError("no events given: pass a CSV, CSV.gz or Parquet file, a folder or a glob")
    found: list[Path] = []
    for item in items:
        text = str(item)
        path = Path(text).expanduser()
        if any(ch in text for ch in "*?["):
            matches = [Path(p) for p in sorted(glob.glob(str(path), recursive=True))]
            matches = [p for p in matches if p.is_file() and _supported(p)]
            if not matches:
                raise EventSourceError(f"{text} matches no .csv, .csv.gz or .parquet file")
            found.extend(matches)
        elif path.is_dir():
            matches = sorted(p for p in path.rglob("*") if p.is_file() and _supported(p))
            if not matches:
                raise EventSourceError(f"folder {path} holds no .csv, .csv.gz or .parquet file")
            found.extend(matches)
        elif path.is_file():
            if not _supported(path):
                raise EventSourceError(f"{path.name}: unsupported format; use .csv, .csv.gz or .parquet")
            found.append(path)
        else:
            raise EventSourceError(f"{path} does not exist")
    return list(dict.fromkeys(found))


def connect(memory_limit: str = "768MB", threads: int = 2) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with a memory cap (it spills to disk rather than exceed it)."""
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{_safe_setting(memory_limit)}'")
    con.execute(f"SET threads = {int(threads)}")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")  # core never prints; progress goes through callbacks
    return con


def load_events(
    con: duckdb.DuckDBPyConnection, events: EventsInput, *, apparel_prefix: str = "apparel"
) -> LoadStats:
    """Create table `events(user_id, ts, event_type, category, brand, price, session, product_id)`.

    Only apparel rows (category_code `<prefix>.<sub>…`) are kept, with `category` = `<sub>`.
    """
    files = resolve_sources(events)
    stats = LoadStats(files=[str(p) for p in files])
    raw = _raw_relation_sql(con, files)
    prefix = apparel_prefix.strip().rstrip(".")
    if not prefix:
        raise EventSchemaError("apparel_prefix is empty; set it to the category_code prefix, e.g. 'apparel'")
    # a literal, not a $parameter: prepared statements do not record rejected CSV lines
    lit = "'" + prefix.lower().replace("'", "''") + ".'"
    con.execute(f"CREATE OR REPLACE TEMP VIEW raw_events AS {raw}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW typed_events AS {_TYPED}")
    agg = con.execute(
        """SELECT count(*), count(*) FILTER (bad_time), count(*) FILTER (bad_type),
                  count(*) FILTER (bad_price), count(*) FILTER (bad_user),
                  count(*) FILTER (bad_time OR bad_type OR bad_price OR bad_user),
                  count(*) FILTER (NOT (bad_time OR bad_type OR bad_price OR bad_user)
                                   AND NOT coalesce(starts_with(category_code, {lit}), false)),
                  any_value(raw_time) FILTER (bad_time), any_value(event_type) FILTER (bad_type),
                  any_value(raw_price) FILTER (bad_price)
           FROM typed_events""".replace("{lit}", lit)
    ).fetchall()[0]  # fetchall: rejected lines are recorded only once the scan completes
    stats.rows_read, *per_col, stats.bad_rows, stats.non_apparel = agg[:7]
    stats.bad_by_column = dict(zip(("event_time", "event_type", "price", "user_id"), per_col, strict=True))
    stats.bad_lines = _rejected_lines(con)
    _check_malformed(stats, examples=dict(zip(("event_time", "event_type", "price"), agg[7:], strict=True)))
    con.execute(
        """CREATE OR REPLACE TEMP TABLE events AS
           SELECT DISTINCT user_id, ts, event_type, split_part(category_code, '.', 2) AS category,
                  brand, price, session, product_id
           FROM typed_events
           WHERE NOT (bad_time OR bad_type OR bad_price OR bad_user)
             AND starts_with(category_code, {lit}) AND split_part(category_code, '.', 2) <> ''""".replace(
            "{lit}", lit
        )
    )
    kept_before_dedup = stats.rows_read - stats.bad_rows - stats.non_apparel
    _fill_profile(con, stats)
    stats.duplicates = max(0, kept_before_dedup - stats.events)
    return stats


def _supported(path: Path) -> bool:
    return path.name.lower().endswith(_SUFFIXES)


def _is_parquet(path: Path) -> bool:
    return path.name.lower().endswith((".parquet", ".pq"))


def _safe_setting(value: str) -> str:
    if not all(ch.isalnum() or ch in " ." for ch in value):
        raise EventSchemaError(f"memory_limit {value!r} is not a size like '1500MB'")
    return value


def _csv_header(path: Path) -> list[str]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8", newline="") as fh:
            line = fh.readline()
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise EventSchemaError(f"{path.name}: cannot read the header line ({exc})") from exc
    if not line.strip():
        raise EventSchemaError(f"{path.name} is empty: expected a header line with {', '.join(REQUIRED)}")
    return [c.strip().lower() for c in next(csv.reader(io.StringIO(line)))]


def _check_columns(path: Path, columns: list[str]) -> None:
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise EventSchemaError(
            f"{path.name} is missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"({len(columns)} column(s) found, not shown); expected the REES46 schema "
            "event_time, event_type, product_id, category_id, category_code, brand, price, user_id, user_session"
        )


def _raw_relation_sql(con: duckdb.DuckDBPyConnection, files: list[Path]) -> str:
    """One SQL relation over every file, all columns as VARCHAR and the optional ones filled."""
    parts: list[str] = []
    csv_groups: dict[tuple[str, ...], list[Path]] = {}
    parquet: list[Path] = []
    for path in files:
        if _is_parquet(path):
            parquet.append(path)
        else:
            header = _csv_header(path)
            _check_columns(path, header)
            csv_groups.setdefault(tuple(header), []).append(path)
    for header, group in csv_groups.items():
        columns = "{" + ", ".join(f"'{_ident(c)}': 'VARCHAR'" for c in header) + "}"
        source = (
            f"read_csv({_file_list(group)}, columns={columns}, header=true, delim=',', quote='\"', "
            "escape='\"', store_rejects=true, ignore_errors=true, filename=false)"
        )
        parts.append(_select_columns(source, header))
    for path in parquet:
        try:
            described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({_file_list([path])})").fetchall()
        except duckdb.Error as exc:
            raise EventSchemaError(f"{path.name} is not a readable Parquet file ({exc})") from exc
        header = [row[0].lower() for row in described]
        _check_columns(path, header)
        parts.append(_select_columns(f"read_parquet({_file_list([path])})", header, cast=True))
    return " UNION ALL ".join(parts)


def _select_columns(source: str, header: list[str] | tuple[str, ...], cast: bool = False) -> str:
    exprs = []
    for col in (*REQUIRED, *OPTIONAL):
        if col in header:
            exprs.append(
                f'CAST("{_ident(col)}" AS VARCHAR) AS {col}' if cast else f'"{_ident(col)}" AS {col}'
            )
        else:
            exprs.append(f"CAST(NULL AS VARCHAR) AS {col}")
    return f"SELECT {', '.join(exprs)} FROM {source}"


def _ident(name: str) -> str:
    return name.replace('"', "").replace("'", "")


def _file_list(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


_TYPED = """
SELECT *, ts IS NULL AS bad_time, event_type NOT IN ('view', 'cart', 'purchase') AS bad_type,
       price IS NULL AS bad_price, user_id IS NULL AS bad_user
FROM (
  -- the REES46 format parses with a fast strptime; anything else falls back to a tolerant cast
  SELECT coalesce(try_strptime(event_time, '%Y-%m-%d %H:%M:%S UTC'),
                  TRY_CAST(regexp_replace(trim(event_time), '\\s*(UTC|Z|\\+00:?00)$', '') AS TIMESTAMP)) AS ts,
         coalesce(lower(trim(event_type)), '') AS event_type,
         lower(trim(coalesce(category_code, ''))) AS category_code,
         nullif(lower(trim(brand)), '') AS brand,
         TRY_CAST(price AS DOUBLE) AS price,
         nullif(trim(user_id), '') AS user_id,
         nullif(trim(user_session), '') AS session,
         nullif(trim(product_id), '') AS product_id,
         event_time AS raw_time, price AS raw_price
  FROM raw_events)
"""


def _rejected_lines(con: duckdb.DuckDBPyConnection) -> int:
    try:
        return int(con.execute("SELECT count(DISTINCT (file_id, line)) FROM reject_errors").fetchone()[0])
    except duckdb.Error:  # no CSV in this load
        return 0


def _check_malformed(stats: LoadStats, examples: dict[str, object]) -> None:
    if stats.rows_read == 0:
        raise EventSchemaError(f"no event rows in {', '.join(Path(f).name for f in stats.files)}")
    hints = {
        "event_time": "timestamps like '2019-10-01 00:00:00 UTC'",
        "event_type": "one of view, cart, purchase",
        "price": "numbers",
        "user_id": "non-empty ids",
    }
    for column, bad in stats.bad_by_column.items():
        if bad > _MALFORMED_SHARE * stats.rows_read:
            example = examples.get(column)
            shown = f" (e.g. {str(example)[:40]!r})" if example is not None else ""
            raise EventSchemaError(
                f"column {column} is malformed: {bad:,} of {stats.rows_read:,} values are not "
                f"{hints[column]}{shown}; fix the column or map the right one to it"
            )


def _fill_profile(con: duckdb.DuckDBPyConnection, stats: LoadStats) -> None:
    row = con.execute(
        "SELECT count(*), count(DISTINCT user_id), count(*) FILTER (event_type = 'purchase'), "
        "CAST(min(ts) AS VARCHAR), CAST(max(ts) AS VARCHAR) FROM events"
    ).fetchone()
    stats.events, stats.users, stats.purchases, stats.first_event, stats.last_event = row
    stats.event_types = dict(
        con.execute("SELECT event_type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC").fetchall()
    )
    stats.purchase_mix = dict(
        con.execute(
            "SELECT category, count(*) FROM events WHERE event_type = 'purchase' GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall()
    )
