"""Run folders: fresh ids and paths, reading a stored run.json, and the whole folder as a zip."""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.campaign.errors import CampaignError
from core.settings import Settings

RUN_FILE = "run.json"


def new_run_id() -> str:
    """A fresh, sortable run id: UTC time plus a short random suffix."""
    return f"{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"


def new_run_dir(settings: Settings) -> Path:
    """A fresh run folder under settings.runs_dir, named by a new run id."""
    return settings.runs_dir / new_run_id()


def load_run(run_dir: Path | str) -> dict[str, Any]:
    """A run folder's run.json."""
    path = Path(run_dir) / RUN_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CampaignError(f"{path} does not exist; the run folder was moved or deleted") from exc
    except ValueError as exc:
        raise CampaignError(f"{path} is not valid JSON ({exc}); rerun the campaign") from exc


def archive(run_dir: Path | str) -> bytes:
    """The whole run folder as a zip (what the page offers for download)."""
    root = Path(run_dir)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            zf.write(path, f"{root.name}/{path.relative_to(root).as_posix()}")
    return buf.getvalue()
