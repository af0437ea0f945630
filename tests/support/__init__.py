"""Test helper modules shared by the test layers (data lookups, trained fixtures, browser driving).

The fake HTTP servers are in tests/fakes/; fixtures pytest discovers are in tests/conftest.py.
"""
