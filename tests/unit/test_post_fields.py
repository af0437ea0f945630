"""Post fields are data, never markup: import drops a subreddit or URL that could carry markup (the post
kept, the reason counted), and the escape helpers turn any outside string into plain text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.cli import main
from core.trends.clean import valid_subreddit, valid_url
from core.trends.report import Evidence
from core.trends.sources import load_posts
from tests.support.crafted import BAD_SUBREDDIT, EVIL, PHISH, PIXEL, write_crafted_export
from ui.safe_text import code, html_text, md, plot_text
from ui.trend_charts import evidence_html


def test_a_crafted_export_keeps_its_posts_and_drops_the_hostile_fields(tmp_path: Path) -> None:
    result = load_posts(write_crafted_export(tmp_path / "crafted.ndjson"), settings=None)
    assert len(result.posts) == 60 and result.skipped == 0  # every post kept
    assert {p.subreddit for p in result.posts} == {"good_sub", "crafted"}  # the file name stands in
    assert all(p.url == "" for p in result.posts)  # newline-laden or javascript: URLs dropped
    assert result.fields_dropped == {
        "subreddit not a Reddit name ([A-Za-z0-9_]{1,21})": 30,
        "url not http(s) or with spaces/control characters": 60,
    }
    assert not any(EVIL in p.subreddit or EVIL in p.url for p in result.posts)


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("femalefashionadvice", True),
        ("a_b_9", True),
        ("x" * 21, True),
        ("x" * 22, False),
        ("", False),
        ("ffa\n\nhi", False),
        ("ffa ", False),
        ("r/ffa", False),
        ("ffа", False),
        ("ffa<b>", False),
    ],
)
def test_subreddit_names_follow_reddit(name: str, ok: bool) -> None:
    assert valid_subreddit(name) is ok


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://www.reddit.com/r/x/comments/1/", True),
        ("HTTP://example.com/a?b=c", True),
        ("javascript:alert(1)", False),
        ("data:text/html,x", False),
        ("https://a.com/x\nb", False),
        ("https://a.com/ x", False),
        ("https://a.com/\x00", False),
        ("https://a.com/\u2028", False),
        ("//evil.example/x", False),
        ("https://", False),
    ],
)
def test_urls_are_http_without_whitespace_or_controls(url: str, ok: bool) -> None:
    assert valid_url(url) is ok


def test_markdown_escape_leaves_no_link_image_or_html() -> None:
    shown = md(BAD_SUBREDDIT)
    assert "\n" not in shown and re.search(r"(?<!\\)[][()<>!:/]", shown) is None  # each mark escaped
    assert "\\[Your session expired — sign in again\\]\\(https\\:\\/\\/evil\\.example\\/login\\)" in shown
    assert md(":red[x] $x$ *a*") == "\\:red\\[x\\] \\$x\\$ \\*a\\*"


def test_html_and_plot_escapes() -> None:
    assert html_text("a\n\n<b>[x](y)") == "a &lt;b&gt;&#91;x&#93;&#40;y&#41;"
    assert plot_text(f"r/x<a href='https://{EVIL}'>click</a>\n") == (
        "r/x&lt;a href=&#x27;https://evil.example&#x27;&gt;click&lt;/a&gt; "
    )


def test_evidence_from_an_unchecked_report_stays_one_block_of_text() -> None:
    e = Evidence(
        id="c1",
        title=f"jacket {PHISH}",
        url=f"https://x.com/\n\n{PHISH}",
        subreddit=BAD_SUBREDDIT,
        score=5,
        snippet=f"golden hour\n\n{PIXEL} {PHISH}",
        match="golden hour",
    )
    shown = evidence_html(e)
    assert "\n" not in shown and "<a " not in shown and "<img" not in shown and "](" not in shown
    assert shown.startswith('<div class="trend-evidence">') and shown.endswith("</div>")


def test_code_spans_show_file_names_exactly() -> None:
    assert code("p1.png") == "` p1.png `"
    assert code("a``b") == "``` a``b ```"  # the fence outlasts any backticks inside
    assert code("x\n\n[y](https://e.com)") == "` x [y](https://e.com) `"  # one line, inside the span


def test_the_cli_says_which_fields_it_dropped(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path / "data"))
    source = write_crafted_export(tmp_path / "crafted.ndjson")
    assert main(["trends", str(source), "--out", str(tmp_path / "r.json"), "--no-store"]) == 0
    err = capsys.readouterr().err
    assert "kept posts with a field dropped: " in err
    assert "30 subreddit not a Reddit name" in err and "60 url not http(s)" in err
