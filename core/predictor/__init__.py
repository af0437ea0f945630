"""Purchase Predictor: who buys, what and how many, leak-free (cutoff framing) over REES46-format events."""

import os

# XGBoost's OpenMP threads spin while waiting by default; on a shared or busy machine that turned a
# 5 s training into 40 s of spinning. Passive waiting costs nothing when the cores are free. This
# must be set before xgboost (and its libgomp) loads, which every predictor module imports after
# this package; an explicit OMP_WAIT_POLICY from the user wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
