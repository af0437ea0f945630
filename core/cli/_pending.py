"""Placeholder handler for commands whose implementation lands with a later issue."""

from __future__ import annotations

import argparse

from core.errors import NotYetAvailableError


def pending(issue: int):
    def handler(args: argparse.Namespace) -> int:
        raise NotYetAvailableError(f"`{args.command}` is not available yet (issue #{issue})")

    return handler
