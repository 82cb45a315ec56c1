"""Fixtures for the renderer tests (defined with the helpers in htmltools.py)."""

from htmltools import *  # noqa: F401,F403
