"""Fixtures for the LLM engine's tests (defined with the helpers in llmtools.py; the server is chatserver.py)."""

from llmtools import *  # noqa: F401,F403
