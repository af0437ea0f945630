"""Trend Explorer: posts in, a validated trend report (with a photo `scene`) out."""
