"""Shared campaign test fixture: the campaign's quick model trained once on the demo events into a
fixed folder of the session's registry (other tests may add newer models; this one stays put)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.campaign.inputs import campaign_config
from core.predictor.train import train
from core.settings import load_settings

MODEL_ID = "campaign-quick-demo"


@pytest.fixture(scope="session")
def campaign_model(demo_dir: Path) -> Path:
    settings = load_settings()
    model = settings.models_dir / MODEL_ID
    if not (model / "model.json").is_file():  # the fixture is imported by several modules
        train(demo_dir / "events.csv", model, settings=settings, **campaign_config(settings)["train"])
    return model
