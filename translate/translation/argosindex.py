"""Argos packages from the Argos package index: choose the zh→en package, download it, resume, verify.

The index (``translation.argos_index``, Argos's own ``index.json`` by default) is a JSON list of
package entries as argostranslate reads them: ``code`` (``translate-zh_en``), ``type``,
``from_code``, ``to_code``, ``package_version``, ``links`` (the archive's URLs) and optionally
``sha256`` (a hex digest of the archive; Argos's index carries none at present, so an archive is
then trusted to its zip checksums and the checks of ``bitext model install``).

Everything in it is untrusted: the index is read to at most :data:`MAX_INDEX_BYTES` with its JSON
nesting bounded, only ``http``/``https`` links are followed (redirects too), an archive larger than
``translation.max_model_size_mb`` is refused as soon as its size is known and the download stops if it
grows past it, and every wait has a timeout. The archive is written to a ``.part`` file in
:func:`translate.translation.download.cache_dir`; a dropped connection is resumed with a ``Range``
request (``If-Range`` the server's validator, so a changed file starts over), a few times in one run
and again on the next run, and only a complete archive whose hash matches is installed.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import re
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from translate import __version__
from translate.inputs import excerpt, quoted
from translate.progress import progress
from translate.settings import SETTINGS, Settings
from translate.translation.transfer import (
    TIMEOUT,
    DownloadError,
    cache_dir,
    kib,
    now,
    record_origin,
    sized,
    write_json,
)
from translate.translation.packages import (
    DEFAULT_MAX_MB,
    FROM_CODE,
    MIB,
    TO_CODE,
    install_model,
    installed_packages,
)

DEFAULT_INDEX = next(s.default for s in SETTINGS if s.attribute == "argos_index")
#: An index larger than this is refused (Argos's is some 100 KiB).
MAX_INDEX_BYTES = 4 * MIB
#: Tries of one download in one run (each one resumes where the last stopped).
ATTEMPTS = 3
CHUNK = 256 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One package of the index, as far as bitext reads it."""

    code: str
    """Its ``code`` (``translate-zh_en``), or ``type-from_to`` as argostranslate derives it."""
    from_code: str
    """Source language code."""
    to_code: str
    """Target language code."""
    version: str
    """``package_version`` (may be empty)."""
    links: tuple[str, ...]
    """The archive's URLs (``http`` or ``https`` only)."""
    sha256: str = ""
    """The archive's SHA-256, when the index gives one."""

    @property
    def label(self) -> str:
        """e.g. ``translate-zh_en 1.9``."""
        return f"{self.code} {self.version}".strip()


class _HttpOnly(urllib.request.HTTPRedirectHandler):
    """Follow redirects to ``http`` and ``https`` URLs only (urllib would follow ``ftp`` too)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise DownloadError(f"{excerpt(req.full_url, 120)} redirects to {excerpt(newurl, 120)}, "
                                "which is not an http or https URL")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnly)


def _open(url: str, headers: dict[str, str] | None = None):
    """The response to a GET of ``url`` (``http``/``https`` only), or a one-line :class:`DownloadError`."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise DownloadError(f"{excerpt(url, 120)} is not an http or https URL")
    request = urllib.request.Request(url, headers={"User-Agent": f"bitext/{__version__}", **(headers or {})})
    try:
        return _OPENER.open(request, timeout=TIMEOUT)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise DownloadError(f"{excerpt(url, 120)} answered HTTP {exc.code} ({excerpt(exc.reason or '', 60)})") \
            from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise DownloadError(f"{excerpt(url, 120)} did not answer in {TIMEOUT:g} s") from None
        raise DownloadError(f"cannot reach {excerpt(url, 120)} ({excerpt(str(reason), 80)})") from None
    except (socket.timeout, TimeoutError):
        raise DownloadError(f"{excerpt(url, 120)} did not answer in {TIMEOUT:g} s") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise DownloadError(f"cannot reach {excerpt(url, 120)} ({excerpt(str(exc) or type(exc).__name__, 80)})") \
            from None


# -- the index ------------------------------------------------------------------------------------

