"""How a model download is done, whatever its source: the errors, the folder it waits in, sizes, records.

Shared by the Argos package index (:mod:`translate.translation.argosindex`) and the Hugging Face Hub
(:mod:`translate.translation.hub`); :mod:`translate.translation.download` chooses between them.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path

from translate.errors import ModelPackageError

#: Seconds to wait for a server to answer, and between two pieces of an answer.
TIMEOUT = 30.0
#: The file an Argos package installed by download carries: where it came from.
ORIGIN_FILE = "bitext-download.json"

class DownloadError(ModelPackageError):
    """A model cannot be downloaded: the name, the server, the network or what the server sent."""


def cache_dir() -> Path:
    """Where downloads wait until installed: ``$XDG_CACHE_HOME/bitext/downloads`` (``~/.cache/bitext/downloads``).

    Not the models folder: Argos's own tools read every folder there as a package.
    """
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bitext" / "downloads"


def kib(size: int) -> int:
    """``size`` bytes in KiB, rounded up (what a download's progress bar counts)."""
    return -(-size // 1024)


def sized(size: int) -> str:
    """``size`` bytes for a message: ``1.5 MiB``, ``2.0 KiB`` or ``512 bytes``."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):,.1f} MiB"
    return f"{size / 1024:,.1f} KiB" if size >= 1024 else f"{size:,} bytes"


def now() -> str:
    """The time, UTC, ISO 8601 to the second (when a model was downloaded)."""
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def write_json(path: Path, data: dict) -> None:
    """Write ``data`` to ``path`` whole or not at all (a temporary file renamed over it)."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, path)


def record_origin(model, origin: dict, source: str = "") -> None:
    """Record where an installed ``model`` came from: in a folder's ``bitext-model.json``, beside a package's metadata.

    ``source`` replaces the folder's ``source`` (the download's temporary folder it was installed from, gone now).
    """
    from translate.translation.folders import MARKER, FolderModel

    try:
        if isinstance(model, FolderModel):
            marker_path = model.path / MARKER
            marker = json.loads(marker_path.read_text(encoding="utf-8"))
            marker["download"] = origin
            if source:
                marker["source"] = source
            write_json(marker_path, marker)
        else:
            write_json(model.path / ORIGIN_FILE, origin)
    except (OSError, ValueError) as exc:
        raise DownloadError(f"installed, but where it came from could not be recorded ({exc})",
                            path=model.path) from exc
