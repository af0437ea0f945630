"""Campaign errors; each message names what failed and what to do."""

from __future__ import annotations

from core.errors import TrendStudioError


class CampaignError(TrendStudioError):
    """A campaign run cannot start (bad options, unreadable run.json to replay)."""


class StageError(CampaignError):
    """One stage of a run failed; everything earlier stages wrote is kept in the run folder."""

    def __init__(self, stage: str, reason: str, run_dir: str) -> None:
        super().__init__(f"campaign stage '{stage}' failed: {reason} (earlier outputs kept in {run_dir})")
        self.stage = stage
        self.reason = reason
        self.run_dir = run_dir
