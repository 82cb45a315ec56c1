"""Fixtures for the translation tests (defined with the fakes in fakes.py)."""

from fakes import *  # noqa: F401,F403
