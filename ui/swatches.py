"""Colour swatches: the one way a page or panel shows a palette (trend scenes, campaign runs, the Studio)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

import streamlit as st

_CSS_COLOUR = re.compile(r"#[0-9A-Fa-f]{3,8}|[A-Za-z]{1,30}")
"""A hex code or a CSS colour name: nothing else reaches a style attribute (no `url(...)`, no `;`)."""


def swatches_html(colors: Iterable[str], *, size: str = "2.75rem", codes: bool = False) -> str:
    """Square swatches of `colors` (#rrggbb), each titled with its code; `codes` also writes the code
    after each. Colours are escaped: scenes can come from a model that read user posts."""
    out = []
    for colour in colors:
        c = escape(str(colour), quote=True) if _CSS_COLOUR.fullmatch(str(colour)) else "#808080"

        out.append(
            f"<span title='{c}' style='display:inline-block;width:{size};height:{size};"
            f"vertical-align:middle;border-radius:.4rem;margin-right:.4rem;border:1px solid #0002;"
            f"background:{c}'></span>" + (f"<code>{c}</code>&ensp;" if codes else "")
        )
    return "".join(out)


def show_swatches(
    colors: Iterable[str], *, size: str = "2.75rem", codes: bool = False, title: str = ""
) -> None:
    """`swatches_html` as one markdown line, after an optional bold `title`."""
    prefix = f"**{title}** " if title else ""
    st.markdown(prefix + swatches_html(colors, size=size, codes=codes), unsafe_allow_html=True)
