"""Outside strings (post fields, LLM answers, file names, e-mail addresses) as data, never markup.

Every page that puts such a string into `st.markdown`/`st.caption`/`st.write`, into HTML passed with
`unsafe_allow_html`, or into a Plotly label or hover text escapes it here, at the point of rendering:
no link, image, colour directive, LaTeX or HTML tag from a post can reach the browser as markup.
"""

from __future__ import annotations

import html
import re
import string

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
