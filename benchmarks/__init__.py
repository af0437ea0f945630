"""Benchmarks: run each as `.venv/bin/python -m benchmarks.<name>` from the project root (see README.md)."""
