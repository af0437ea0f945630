from streamlit.testing.v1 import AppTest

from core import PROJECT_ROOT


def test_home_renders_flow_data_and_integrations(demo_dir):
    at = AppTest.from_file(str(PROJECT_ROOT / "Home.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value.endswith("Trend Studio")
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Demo posts"].replace(",", "")) > 1000
    assert int(metrics["Demo events"].replace(",", "")) > 10000
    assert metrics["Demo product photos"] == "6"
    # no keys in the test environment: every integration is reported off, with what to set
    infos = " ".join(i.value for i in at.info)
    assert "GROQ_API_KEY" in infos and "BFL_API_KEY" in infos and "REDDIT_CLIENT_ID" in infos
    sidebar = " ".join(m.value for m in at.sidebar.markdown)
    assert "Groq LLM" in sidebar and "off" in sidebar


def test_home_shows_enabled_integration_without_the_key(demo_dir, monkeypatch):
    monkeypatch.setenv("GROQ_API_KEY", "gsk_supersecret_value")
    at = AppTest.from_file(str(PROJECT_ROOT / "Home.py"), default_timeout=60).run()
    assert not at.exception
    assert any("Groq LLM" in s.value for s in at.success)
    everything = " ".join(str(e.value) for e in [*at.markdown, *at.success, *at.info, *at.caption])
    assert "gsk_supersecret_value" not in everything
