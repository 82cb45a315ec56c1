"""Fixtures for the trust tests (defined with the helpers in trusttools.py)."""

from trusttools import *  # noqa: F401,F403
