"""pypinyin (romanised names in bylines) is loaded as long-lived data: the collector paused, then frozen.

Each check runs in a fresh interpreter: pypinyin is imported once a process, and the
collector's state is the process's.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest


def _run(code: str) -> None:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_found_and_the_tables_are_frozen_once(enabled):
    _run(f"""
        import gc, sys
        from translate.glossary import labels
        assert "pypinyin" not in sys.modules
        gc.enable() if {enabled} else gc.disable()
        labels.load_romanisation()
        assert "pypinyin" in sys.modules
        assert gc.isenabled() is {enabled}
        assert gc.get_freeze_count() > 100_000, gc.get_freeze_count()  # its phrase dictionary, among others
        gc.unfreeze()
        labels.load_romanisation()  # once a process: nothing is frozen again
        assert gc.get_freeze_count() == 0 and gc.isenabled() is {enabled}
        """)


def test_a_byline_loads_it_before_romanising_and_names_are_as_pypinyin_gives_them():
    _run("""
        import gc, sys
        from translate.glossary.labels import speaker_english
        from translate.models import ArticleMeta
        from translate.render import views

        class NoGlossary:
            def lookup(self, text):
                return None
            def find(self, text):
                return []

        meta = ArticleMeta("题", "题", "a.md", "simplified", authors=("王小川",), publication="晚点 LatePost")
        byline = views.credits(meta, NoGlossary())
        assert gc.get_freeze_count() > 0 and gc.isenabled()
        assert byline[0].names_en == ("Wang Xiaochuan",), byline
        assert byline[1].names_en == ("LatePost",), byline
        gc.unfreeze()
        assert views.credits(meta, NoGlossary()) == byline and gc.get_freeze_count() == 0
        """)
    # A byline with no name to romanise does not load it.
    _run("""
        import sys
        from translate.models import ArticleMeta
        from translate.render import views
        meta = ArticleMeta("题", "题", "a.md", "simplified", date="2026-01-01")
        assert views.credits(meta, None)[0].names_en == ("2026-01-01",)
        assert "pypinyin" not in sys.modules
        """)
