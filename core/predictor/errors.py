"""Predictor errors: each message says what is wrong with the data or model and what to do."""

from __future__ import annotations

from core.errors import TrendStudioError


class PredictorError(TrendStudioError):
    """Base class for purchase-predictor problems."""


class EventSourceError(PredictorError):
    """An events path does not exist, matches nothing, or has an unsupported format."""


class EventSchemaError(PredictorError):
    """An events file lacks a required column or a column's values cannot be parsed."""


class TooLittleDataError(PredictorError):
    """Not enough (customer, cutoff) examples, cutoffs or categories to train or evaluate honestly."""


class ModelLoadError(PredictorError):
    """A model folder is missing, incomplete or not a model this version can read."""
