"""The corpus tests' shared set-up: the held-out table is printed after a run that measured it."""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter, config):
    from test_corpus_heldout import HELDOUT_KEY

    figures = config.stash.get(HELDOUT_KEY, None)
    if figures:
        from heldout_cases import table

        terminalreporter.write_sep("-", "held-out set (tests/corpus/heldout, issue 16)")
        terminalreporter.write_line(table([figures[name] for name in sorted(figures)]))

    from test_corpus_heldout2 import HELDOUT2_KEY

    figures2 = config.stash.get(HELDOUT2_KEY, None)
    if figures2:
        from heldout2_cases import table2

        terminalreporter.write_sep("-", "held-out set 2 (tests/corpus/heldout2, issue 29)")
        terminalreporter.write_line(table2([figures2[name] for name in sorted(figures2)]))