def read_index(url: str) -> list[dict]:
    """The index at ``url``: a JSON list, read to at most :data:`MAX_INDEX_BYTES`."""
    from translate.translation.untrusted import loads_bounded

    with _open(url) as response:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > MAX_INDEX_BYTES:
            raise DownloadError(f"the package index at {excerpt(url, 120)} is {sized(int(declared))}; an index "
                                f"over {sized(MAX_INDEX_BYTES)} is refused (is translation.argos_index right?)")
        try:
            data = response.read(MAX_INDEX_BYTES + 1)
        except (OSError, http.client.HTTPException) as exc:
            raise DownloadError(f"the package index at {excerpt(url, 120)} was cut off ({excerpt(str(exc), 80)})") \
                from None
    if len(data) > MAX_INDEX_BYTES:
        raise DownloadError(f"the package index at {excerpt(url, 120)} runs past {sized(MAX_INDEX_BYTES)}; "
                            "it is refused (is translation.argos_index right?)")
    try:
        index = loads_bounded(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise DownloadError(f"the package index at {excerpt(url, 120)} is not JSON ({excerpt(str(exc), 80)})") \
            from None
    if not isinstance(index, list):
        raise DownloadError(f"the package index at {excerpt(url, 120)} is not a list of packages")
    return index


def _entry(raw: dict) -> IndexEntry | None:
    """The entry ``raw`` describes, or None when it is not a translation package with text fields."""
    if not isinstance(raw, dict):
        return None
    text = {key: raw.get(key, "") for key in ("code", "type", "from_code", "to_code", "package_version", "sha256")}
    if not all(isinstance(value, str) for value in text.values()) or text["type"] not in ("", "translate"):
        return None
    code = text["code"] or f"translate-{text['from_code']}_{text['to_code']}"
    links = raw.get("links", [])
    if not isinstance(links, list):
        return None
    return IndexEntry(code, text["from_code"], text["to_code"], text["package_version"],
                      tuple(link for link in links if isinstance(link, str)), text["sha256"].lower())


def _version_key(entry: IndexEntry):
    from packaging.version import InvalidVersion, Version

    try:
        return Version(entry.version)
    except InvalidVersion:
        return Version("0")


def choose_package(index: list, code: str, version: str | None, where: str) -> IndexEntry:
    """The entry of ``index`` to download: ``code`` (empty: the zh→en package), at ``version`` or the newest."""
    entries = [e for e in (_entry(raw) for raw in index) if e is not None]
    zh_en = sorted({e.code for e in entries if (e.from_code, e.to_code) == (FROM_CODE, TO_CODE)})
    offered = f"zh→en there: {', '.join(quoted(c) for c in zh_en[:5])}" if zh_en else "it has no zh→en package"
    matches = [e for e in entries if e.code == code] if code else \
        [e for e in entries if (e.from_code, e.to_code) == (FROM_CODE, TO_CODE)]
    if not matches:
        raise DownloadError(f"no package {quoted(code or 'zh→en')} in the Argos index at {excerpt(where, 120)} "
                            f"({offered})")
    wrong = [e for e in matches if (e.from_code, e.to_code) != (FROM_CODE, TO_CODE)]
    if wrong:
        direction = f"{excerpt(wrong[0].from_code, 8)}→{excerpt(wrong[0].to_code, 8)}"
        raise DownloadError(f"{quoted(code)} translates {direction}; bitext needs zh→en ({offered})")
    if version is not None:
        pinned = [e for e in matches if e.version == version]
        if not pinned:
            versions = ", ".join(quoted(e.version) for e in matches[:5])
            raise DownloadError(f"the Argos index has no version {quoted(version)} of {quoted(matches[0].code)} "
                                f"(it has {versions})")
        matches = pinned
    chosen = max(matches, key=_version_key)
    if chosen.sha256 and not _SHA256.fullmatch(chosen.sha256):
        raise DownloadError(f"the Argos index gives {quoted(chosen.label)} a sha256 that is not 64 hex digits")
    if not any(urlsplit(link).scheme in ("http", "https") for link in chosen.links):
        raise DownloadError(f"the Argos index gives {quoted(chosen.label)} no http or https link")
    return chosen


# -- the archive ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Partial:
    """What the ``.part`` file beside an unfinished download was fetched from (so a resume asks for the same)."""

    url: str
    validator: str


def _read_partial(meta: Path) -> _Partial | None:
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
        return _Partial(str(data["url"]), str(data["validator"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _total_of(response, offset: int) -> int | None:
    """The whole file's size as the response states it (``Content-Range``, else ``Content-Length`` + offset)."""
    content_range = response.headers.get("Content-Range") or ""
    match = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", content_range.strip())
    if match:
        return int(match.group(3))
    length = response.headers.get("Content-Length")
    return offset + int(length) if length and length.isdigit() else None


def fetch_archive(url: str, part: Path, *, max_bytes: int, label: str) -> Path:
    """Download ``url`` into ``part`` (resuming what is there), to at most ``max_bytes``; returns ``part``.

    A dropped connection is resumed up to :data:`ATTEMPTS` times; after that the ``.part`` file stays
    for the next run to resume, and the error says so.
    """
    meta = part.with_name(part.name + ".json")
    part.parent.mkdir(parents=True, exist_ok=True)
    last_error = ""
    total: int | None = None
    for _attempt in range(ATTEMPTS):
        previous = _read_partial(meta)
        resumable = part.is_file() and previous is not None and previous.url == url and previous.validator
        offset = part.stat().st_size if resumable else 0
        headers = {"Range": f"bytes={offset}-", "If-Range": previous.validator} if offset else {}
        try:
            response = _open(url, headers)
        except DownloadError as exc:
            if offset and "HTTP 416" in exc.message:  # the part is no prefix of the file: start over
                part.unlink(missing_ok=True)
                meta.unlink(missing_ok=True)
                last_error = exc.message
                continue
            raise
        with response:
            resumed = offset > 0 and response.status == 206 and \
                (response.headers.get("Content-Range") or "").startswith(f"bytes {offset}-")
            if not resumed:
                offset = 0
            total = _total_of(response, offset)
            if total is not None and total > max_bytes:
                part.unlink(missing_ok=True)
                meta.unlink(missing_ok=True)
                raise DownloadError(f"{label} is {total / MIB:,.1f} MiB, more than translation.max_model_size_mb = "
                                    f"{max_bytes // MIB} allows; raise it in edition.toml if the package is genuine")
            validator = response.headers.get("ETag") or response.headers.get("Last-Modified") or ""
            if validator.startswith("W/"):
                validator = ""  # a weak validator cannot vouch for a byte range
            write_json(meta, {"url": url, "validator": validator})
            received = offset
            try:
                with part.open("ab" if resumed else "wb") as out, \
                        progress(f"Downloading {label} (KiB)", kib(total or 0)) as advance:
                    advance(kib(offset))
                    while True:
                        chunk = response.read(CHUNK)
                        if not chunk:
                            break
                        if received + len(chunk) > max_bytes:
                            raise DownloadError(f"{label} runs past translation.max_model_size_mb = "
                                                f"{max_bytes // MIB} MiB; the download was stopped and removed")
                        out.write(chunk)
                        advance(kib(received + len(chunk)) - kib(received))
                        received += len(chunk)
            except DownloadError:
                part.unlink(missing_ok=True)
                meta.unlink(missing_ok=True)
                raise
            except (OSError, http.client.HTTPException) as exc:  # a dropped connection, a timeout
                last_error = str(exc) or type(exc).__name__
                if not validator:  # nothing to resume against: the next try starts over
                    meta.unlink(missing_ok=True)
                continue
        if total is not None and received != total:
            last_error = f"the server stopped at {received:,} of {total:,} bytes"
            continue
        meta.unlink(missing_ok=True)
        return part
    done = part.stat().st_size if part.is_file() else 0
    of = f" of {total / MIB:,.1f}" if total else ""
    raise DownloadError(f"the download of {label} from {excerpt(url, 120)} was interrupted at "
                        f"{done / MIB:,.1f}{of} MiB ({excerpt(last_error, 80)}); run the command again to resume")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for chunk in iter(lambda: data.read(MIB), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _file_stem(entry: IndexEntry) -> str:
    """A file name for the entry's download: its code and version with anything but ``[A-Za-z0-9._-]`` made ``_``."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", f"{entry.code}-{entry.version or 'unversioned'}")
    return stem.lstrip(".") or "package"


def download_package(code: str, settings: Settings | None = None, *, version: str | None = None,
                     force: bool = False):
    """Download the Argos package ``code`` (empty: the index's zh→en package) and install it."""
    index_url = settings.argos_index if settings is not None else DEFAULT_INDEX
    max_mb = settings.max_model_size_mb if settings is not None else DEFAULT_MAX_MB
    entry = choose_package(read_index(index_url), code, version, index_url)
    if not force:
        for package in installed_packages(settings):
            if (package.from_code, package.to_code, package.version) == (entry.from_code, entry.to_code,
                                                                         entry.version):
                raise DownloadError(f"{entry.label} is already installed at {package.path}; pass --force to "
                                    "replace it")
    folder = cache_dir() / "argos"
    part = folder / f"{_file_stem(entry)}.argosmodel.part"
    links = [link for link in entry.links if urlsplit(link).scheme in ("http", "https")]
    errors = []
    for link in links:
        try:
            fetch_archive(link, part, max_bytes=max_mb * MIB, label=f"{entry.code} {entry.version}".strip())
            break
        except DownloadError as exc:
            if "interrupted" in exc.message or "max_model_size_mb" in exc.message:
                raise
            errors.append(exc.message)
    else:
        raise DownloadError(errors[-1] if len(errors) == 1 else f"every link of {entry.label} failed: "
                            + "; ".join(errors[:3]))
    digest = _sha256(part)
    if entry.sha256 and digest != entry.sha256:
        part.unlink(missing_ok=True)
        raise DownloadError(f"{entry.label} from {excerpt(link, 120)} does not match the index's sha256 "
                            f"(got {digest[:12]}…, expected {entry.sha256[:12]}…); the download was removed, "
                            "try again")
    archive = part.with_name(part.name.removesuffix(".part"))
    part.replace(archive)
    try:
        installed = install_model(archive, settings, force=force)
    finally:
        archive.unlink(missing_ok=True)
    record_origin(installed, {"format": 1, "source": "argos-index", "index": index_url, "code": entry.code,
                              "package_version": entry.version, "url": link, "sha256": digest,
                              "downloaded": now()})
    return installed
