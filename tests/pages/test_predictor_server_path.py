"""AppTest: the Predictor's server path refuses another session's uploads and is off on a team server
without an import root (issue 24)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from core import PROJECT_ROOT
from core.access import ACCESS_ENV
from tests.pages.test_sign_in_gate import AUTH

PAGE = str(PROJECT_ROOT / "pages" / "2_Purchase_Predictor.py")
HEADER = "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n"


def test_a_glob_into_another_session_is_refused(demo_dir, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path))
    theirs = tmp_path / "sessions" / "someone-else" / "uploads" / "events"
    theirs.mkdir(parents=True)
    (theirs / "theirs.csv").write_text(
        HEADER + "2019-10-01 00:00:00 UTC,purchase,1,2,apparel.shoes,b,9,7,s\n"
    )
    at = AppTest.from_file(PAGE, default_timeout=240).run()
    at.radio(key="pp_source").set_value("Server path").run()
    at.text_input(key="pp_path").set_value(str(tmp_path / "sessions" / "*" / "uploads" / "events" / "*.csv"))
    at.run()
    assert not at.exception and not at.metric
    assert "data folder" in at.error[0].value and "never read as events" in at.error[0].value


def test_a_team_server_without_an_import_root_has_no_server_path(
    demo_dir, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path))
    access = tmp_path / "access.toml"
    access.write_text('[allow]\nemails = ["ana@example.com"]\n', encoding="utf-8")
    monkeypatch.setenv(ACCESS_ENV, str(access))
    at = AppTest.from_file(PAGE, default_timeout=240)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "ana@example.com", "email_verified": True}
    at.run()
    at.radio(key="pp_source").set_value("Server path").run()
    at.text_input(key="pp_path").set_value(str(demo_dir / "events.csv")).run()
    assert not at.exception and not at.metric
    assert "server paths are off on this shared server" in at.error[0].value
