"""Page set-up shared by every page: config, settings from st.secrets, the sidebar status."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import streamlit as st

from core.budget import ledger_for
from core.demo import ensure_demo_data
from core.errors import TrendStudioError
from core.settings import Settings, load_settings
from ui.auth import current_user
from ui.session import session_dir


def _secrets() -> Mapping[str, Any]:
    try:
        return {k: st.secrets[k] for k in st.secrets}
    except (FileNotFoundError, KeyError, TrendStudioError, Exception):  # no secrets.toml is fine
        return {}


def page_setup(title: str, icon: str) -> Settings:
    """Configure the page, resolve settings and render the sidebar status; stop on bad config."""
    st.set_page_config(page_title=f"{title} · Trend Studio", page_icon=icon, layout="wide")
    try:
        settings = load_settings(secrets=_secrets())
        settings = settings.model_copy(
            update={"user": current_user(), "session_dir": session_dir(settings.data_dir)}
        )
    except TrendStudioError as exc:
        st.error(f"Configuration problem: {exc}")
        st.stop()
    render_sidebar(settings)
    return settings


def render_sidebar(settings: Settings) -> None:
    with st.sidebar:
        st.markdown("### Integrations")
        for status in settings.integrations():
            mark = "🟢" if status.enabled else "⚪"
            st.markdown(f"{mark} **{status.name}** — {status.detail}")
        _spending(settings)
        if settings.user is None:  # a team server keeps its paths to itself (page_setup recorded the user)
            st.caption(f"Outputs and caches: `{settings.data_dir}`")


def _spending(settings: Settings) -> None:
    """Today's spending against the daily caps (config/budget.toml), for the paid APIs that are on."""
    on = {"bfl": settings.bfl_api_key, "groq": settings.groq_api_key}
    try:
        ledger = ledger_for(settings)
        days = list(ledger.today_all([service for service, enabled in on.items() if enabled]).values())
    except TrendStudioError as exc:
        st.warning(f"Spending caps: {exc}")
        return
    if days:
        st.markdown("### Spending today")
    for day in days:
        st.caption(
            f"**{day.label}**: ${day.committed_usd:.2f} spent · "
            f"${day.left_usd:.2f} left of ${day.budget_usd:.2f}"
        )


@st.cache_resource(show_spinner="Preparing demo data…")
def demo_dir(path: str) -> Path:
    """Generate the demo inputs once per server process."""
    return ensure_demo_data(Path(path))
