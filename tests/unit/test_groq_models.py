"""Groq as it is today (issue 18): the default model, retired models, strict structured outputs, reasoning
budgets, and the analyzer factory. Real groq SDK against the fake server on 127.0.0.1."""

from __future__ import annotations

import json
import logging

import jsonschema
import pytest

from core.errors import ConfigError
from core.settings import load_settings
from core.trends.analyzers import ANALYZERS, Analysis, new_analyzer
from core.trends.analyzers.groq import models
from core.trends.analyzers.groq.analyzer import build_chat
from core.trends.analyzers.groq.prompt import ChunkAnalysis, strict_schema
from tests.fakes.groq import TEST_KEY, FakeGroq, Reply, completion, counting_model, error
from tests.support.llm import LEXICON, demo_posts, groq_analysis, groq_settings

RETIRED = "llama-3.3-70b-versatile"  # shut down by Groq on 2026-08-16


@pytest.fixture()
def fake():
    models.forget()
    with FakeGroq() as server:
        yield server
    models.forget()


def _small(fake: FakeGroq, tmp_path, **kw):
    return groq_settings(fake.base_url, tmp_path, analysis={"max_posts": 40}, **kw)


def test_only_a_key_sends_the_current_default_model_and_its_answer_is_the_report(fake, tmp_path):
    settings = load_settings(
        env={"GROQ_API_KEY": TEST_KEY, "GROQ_BASE_URL": fake.base_url, "TRENDSTUDIO_DATA": str(tmp_path)}
    )
    result = groq_analysis(demo_posts(60), settings, lexicon=LEXICON, sources=["demo"])
    assert result.fallback is None and result.report.meta.analyzer == "groq:openai/gpt-oss-120b"
    assert fake.requests and {r.body["model"] for r in fake.requests} == {"openai/gpt-oss-120b"}
    assert fake.model_lists == 1  # checked once for the run
    # the model's answer is what lands in the report (the fake model counts these terms)
    assert {"butter yellow", "navy"} <= {c.name for c in result.report.colors}
    again = new_analyzer(
        "groq", settings.model_copy(update={"data_dir": tmp_path / "other"}), lexicon=LEXICON
    )
    again.analyze(demo_posts(60))
    assert fake.model_lists == 1  # the list is cached for the session


