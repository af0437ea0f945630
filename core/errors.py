"""Exceptions whose message tells the user what to do next.

Pages show `str(exc)` in `st.error`; the CLI prints it on one line and exits non-zero.
"""


class TrendStudioError(Exception):
    """Base class for every error a user can act on."""


class ConfigError(TrendStudioError):
    """A configuration file or value is malformed."""


class ModelProvisionError(TrendStudioError):
    """The bundled cut-out model is missing, corrupt or could not be fetched."""
