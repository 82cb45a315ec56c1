"""The PDF renderer's URL guard: it loads local files inside the project, and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urlsplit

from translate.errors import BlockedURLError


def _refuse(url: str, reason: str) -> BlockedURLError:
    return BlockedURLError(
        f"the PDF renderer refused to load {url!r} ({reason}); it loads only files inside the project and "
        "the build folder — images are printed as captioned placeholders"
    )


def check_url(url: str, allowed: Iterable[Path]) -> Path:
    """The local file ``url`` names, if it is a ``file:`` URL inside one of ``allowed``; else BlockedURLError."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        raise _refuse(url, "remote or non-file URL")
    path = Path(unquote(parts.path)).resolve()
    for root in allowed:
        if path.is_relative_to(Path(root).resolve()):
            return path
    raise _refuse(url, "file outside the project")


def _fetcher(allowed: tuple[Path, ...]):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):
        """WeasyPrint's fetcher, limited to local files inside the project."""

        def fetch(self, url, headers=None):
            path = check_url(url, allowed)
            return URLFetcherResponse(url, body=path.read_bytes())

    return ProjectFetcher(fail_on_errors=True)
