"""Fixtures for the post-editing tests (defined with the helpers in posttools.py)."""

from posttools import *  # noqa: F401,F403
