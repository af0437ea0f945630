"""Typed hand-offs between pages: the page paths, and what one page leaves for another in the session.

Pages never write these session keys or page paths as bare strings: a renamed page or key changes here.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

import streamlit as st

from core.imaging.scene import suggest_style


class Page(StrEnum):
    """Every page of the app, by the path Streamlit knows it by."""

    HOME = "Home.py"
    TRENDS = "pages/1_Trend_Explorer.py"
    PREDICTOR = "pages/2_Purchase_Predictor.py"
    STUDIO = "pages/3_Enhancement_Studio.py"
    BATCH = "pages/4_Batch_Enhancement.py"


_STUDIO_SCENE = "studio_scene"
_STUDIO_SCENE_STYLE = "studio_scene_style"


def send_scene_to_studio(scene: Mapping[str, Any]) -> None:
    """Hand a trend scene (plain data) to the Enhancement Studio and open it, with the background
    style its setting names (the Studio then decides: the user's choice, this, the per-photo default)."""
    st.session_state[_STUDIO_SCENE] = dict(scene)
    st.session_state[_STUDIO_SCENE_STYLE] = suggest_style(dict(scene))
    st.switch_page(Page.STUDIO)


def style_for_studio() -> str | None:
    """The style of the trend scene handed over in this session, if any."""
    style = st.session_state.get(_STUDIO_SCENE_STYLE)
    return style if isinstance(style, str) else None


def scene_for_studio() -> dict[str, Any] | None:
    """The scene the Trend Explorer handed over in this session, if any."""
    scene = st.session_state.get(_STUDIO_SCENE)
    return scene if isinstance(scene, dict) else None
