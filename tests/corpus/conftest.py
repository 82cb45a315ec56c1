"""The corpus tests' shared set-up: the held-out table is printed after a run that measured it."""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter, config):
    from test_corpus_heldout import HELDOUT_KEY

    figures = config.stash.get(HELDOUT_KEY, None)
    if figures:
        from heldout_cases import table

        terminalreporter.write_sep("-", "held-out set (tests/corpus/heldout, issue 16)")
        terminalreporter.write_line(table([figures[name] for name in sorted(figures)]))
