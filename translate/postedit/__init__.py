"""The post-editing stage: translators' English, kept in ``corpus/<slug>.en.po`` and carried through every build.

:mod:`.store` reads and syncs the PO stores; :mod:`.apply` puts edited English over
the machine's in a build.
"""

from __future__ import annotations

from translate.postedit.apply import PostEditResult, StaleEdit, apply_edits
from translate.postedit.store import PO_SUFFIX, Edit, read_store, store_path, sync_store

__all__ = ["PO_SUFFIX", "Edit", "PostEditResult", "StaleEdit", "apply_edits", "read_store", "store_path",
           "sync_store"]
