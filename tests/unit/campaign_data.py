"""Shared campaign test fixture: one quick model per session, trained through the campaign's own
"latest model, else train on the demo events" path, so runs in tests do not each train."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.campaign.inputs import campaign_config
from core.campaign.run import provide_model
from core.settings import load_settings


@pytest.fixture(scope="session")
def campaign_model(demo_dir: Path) -> Path:
    settings = load_settings()
    model, _ = provide_model([str(demo_dir / "events.csv")], settings, campaign_config(settings)["train"])
    return model
