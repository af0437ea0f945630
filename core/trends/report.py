"""The trend report schema shared by the offline and Groq analyzers and read by the Studio."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from core.errors import TrendStudioError
from core.scene import default_scene
from core.settings import Settings

HEX_RE = re.compile(r"^#[0-9a-f]{6}$")


def _normalise_hex(value: str) -> str:
    value = value.strip().lower()
    if not value.startswith("#"):
        value = "#" + value
    if re.fullmatch(r"#[0-9a-f]{3}", value):
        value = "#" + "".join(ch * 2 for ch in value[1:])
    if not HEX_RE.match(value):
        raise ValueError(f"{value!r} is not a #rrggbb colour")
    return value


class Evidence(BaseModel):
    """A post that supports a term, so analysts can check the claim."""

    id: str
    title: str
    subreddit: str = ""
    url: str = ""
    score: int = 0
    created_utc: int = 0
    snippet: str = ""
    """The words around the match, so a reader sees the sense the term was used in."""
    match: str = ""
    """The matched words as written in the post (highlighted inside `snippet`)."""
    match_at: int = -1
    """Where `match` starts in `snippet` (-1: not recorded, the page looks for it)."""


class TermTrend(BaseModel):
    name: str
    share: float = Field(ge=0.0, le=1.0)
    """Share of (engagement-weighted) mentions within its category (ranked and weak terms together)."""
    momentum: float
    """Relative change of recent versus earlier mention rate (0 = flat, 1 = doubled)."""
    posts: int = Field(default=0, ge=0)
    """How many posts support the term (mention it in its trend sense)."""
    evidence: list[Evidence] = Field(default_factory=list)


class ColorTrend(TermTrend):
    hex: str

    @field_validator("hex")
    @classmethod
    def _hex(cls, value: str) -> str:
        return _normalise_hex(value)


class Emerging(BaseModel):
    term: str
    momentum: float
    first_seen: str
    """ISO date of the week the term started rising (change point of its weekly mention rate)."""
    category: str = ""
    p_value: float | None = None
    """One-sided test that the recent mention rate is higher than before (offline analyzer)."""


class Topic(BaseModel):
    label: str
    terms: list[str]
    share: float = Field(ge=0.0, le=1.0)


class SceneSource(BaseModel):
    """Where one scene field came from: the posts (with the support of its top term) or the house default."""

    source: Literal["posts", "default"]
    term: str = ""
    posts: int = 0
    reason: str = ""
    """Why the house default was used (too few posts, no clear leader...)."""


class Scene(BaseModel):
    """What a product photo should look like, as plain data the Studio consumes."""

    environment: str
    lighting: str
    colors: list[str] = Field(min_length=1)
    textures: list[str] = Field(default_factory=list)
    mood: str = ""
    prompt: str = ""
    sources: dict[str, SceneSource] = Field(default_factory=dict)
    """Per field (environment, lighting, colors, textures, mood): posts or house default."""

    @field_validator("colors")
    @classmethod
    def _colors(cls, values: list[str]) -> list[str]:
        return [_normalise_hex(v) for v in values]


class Meta(BaseModel):
    posts: int = Field(ge=0)
    analyzer: Literal["offline", "groq"] | str
    date_range: list[str] = Field(default_factory=list)
    """[first ISO date, last ISO date] of the analysed posts."""
    sources: list[str] = Field(default_factory=list)
    relevant_posts: int | None = None
    """Posts that passed the visual relevance filter (the base of every rate)."""


class TermSeries(BaseModel):
    """Weekly mentions of one term, for the time-series chart."""

    term: str
    category: str
    mentions: list[int]
    rate: list[float]
    """Share of relevant posts that mention the term; weeks with few posts are pooled with their
    neighbours (every week of a pool shows the pool's share), so one post never reads as 100%."""
    low: list[float] = Field(default_factory=list)
    high: list[float] = Field(default_factory=list)
    """95% Wilson interval of `rate` per week (empty: not computed, e.g. by the Groq analyzer)."""


class SubredditTerms(BaseModel):
    """How often each top term is mentioned in one subreddit (the heatmap rows)."""

    subreddit: str
    posts: int
    mentions: dict[str, int]


class Backtest(BaseModel):
    """How often past "rising" calls on these posts held, beside a naive baseline (every term whose
    share merely went up). With too little history: no calls, rates None, `enough_history` False."""

    calls: int = Field(default=0, ge=0)
    hits: int = Field(default=0, ge=0)
    """Calls whose share in the following window beat their share before the cutoff."""
    hit_rate: float | None = None
    baseline_calls: int = Field(default=0, ge=0)
    baseline_hits: int = Field(default=0, ge=0)
    baseline_hit_rate: float | None = None
    cutoffs: list[str] = Field(default_factory=list)
    """ISO Monday of every cutoff week replayed."""
    enough_history: bool = False
    window_weeks: int = 0
    """Length of the following window a call had to hold in."""


class TrendReport(BaseModel):
    meta: Meta
    colors: list[ColorTrend] = Field(default_factory=list)
    styles: list[TermTrend] = Field(default_factory=list)
    materials: list[TermTrend] = Field(default_factory=list)
    lighting: list[TermTrend] = Field(default_factory=list)
    environments: list[TermTrend] = Field(default_factory=list)
    patterns: list[TermTrend] = Field(default_factory=list)
    brands: list[TermTrend] = Field(default_factory=list)
    weak: dict[str, list[TermTrend]] = Field(default_factory=dict)
    """Per category, terms under the minimum support (or mostly used inside names): shown, never ranked."""
    emerging: list[Emerging] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list)
    scene: Scene
    weeks: list[str] = Field(default_factory=list)
    """ISO Monday of every week in `series` (optional: the Groq analyzer may leave it empty)."""
    series: list[TermSeries] = Field(default_factory=list)
    subreddits: list[SubredditTerms] = Field(default_factory=list)
    backtest: Backtest = Field(default_factory=Backtest)


DEFAULT_SCENE = Scene.model_validate(
    {
        **default_scene(),
        "sources": {
            f: {"source": "default", "reason": "no trend report yet"}
            for f in ("environment", "lighting", "colors", "textures", "mood")
        },
    }
)
"""`core.scene.DEFAULT_SCENE`, typed, every field marked as the house default: used when no trend report exists yet."""


def save_report(
    report: TrendReport, path: Path | str | None, settings: Settings, *, make_default: bool = True
) -> Path:
    """Write the report JSON to `path` and, unless told not to, make it the Studio's default
    (settings.latest_report_path)."""
    text = report.model_dump_json(indent=2)
    targets = ([settings.latest_report_path] if make_default else []) + ([Path(path)] if path else [])
    for target in targets:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(target.suffix + ".tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)
        except OSError as exc:
            raise TrendStudioError(
                f"cannot write the trend report to {target} ({exc.strerror}); choose a writable path"
            ) from exc
    return Path(path) if path else settings.latest_report_path


def load_report(path: Path | str) -> TrendReport:
    """A saved report, validated; a clear error when the file is missing or not a trend report."""
    path = Path(path)
    try:
        return TrendReport.model_validate_json(path.read_bytes())
    except FileNotFoundError as exc:
        raise TrendStudioError(
            f"{path} does not exist; run `python -m core trends demo --out {path}`"
        ) from exc
    except ValueError as exc:
        raise TrendStudioError(
            f"{path.name} is not a valid trend report ({str(exc).splitlines()[0]})"
        ) from exc
