"""Outside strings (post fields, LLM answers, file names, e-mail addresses) as data, never markup.

Every page that puts such a string into `st.markdown`/`st.caption`/`st.write`, into HTML passed with
`unsafe_allow_html`, or into a Plotly label or hover text escapes it here, at the point of rendering:
no link, image, colour directive, LaTeX or HTML tag from a post can reach the browser as markup.
"""

from __future__ import annotations

import html
import re
import string
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the sign-in screen imports this module: no chart libraries on its path
    import plotly.graph_objects as go

_SPACE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_PUNCT = frozenset(string.punctuation)
_ENTITY = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#x27;"}


def one_line(value: object) -> str:
    """The text on one line: newlines, tabs and control characters become single spaces."""
    return _SPACE.sub(" ", str(value))


def md(value: object) -> str:
    """For Markdown (st.markdown, st.caption, st.write, labels): every ASCII punctuation mark is
    backslash-escaped, so `[x](url)`, `![](img)`, `:red[x]`, `$x$`, `<b>`, `*x*` and bare
    `https://…` autolinks all show as the characters they are."""
    return "".join("\\" + ch if ch in _PUNCT else ch for ch in one_line(value))


def code(value: object) -> str:
    """For Markdown, as an inline code span: shown exactly as written (file names, paths), monospaced.
    The fence is longer than any run of backticks inside, so nothing can close it early."""
    text = one_line(value)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if text else ""


def html_text(value: object) -> str:
    """For HTML given to `unsafe_allow_html`: tags and entities escaped, and every punctuation mark
    written as a numeric entity so nothing in it can end the HTML block or read as Markdown."""
    return "".join(_ENTITY.get(ch) or (f"&#{ord(ch)};" if ch in _PUNCT else ch) for ch in one_line(value))


def plot_text(value: object) -> str:
    """For Plotly labels, tick labels and hover text (Plotly renders `<a href>`, `<b>`, `<br>`)."""
    return html.escape(one_line(value), quote=True)


_TRACE_TEXT = ("x", "y", "labels", "parents", "ids", "text", "hovertext", "customdata")


def safe_figure(fig: go.Figure) -> go.Figure:
    """A figure built from outside data (categories, feature names, customer ids from an uploaded file)
    with every data string escaped for Plotly: points, labels, hover data, legend names, category
    orders, tick texts and titles. Templates and axis titles the code wrote are left as they are."""
    for trace in fig.data:
        for attr in _TRACE_TEXT:
            if attr in trace and trace[attr] is not None:
                trace[attr] = _escaped(trace[attr])
        if "name" in trace and isinstance(trace.name, str):
            trace.name = plot_text(trace.name)
    for name in list(fig.layout):
        if name.startswith(("xaxis", "yaxis")):
            axis = fig.layout[name]
            for attr in ("categoryarray", "ticktext"):
                if axis[attr] is not None:
                    axis[attr] = _escaped(axis[attr])
    if fig.layout.title.text:
        fig.layout.title.text = plot_text(fig.layout.title.text)
    for note in fig.layout.annotations or ():
        note.text = plot_text(note.text or "")
    return fig


def _escaped(value: Any) -> Any:
    import numpy as np  # noqa: PLC0415 - see the TYPE_CHECKING note above

    if isinstance(value, str):
        return plot_text(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "OUS":
            return np.vectorize(_escaped, otypes=[object])(value) if value.size else value
        return value
    if isinstance(value, list | tuple):
        return type(value)(_escaped(v) for v in value)
    return value
