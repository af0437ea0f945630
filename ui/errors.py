"""Errors in the browser: a short message with an id; the traceback goes to the server log only.

`.streamlit/config.toml` sets `showErrorDetails = "none"`, so an uncaught exception shows Streamlit's
redacted notice; pages that can say more wrap risky work in `guarded("what the user was doing")`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from core.errors import TrendStudioError

log = logging.getLogger("trendstudio.errors")


def report_error(exc: BaseException, doing: str) -> str:
    """Log `exc` with a new id and show the user a short message quoting it; returns the id."""
    error_id = uuid.uuid4().hex[:8]
    log.error("error %s while %s", error_id, doing, exc_info=(type(exc), exc, exc.__traceback__))
    st.error(
        f"Something went wrong while {doing}. Please try again; if it keeps happening, quote "
        f"error id **{error_id}** to whoever runs this server."
    )
    return error_id


@contextmanager
def guarded(doing: str) -> Iterator[None]:
    """Errors a user can act on show their own message; anything else shows only an id."""
    try:
        yield
    except TrendStudioError as exc:
        st.error(str(exc))
    except Exception as exc:  # st.stop/st.rerun are BaseExceptions and pass through
        report_error(exc, doing)
