"""The trend report schema shared by the offline and Groq analyzers and read by the Studio."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field, field_validator

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


class TermTrend(BaseModel):
    name: str
    share: float = Field(ge=0.0, le=1.0)
    """Share of (engagement-weighted) mentions within its category."""
    momentum: float
    """Relative change of recent versus earlier mention rate (0 = flat, 1 = doubled)."""
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
    """ISO date of the first week the term reached minimum support."""


class Topic(BaseModel):
    label: str
    terms: list[str]
    share: float = Field(ge=0.0, le=1.0)


class Scene(BaseModel):
    """What a product photo should look like, as plain data the Studio consumes."""

    environment: str
    lighting: str
    colors: list[str] = Field(min_length=1)
    textures: list[str] = Field(default_factory=list)
    mood: str = ""
    prompt: str = ""

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


class TrendReport(BaseModel):
    meta: Meta
    colors: list[ColorTrend] = Field(default_factory=list)
    styles: list[TermTrend] = Field(default_factory=list)
    materials: list[TermTrend] = Field(default_factory=list)
    lighting: list[TermTrend] = Field(default_factory=list)
    environments: list[TermTrend] = Field(default_factory=list)
    patterns: list[TermTrend] = Field(default_factory=list)
    emerging: list[Emerging] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list)
    scene: Scene


DEFAULT_SCENE = Scene(
    environment="studio",
    lighting="soft window light",
    colors=["#f4efe6", "#d9cbb8", "#8c7b6b"],
    textures=["linen"],
    mood="calm, natural",
    prompt="a clean studio product photo on a warm neutral backdrop, soft window light",
)
"""Used when no trend report exists yet, so the Studio always has a scene."""
