"""What a run uses: defaults from config/campaign.toml, overrides from the CLI or the page, and the
pinned form stored in run.json so a replay uses exactly the same posts, model and options."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.campaign.errors import CampaignError
from core.campaign.folders import RUN_FILE
from core.imaging.backgrounds.procedural import check_style
from core.imaging.presets import get_preset
from core.predictor.params import check_params
from core.settings import Settings

DEFAULTS: dict[str, Any] = {
    "analyzer": "offline",
    "top": 3,
    "per_category": 3,
    "preset": "web",
    "style": "",
    "seed": 0,
    "thumb_size": 320,
}
TRAIN_DEFAULTS: dict[str, Any] = {
    "n_estimators": 30,
    "max_depth": 3,
    "learning_rate": 0.3,
    "shap_sample": 100,
}


class RunInputs(BaseModel):
    """Everything that decides a run's results. `None` means "the default source" until pinned.

    Preset, style and training parameters are checked when the inputs are built, so a typo fails
    before minutes of trends and predictions.
    """

    model_config = ConfigDict(extra="forbid")

    posts: list[str] | None = None
    """Post sources (files, `demo`, `reddit:subs`); None = every stored post, else the demo corpus."""
    posts_from_store: bool = False
    """Pinned: the posts came from the local database (window `since` .. `until`)."""
    since: str | None = None
    until: int | None = None
    """Pinned: exclusive epoch upper bound of the analysed posts, so later imports do not change a replay."""
    analyzer: Literal["offline", "groq"] = "offline"
    """Groq answers are cached per chunk (settings.cache_dir/llm), so a replay reads the same answers."""
    events: list[str] | None = None
    """Event files; None = the demo events."""
    model: str | None = None
    """Model folder; None = the latest trained model, else one is trained on the events."""
    images: str | None = None
    """Folder with product photos filed by category; None = the demo photos."""
    top: int = Field(default=3, ge=1, le=50)
    per_category: int = Field(default=3, ge=1, le=100)
    preset: str = "web"
    style: str = ""
    seed: int = 0
    thumb_size: int = Field(default=320, ge=64, le=1024)
    aliases: dict[str, str] = Field(default_factory=dict)
    train: dict[str, Any] = Field(default_factory=dict)

    @field_validator("preset")
    @classmethod
    def _known_preset(cls, preset: str) -> str:
        get_preset(preset)
        return preset

    @field_validator("style")
    @classmethod
    def _known_style(cls, style: str) -> str:
        return check_style(style) if style else style  # "" = suggested by the trend scene

    @field_validator("train")
    @classmethod
    def _known_train_params(cls, train: dict[str, Any]) -> dict[str, Any]:
        check_params(train, "the campaign's train options")
        return train


def campaign_config(settings: Settings) -> dict[str, Any]:
    """config/campaign.toml merged over the built-in defaults."""
    cfg = settings.section("campaign")
    unknown = sorted(set(cfg) - set(DEFAULTS) - {"train", "aliases"})
    if unknown:
        raise CampaignError(
            f"unknown key(s) in config/campaign.toml: {', '.join(unknown)}; "
            f"known: {', '.join(sorted([*DEFAULTS, 'train', 'aliases']))}"
        )
    return {
        **DEFAULTS,
        **cfg,
        "train": {**TRAIN_DEFAULTS, **cfg.get("train", {})},
        "aliases": {str(k): str(v) for k, v in cfg.get("aliases", {}).items()},
    }


def make_inputs(settings: Settings, **overrides: Any) -> RunInputs:
    """Inputs for a new run: config defaults, then every override that is not None."""
    values = campaign_config(settings)
    values.update({k: v for k, v in overrides.items() if v is not None})
    for key in ("posts", "events"):
        if isinstance(values.get(key), str | Path):
            values[key] = [values[key]]
        if values.get(key) is not None:
            values[key] = [_absolute(v) for v in values[key]]
    for key in ("model", "images"):
        if values.get(key) is not None:
            values[key] = _absolute(values[key])
    try:
        return RunInputs(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise CampaignError(f"campaign option {'.'.join(map(str, first['loc']))}: {first['msg']}") from exc


def replay_inputs(run_json: Path | str) -> tuple[RunInputs, dict[str, Any]]:
    """The pinned inputs of a stored run (and the whole record), to run it again identically."""
    path = Path(run_json)
    if path.is_dir():
        path = path / RUN_FILE
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return RunInputs.model_validate(record["inputs"]), record
    except FileNotFoundError as exc:
        raise CampaignError(f"{path} does not exist; give the run.json of an earlier campaign run") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise CampaignError(f"{path.name} is not a campaign run.json ({str(exc).splitlines()[0]})") from exc


def _absolute(value: str | Path) -> str:
    text = str(value)
    if text == "demo" or text.startswith("reddit:"):
        return text
    return str(Path(text).expanduser().resolve())
