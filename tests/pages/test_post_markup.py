"""A crafted export's fields reach the pages as plain text: no link, no image, no HTML (issue 24)."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core import PROJECT_ROOT
from core.settings import load_settings
from core.trends import store
from tests.support.crafted import EVIL, PHISH, PIXEL, crafted_posts

_LIVE_MARKUP = re.compile(r"(?<!\\)\]\(|(?<!\\)!\[|(?<!\\)<img|(?<!\\)<a |\n\s*\n")
"""An unescaped Markdown link or image, a raw image/link tag, or a blank line (it ends an HTML block)."""


def _texts(at: AppTest) -> list[str]:
    found = [m.value for m in at.markdown] + [c.value for c in at.caption]
    found += [w.value for w in at.warning] + [e.label for e in at.expander]
    return found


def test_hostile_saved_posts_render_as_plain_text(demo_dir, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path))
    store.save_posts(crafted_posts(), "crafted", load_settings())  # as an older, unchecked import left them
    at = AppTest.from_file(str(PROJECT_ROOT / "Home.py"), default_timeout=90).run()
    at = at.switch_page("pages/1_Trend_Explorer.py").run()
    at.radio[0].set_value("Saved posts").run()
    next(b for b in at.button if b.label == "Load posts").click().run()
    assert not at.exception and not at.error
    evidence = [m.value for m in at.markdown if "trend-evidence" in m.value]
    assert evidence, "the crafted posts should back a term with evidence"
    texts = _texts(at)
    assert any("session expired" in t for t in texts)  # the hostile text is shown ...
    for text in texts:  # ... but only ever as text
        if "session expired" in text or "<" in text:
            assert not _LIVE_MARKUP.search(text.replace('<a href="https://', "")), text
    for e in evidence:
        assert f'href="https://{EVIL}' not in e and "\n" not in e
    specs = [c.proto.spec for c in at.get("plotly_chart")]
    heat = next(s for s in specs if "femalefashionadvice" in s)
    assert "<a " not in heat and "<img" not in heat and "&lt;img" in heat  # the subreddit label, escaped


def test_the_llm_scene_prompt_is_text_in_the_studio(demo_dir, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path))
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "3_Enhancement_Studio.py"), default_timeout=120)
    at.session_state["studio_scene"] = {
        "prompt": f"soft light\n\n{PHISH} {PIXEL}",
        "environment": "studio",
        "colors": ["#f6e08a", "red;background:url(https://evil.example/x.gif)"],
        "lighting": "soft",
    }
    at.run()
    assert not at.exception
    caption = next(c.value for c in at.caption if c.value.startswith("Scene from"))
    assert "session expired" in caption and not _LIVE_MARKUP.search(caption)
    assert not any(f"url(https://{EVIL}" in m.value for m in at.markdown)  # no CSS from a scene colour


def test_event_categories_are_text_in_the_predictor_charts(demo_dir, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path / "data"))
    link = "<a href='http://3232235777/'>Your session expired</a>"  # no dot: a valid category token
    rows = [
        f'2019-10-0{1 + i % 9} 10:00:00 UTC,purchase,{i},1,"apparel.{link if i % 2 else "shoes"}",b,9.5,{i % 7},s'
        for i in range(40)
    ]
    events = tmp_path / "events.csv"
    events.write_text(
        "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n"
        + "\n".join(rows)
        + "\n"
    )
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "2_Purchase_Predictor.py"), default_timeout=240).run()
    at.radio(key="pp_source").set_value("Server path").run()
    at.text_input(key="pp_path").set_value(str(events)).run()
    assert not at.exception and not at.error
    mix = next(c.proto.spec for c in at.get("plotly_chart") if "session expired" in c.proto.spec)
    assert "<a href" not in mix and "&lt;a href=" in mix  # shown as the characters it is, not a link
