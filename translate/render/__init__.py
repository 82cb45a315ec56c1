"""Renderers: the translated edition as a static website and as PDF books."""
