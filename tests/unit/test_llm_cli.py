"""`python -m core trends … --analyzer groq` against the fake Groq server."""

from __future__ import annotations

import json

from core.cli import main
from tests.fakes.groq import TEST_KEY, FakeGroq
from tests.support.llm import demo_posts


def _env(monkeypatch, tmp_path, server: FakeGroq, key: str = TEST_KEY) -> None:
    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("GROQ_API_KEY", key)
    monkeypatch.setenv("GROQ_BASE_URL", server.base_url)


def test_cli_groq_writes_a_groq_report_with_progress(monkeypatch, tmp_path, capsys, demo_dir):
    out = tmp_path / "report.json"
    with FakeGroq() as server:
        _env(monkeypatch, tmp_path, server)
        assert main(["trends", "demo", "--out", str(out), "--analyzer", "groq", "--no-store"]) == 0
        chunks = len(server.requests)
    report = json.loads(out.read_text())
    assert report["meta"]["analyzer"] == "groq:openai/gpt-oss-120b"
    assert report["meta"]["posts"] == 600  # config/llm.toml max_posts: sampled evenly from the demo corpus
    captured = capsys.readouterr()
    assert f"chunk {chunks}/{chunks} analysed" in captured.err and "warning" not in captured.err
    assert TEST_KEY not in captured.out + captured.err + out.read_text()


def test_cli_groq_with_a_rejected_key_falls_back_and_warns(monkeypatch, tmp_path, capsys, demo_dir):
    out = tmp_path / "report.json"
    source = tmp_path / "posts.jsonl"
    source.write_text("".join(p.model_dump_json() + "\n" for p in demo_posts(200)))
    with FakeGroq() as server:
        _env(monkeypatch, tmp_path, server, key="gsk_rejectedKEY1234567890")
        assert main(["trends", str(source), "--out", str(out), "--analyzer", "groq", "--no-store"]) == 0
        assert len(server.requests) == 1
    assert json.loads(out.read_text())["meta"]["analyzer"].startswith("offline (Groq failed: key rejected")
    captured = capsys.readouterr()
    assert "warning: offline (Groq failed: key rejected (HTTP 401): check GROQ_API_KEY)" in captured.err
    assert "gsk_rejected" not in captured.out + captured.err + out.read_text()


def test_cli_groq_with_a_retired_model_names_it_in_one_line_and_writes_the_report(
    monkeypatch, tmp_path, capsys, demo_dir
):
    from core.trends.analyzers.groq import models

    out = tmp_path / "report.json"
    models.forget()
    with FakeGroq() as server:
        _env(monkeypatch, tmp_path, server)
        monkeypatch.setenv("GROQ_MODEL", "llama-3.3-70b-versatile")
        assert main(["trends", "demo", "--out", str(out), "--analyzer", "groq", "--no-store"]) == 0
        assert not server.requests and server.model_lists == 1
    models.forget()
    analyzer = json.loads(out.read_text())["meta"]["analyzer"]
    assert analyzer.startswith("offline (Groq failed: Groq does not serve model llama-3.3-70b-versatile")
    named = [line for line in capsys.readouterr().err.splitlines() if "llama-3.3-70b-versatile" in line]
    assert named == [f"warning: {analyzer}"]  # one line, naming the model and what to set
    assert "GROQ_MODEL" in named[0]
