"""A readable, self-contained summary.html for a run folder: stages, palette, top categories and
before/after thumbnails (relative links, so the folder can be zipped and opened anywhere)."""

from __future__ import annotations

from html import escape
from typing import Any

_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1100px}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:left}
.swatch{display:inline-block;width:4rem;height:4rem;border-radius:.4rem;margin-right:.5rem;border:1px solid #ccc}
.pair img{max-width:300px;border:1px solid #ddd}.failed{color:#b00}.muted{color:#777}
"""


def render(run: dict[str, Any]) -> str:
    """The summary page of one run record (run.json contents)."""
    fig = run.get("figures", {})
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>Campaign run {escape(run['run_id'])}"
        f"</title><style>{_CSS}</style></head><body>",
        f"<h1>Campaign run {escape(run['run_id'])}</h1>",
        f"<p>Status: <b>{escape(run['status'])}</b>"
        + (f" · replay of {escape(str(run['replay_of']))}" if run.get("replay_of") else "")
        + "</p>",
        _stages(run.get("stages", [])),
    ]
    if fig.get("palette"):
        parts.append(_palette(fig))
    if fig.get("top_categories"):
        parts.append(_categories(fig))
    if fig.get("items"):
        parts.append(_pairs(fig["items"]))
    for warning in run.get("warnings", []):
        parts.append(f"<p class='failed'>Warning: {escape(warning)}</p>")
    parts.append(
        "<p class='muted'>Files: trend_report.json, predictions.csv, category_shares.csv, "
        "images/ (with report.csv), run.json (rerun with <code>python -m core run --replay "
        "run.json --out DIR</code>).</p></body></html>"
    )
    return "\n".join(parts)


def _stages(stages: list[dict]) -> str:
    rows = "".join(
        f"<tr><td>{escape(s['name'])}</td><td class='{'failed' if s['status'] == 'failed' else ''}'>"
        f"{escape(s['status'])}</td><td>{_seconds(s.get('seconds'))}</td>"
        f"<td>{escape(s.get('error') or '')}</td></tr>"
        for s in stages
    )
    return f"<h2>Stages</h2><table><tr><th>stage</th><th>status</th><th>time</th><th>error</th></tr>{rows}</table>"


def _palette(fig: dict) -> str:
    scene = fig.get("scene", {})
    swatches = "".join(
        f"<span class='swatch' style='background:{escape(c)}' title='{escape(c)}'></span>"
        for c in fig["palette"]
    )
    return (
        f"<h2>Trend scene</h2><p>{swatches}</p><p>{escape(scene.get('environment', ''))}, "
        f"{escape(scene.get('lighting', ''))} · mood: {escape(scene.get('mood', ''))} · background style: "
        f"<b>{escape(fig.get('style', ''))}</b> · from {fig.get('posts', 0):,} posts</p>"
    )


def _categories(fig: dict) -> str:
    rows = "".join(
        f"<tr><td>{escape(c['category'])}</td><td>{c['share']:.1%}</td><td>{c['customers']:,}</td>"
        f"<td>{c['mean_confidence']:.2f}</td><td>{escape(', '.join(c['photos']))}</td></tr>"
        for c in fig["top_categories"]
    )
    skipped = fig.get("without_photos") or []
    note = (
        f"<p class='muted'>Predicted but without photos: {escape(', '.join(skipped))}</p>" if skipped else ""
    )
    if fig.get("share_forecast"):
        note += f"<p class='muted'>{escape(fig['share_forecast']['sentence'])}</p>"
    return (
        "<h2>Top categories by predicted share of next purchases</h2><table><tr><th>category</th>"
        "<th>share</th><th>customers</th><th>mean confidence</th><th>photos</th></tr>"
        f"{rows}</table>{note}"
    )


def _pairs(items: list[dict]) -> str:
    rows = []
    for item in items:
        if item["status"] == "done":
            cells = (
                f"<td><img src='{escape(item['before'])}' alt='before'></td>"
                f"<td><img src='{escape(item['after'])}' alt='after'></td>"
            )
        else:
            cells = f"<td colspan='2' class='failed'>{escape(item['error'])}</td>"
        rows.append(
            f"<tr class='pair'><td>{escape(item['category'])}<br>{escape(item['name'])}</td>{cells}</tr>"
        )
    return (
        "<h2>Before / after</h2><table><tr><th>product</th><th>before</th><th>after</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.1f} s"
