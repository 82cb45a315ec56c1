"""The input surfaces of the trust suite: each hostile-input case is marked ``@pytest.mark.hostile("SURFACE")``."""

from __future__ import annotations

HOSTILE_SURFACES = ("corpus", "glossary", "settings", "templates", "interchange", "models", "llm", "serve")
"""corpus: source articles; glossary: termbases; settings: edition.toml; templates: HTML/PDF/EPUB/prompt
templates; interchange: PO, XLIFF, TMX and TBX files; models: model archives and folders; llm: an LLM
server's answers; serve: requests to ``bitext serve``."""

HOSTILE_MINIMUM = 15
"""The fewest cases each surface must hold."""


def hostile_surfaces(items) -> dict[str, int]:
    """How many collected test cases feed each surface hostile input (a parametrized test counts per case)."""
    counts = dict.fromkeys(HOSTILE_SURFACES, 0)
    for item in items:
        mark = item.get_closest_marker("hostile")
        if mark is None:
            continue
        surface = mark.args[0] if mark.args else ""
        if surface not in counts:
            raise ValueError(f"{item.nodeid}: hostile({surface!r}) names no surface of {HOSTILE_SURFACES}")
        counts[surface] += 1
    return counts
