"""The post-editing stage: translators' English, kept in ``corpus/<slug>.en.po`` and carried through every build.

:mod:`.store` reads and syncs the PO stores; :mod:`.apply` puts edited English over
the machine's in a build; :mod:`.proof` checks a translator's English.

The round trip with CAT tools: :mod:`.session` translates the corpus as a build
does, :mod:`.exchange` says what goes out and comes back whatever the format,
:mod:`.pofile` and :mod:`.xliff` (2.1 and 1.2) write and read the files,
:mod:`.export` writes them, :mod:`.merge` imports them, :mod:`.status` and
:mod:`.tmx` report on the edits.
"""

from __future__ import annotations

from translate.postedit.apply import PostEditResult, StaleEdit, apply_edits
from translate.postedit.store import PO_SUFFIX, Edit, read_store, store_path, sync_store

__all__ = ["PO_SUFFIX", "Edit", "PostEditResult", "StaleEdit", "apply_edits", "read_store", "store_path",
           "sync_store"]
