"""Trend Studio core library: trends, purchase prediction and product-photo enhancement.

Nothing here imports Streamlit; every capability is callable from Python or `python -m core`.
"""

from pathlib import Path

__version__ = "0.1.0"

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The repository root; config/, data/ and weights/ are found relative to it."""