def test_a_retired_model_falls_back_with_one_line_naming_the_model_and_groq_model(fake, tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    result = groq_analysis(demo_posts(80), _small(fake, tmp_path, model=RETIRED), sources=["demo"])
    assert not fake.requests  # Groq does not list it: no chat request is spent on it
    assert result.fallback and "\n" not in result.fallback
    assert RETIRED in result.fallback and "GROQ_MODEL" in result.fallback
    assert result.report.meta.analyzer == f"offline (Groq failed: {result.fallback})"
    assert result.report.colors and result.report.meta.sources == ["demo"]  # the offline report stands in


def test_a_404_model_not_found_falls_back_too_when_the_list_is_unavailable(fake, tmp_path, caplog):
    fake.models_reply = error(503, "Service Unavailable")
    caplog.set_level(logging.WARNING)
    result = groq_analysis(demo_posts(80), _small(fake, tmp_path, model=RETIRED))
    assert "could not list Groq models" in caplog.text  # logged, then on without the check
    assert len(fake.requests) == 1  # Groq's 404 model_not_found is not retried
    assert RETIRED in result.fallback and "GROQ_MODEL" in result.fallback
    assert "does not exist or you do not have access" in result.fallback  # Groq's own words
    assert result.report.meta.analyzer.startswith("offline (Groq failed: Groq does not serve model")


def test_models_lists_chat_models_only_and_keeps_the_configured_one(fake, tmp_path):
    analyzer = new_analyzer("groq", groq_settings(fake.base_url, tmp_path))
    listed = analyzer.models()
    assert "openai/gpt-oss-120b" in listed and "qwen/qwen3.6-27b" in listed
    assert not [m for m in listed if "whisper" in m or "guard" in m]
    assert RETIRED not in listed
    assert new_analyzer("groq", groq_settings(fake.base_url, tmp_path), model="qwen/qwen3.6-27b").model == (
        "qwen/qwen3.6-27b"
    )


def test_strict_schema_is_valid_and_binds_the_answer_shape():
    schema = strict_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "$defs" not in json.dumps(schema) and "$ref" not in json.dumps(schema)

    def objects(node):
        if isinstance(node, dict):
            if node.get("type") == "object":
                yield node
            for value in node.values():
                yield from objects(value)
        elif isinstance(node, list):
            for value in node:
                yield from objects(value)

    found = list(objects(schema))
    assert len(found) >= 6
    assert all(
        o["additionalProperties"] is False and set(o["required"]) == set(o["properties"]) for o in found
    )
    good = json.loads(
        counting_model(
            {
                "messages": [
                    {
                        "role": "user",
                        "content": "<posts>\n"
                        + json.dumps(
                            [
                                {
                                    "id": "p1",
                                    "date": "2026-01-01",
                                    "period": "late",
                                    "text": "butter yellow suede",
                                    "comments": [],
                                }
                            ]
                        )
                        + "\n</posts>",
                    }
                ]
            }
        ).body["choices"][0]["message"]["content"]
    )
    jsonschema.validate(good, schema)
    ChunkAnalysis.model_validate(good)
    for bad in ({k: v for k, v in good.items() if k != "scene"}, {**good, "pwned": True}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


def test_strict_refused_steps_down_to_best_effort_schema(fake, tmp_path):
    fake.script(error(400, "strict mode: schema feature not supported for this model"))
    result = groq_analysis(demo_posts(30), _small(fake, tmp_path), lexicon=LEXICON)
    assert result.fallback is None
    first, second = (r.body["response_format"] for r in fake.requests[:2])
    assert first["json_schema"]["strict"] is True and "$defs" not in json.dumps(first)
    assert second["type"] == "json_schema" and second["json_schema"]["strict"] is False


def test_reasoning_tokens_are_counted_and_non_reasoning_models_get_no_reasoning_params(fake, tmp_path):
    body = completion(
        json.dumps(
            json.loads(
                counting_model({"messages": [{"role": "user", "content": "<posts>\n[]\n</posts>"}]}).body[
                    "choices"
                ][0]["message"]["content"]
            )
        )
    )
    body["usage"]["completion_tokens_details"] = {"reasoning_tokens": 150}
    fake.script(Reply(body=body))
    chat = build_chat(_small(fake, tmp_path))
    chat.analyse(
        [{"role": "system", "content": "json"}, {"role": "user", "content": "<posts>\n[]\n</posts>"}]
    )
    assert chat.stats.reasoning_tokens == 150 and chat.stats.output_tokens == 200
    plain = build_chat(_small(fake, tmp_path, model="llama-3.1-8b-instant"))
    plain.analyse(
        [{"role": "system", "content": "json"}, {"role": "user", "content": "<posts>\n[]\n</posts>"}]
    )
    sent = fake.requests[-1].body
    assert "reasoning_effort" not in sent and sent["max_completion_tokens"] == 2048
    assert sent["response_format"] == {"type": "json_object"}


def test_factory_builds_each_analyzer_and_rejects_unknown_names(tmp_path):
    settings = load_settings(env={"TRENDSTUDIO_DATA": str(tmp_path)})
    assert ANALYZERS == ("offline", "groq")
    offline = new_analyzer("offline", settings, workers=1).analyze(demo_posts(120), sources=["demo"])
    assert isinstance(offline, Analysis) and offline.fallback is None
    assert offline.report.meta.analyzer == "offline" and offline.report.colors
    groq = new_analyzer("groq", settings)
    assert (
        "GROQ_API_KEY" in (groq.unavailable() or "")
        and new_analyzer("offline", settings).unavailable() is None
    )
    no_key = groq.analyze(demo_posts(120), sources=["demo"])
    assert no_key.fallback == "GROQ_API_KEY is not set"
    assert no_key.report.meta.analyzer == "offline (Groq failed: GROQ_API_KEY is not set)"
    assert no_key.report.colors == offline.report.colors  # the same offline report stands in
    with pytest.raises(ConfigError, match="unknown analyzer 'llama'"):
        new_analyzer("llama", settings)
