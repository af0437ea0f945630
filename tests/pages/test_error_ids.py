"""Errors reach the browser as a short message with an id; the traceback goes only to the server log."""

from __future__ import annotations

import logging
import tomllib

from streamlit.testing.v1 import AppTest

from core import PROJECT_ROOT


def _script() -> None:
    from core.errors import TrendStudioError
    from ui.errors import guarded

    with guarded("enhancing the photo"):
        raise KeyError("/srv/trendstudio/secret/path.png")
    with guarded("reading the file"):
        raise TrendStudioError("the file is not an image; choose a JPEG or PNG")
    import streamlit as st

    st.write("the page goes on")


def test_unexpected_error_shows_an_id_and_logs_the_details(caplog) -> None:
    with caplog.at_level(logging.ERROR, logger="trendstudio.errors"):
        at = AppTest.from_function(_script, default_timeout=30).run()
    assert not at.exception
    shown = [e.value for e in at.error]
    assert shown[0].startswith("Something went wrong while enhancing the photo.")
    error_id = shown[0].split("error id **")[1].split("**")[0]
    assert len(error_id) == 8 and "/srv/trendstudio" not in shown[0] and "KeyError" not in shown[0]
    assert shown[1] == "the file is not an image; choose a JPEG or PNG"  # actionable: its own words
    assert at.markdown[-1].value == "the page goes on"
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and logged[0].exc_info[0] is KeyError  # the details, with the same id, on the server


def test_the_app_config_hides_error_details() -> None:
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
