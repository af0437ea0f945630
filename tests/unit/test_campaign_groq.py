"""A campaign run with the Groq analyzer (real SDK, fake server): a replay reads the cached answers and
reproduces the trend report byte for byte even with the server gone."""

from __future__ import annotations

import json

import pytest

from core.campaign.errors import StageError
from core.campaign.inputs import make_inputs
from core.campaign.run import replay, run_campaign
from tests.fakes.groq import TEST_KEY, FakeGroq
from tests.support.llm import groq_settings


def test_groq_campaign_trend_report_replays_from_the_answer_cache(tmp_path, demo_dir):
    with FakeGroq() as server:
        settings = groq_settings(server.base_url, tmp_path / "data")
        # only the trends stage matters here: a missing model stops the run at the predictions stage
        inputs = make_inputs(settings, analyzer="groq", model=str(tmp_path / "no-model"))
        with pytest.raises(StageError, match="predictions"):
            run_campaign(tmp_path / "a", inputs, settings=settings)
        asked = len(server.requests)
    assert asked > 0
    report = json.loads((tmp_path / "a" / "trend_report.json").read_text(encoding="utf-8"))
    assert report["meta"]["analyzer"].startswith("groq:")
    run = json.loads((tmp_path / "a" / "run.json").read_text(encoding="utf-8"))
    assert run["inputs"]["posts"] == ["demo"]  # nothing stored in this data folder: the demo corpus
    assert run["inputs"]["analyzer"] == "groq" and run["figures"]["analyzer"].startswith("groq:")
    assert TEST_KEY not in (tmp_path / "a" / "run.json").read_text(encoding="utf-8")

    with pytest.raises(StageError, match="predictions"):  # the fake server is stopped now
        replay(tmp_path / "a" / "run.json", tmp_path / "b", settings=settings)
    assert (tmp_path / "b" / "trend_report.json").read_bytes() == (
        tmp_path / "a" / "trend_report.json"
    ).read_bytes()
    assert json.loads((tmp_path / "b" / "run.json").read_text(encoding="utf-8"))["warnings"] == []
