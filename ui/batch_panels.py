"""The Batch page's results panel: metrics, FLUX cost, downloads, failures, the table and before/after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from core.imaging.batch_session import THUMB
from ui.flux_controls import show_flux_cost
from ui.safe_text import code

MAX_WARNINGS = 20


def results_panel(run: dict[str, Any]) -> None:
    """Render a finished batch run (as the page keeps it in `st.session_state["batch_run"]`)."""
    rows = pd.DataFrame(run["rows"])
    st.subheader("Results")
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Done", int((rows["status"] == "done").sum()))
    m2.metric("Failed", int((rows["status"] != "done").sum()))
    m3.metric(
        "Poor quality",
        int((rows["quality"] == "poor").sum()),
        help="Upscaled more than 2.5x, soft or clipped: the marketplace may accept it, a picky reviewer would not",
    )
    m4.metric("Seconds per image", f"{run['seconds']:.2f}" if run["seconds"] else "–")
    show_flux_cost(run.get("flux"), scope="this batch")
    d1, d2 = st.columns(2)
    # read from disk only when clicked: a large results ZIP is not held in memory on every rerun
    d1.download_button(
        "⬇️ Results ZIP (images + report.csv)",
        Path(run["zip"]).read_bytes,
        file_name="enhanced.zip",
        mime="application/zip",
        key="batch_zip",
        on_click="ignore",
    )
    d2.download_button(
        "⬇️ report.csv",
        Path(run["report"]).read_bytes,
        file_name="report.csv",
        mime="text/csv",
        key="batch_report",
        on_click="ignore",
    )
    failures = [r for r in run["rows"] if r["status"] != "done"]
    for row in failures[:MAX_WARNINGS]:
        st.warning(f"**{code(row['file'])}** failed: {row['issues']}")
    if len(failures) > MAX_WARNINGS:
        st.warning(f"… and {len(failures) - MAX_WARNINGS} more failures: see the table and report.csv")
    st.dataframe(rows, hide_index=True)

    if run["pairs"]:
        st.subheader("Before / after")
        grid = st.columns(4)
        for i, (name, before, after) in enumerate(run["pairs"]):
            with grid[i % 4]:
                st.image(str(after), caption=code(name))
                with st.popover("Before / after", width="stretch"):
                    st.image([str(before), str(after)], caption=["Before", "After"], width=THUMB)
