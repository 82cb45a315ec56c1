"""The whole build: corpus → glossary → translate → check → render.

Gather first, write last: every stage is a function of its inputs, and the
outputs are written atomically at the end, under a lock on the build folder.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path

from translate.models import Edition
from translate.outputs import build_lock, file_state, remove_stale_temporaries, write_atomic, write_if_changed
from translate.rebuild import FileMemo, same
from translate.settings import Settings


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build wrote and what it found."""

    edition: Edition
    """The translated edition."""
    outputs: tuple[Path, ...]
    """Files written (or confirmed unchanged)."""
    report_path: Path
    """``build/report.json``."""
    warnings: tuple[str, ...]
    """Things the user should know (e.g. a dictionary-gloss fallback)."""
    skipped: bool = False
    """True when nothing had changed since the last build, so nothing was redone."""


def build_edition(
    settings: Settings,
    *,
    engine_name: str | None = None,
    use_cache: bool = True,
    wait: bool = False,
    build_date: str | None = None,
    backend=None,
    **outputs: bool,
) -> BuildResult:
    """Build the whole edition into ``settings.build_dir``.

    ``outputs``: an output's name set to False skips it (as its ``--no-<name>`` option does);
    the outputs are the builders of :mod:`translate.render.builders`. ``backend``: where the
    translation and the builders' worker jobs run (:class:`translate.cluster.Backend`; None: here);
    this process alone writes the memory, the stores and the outputs either way.
    """
    from translate.glossary import Glossary
    from translate.postedit.store import syncing
    from translate.render.builders import EDITION, chosen, in_start_order
    from translate.translation import open_engine

    build_dir = settings.build_dir
    selected = chosen(outputs)
    wanted = (EDITION, *(builder.name for builder in selected))
    with build_lock(build_dir, wait=wait):
        remove_stale_temporaries(build_dir)
        engine = open_engine(settings, engine_name)
        fingerprint = _fingerprint(settings, engine, use_cache=use_cache, build_date=build_date)
        previous = _previous_build(build_dir, fingerprint, wanted)
        if previous is not None:
            return _unchanged_result(build_dir, previous, engine, wanted)
        # From here outputs change: a build killed half-way must not leave the old state
        # claiming they are current, or the next build would wrongly skip.
        (build_dir / STATE_FILE).unlink(missing_ok=True)

        built: dict[str, list[Path]] = {}
        # A builder's workers start now: spawning them overlaps with translating, and they set
        # its parts while this process writes the other outputs.
        with ExitStack() as running:
            workers = {builder.name: running.enter_context(builder.open_workers(settings) if backend is None
                                                           else backend.open_workers(builder, settings))
                       for builder in selected}
            # What needs only the glossary begins now (the PDF's glossary, set while the articles are translated).
            glossary = Glossary.load(settings.glossary_path)
            prepared = {builder.name: builder.prepare(glossary, settings, workers=workers[builder.name])
                        for builder in selected}
            # The stores the edition's syncs rewrite reach the disk while the builders start (the HTML is written).
            with syncing(settings.corpus_dir) if settings.corpus_dir.is_dir() else nullcontext():
                edition = translated_edition(settings, engine, use_cache=use_cache, build_date=build_date,
                                             backend=backend, glossary=glossary)
                started = {builder.name: builder.start(edition, settings, workers=workers[builder.name],
                                                       prepared=prepared[builder.name])
                           for builder in in_start_order(selected)}
            # After the builders' start (the HTML is written then: bitext serve shows it sooner); read by none.
            built[EDITION] = _write_translations(edition.articles, build_dir / "translations")
            for builder in selected:
                built[builder.name] = started[builder.name].finish()
        report_path = write_if_changed(build_dir / "report.json", _json(edition.report.to_json()))
        built[EDITION].append(report_path)
        # The stores may have been synced by this build: record the inputs as they are now.
        fingerprint = _fingerprint(settings, engine, use_cache=use_cache, build_date=build_date)
        write_atomic(build_dir / STATE_FILE, _json({
            "fingerprint": fingerprint,
            "built": {kind: [str(p.relative_to(build_dir)) for p in paths if p.is_relative_to(build_dir)]
                      for kind, paths in built.items()},
        }))
    outputs = tuple(path for kind in wanted for path in built[kind])
    return BuildResult(edition, outputs, report_path, engine_warnings(engine, edition.report))


#: Records the inputs of the last complete build and what it built, so an unchanged build is skipped.
STATE_FILE = "state.json"

#: Each translation file this process last wrote or found current: the article it holds, and the file's
#: (inode, mtime, size) then. A long-lived process (``bitext serve``) builds again and again.
_WRITTEN: dict[Path, tuple[object, tuple[int, int, int]]] = {}


def _write_translations(articles, out_dir: Path) -> list[Path]:
    """:func:`~translate.translation.write_translations`, less the articles this process last wrote (equal ones,
    their files untouched since): ``bitext serve`` builds again and again."""
    from translate.translation import write_translations

    paths, stale = [], []
    for article in articles:
        path = Path(out_dir) / f"{article.slug}.json"
        last = _WRITTEN.get(path)
        if last is None or last[1] != file_state(path) or not same(last[0], article):
            stale.append(article)
        paths.append(path)
    for article, path in zip(stale, write_translations(stale, out_dir)):
        _WRITTEN[path] = (article, file_state(path))
    kept = set(paths)
    for path in [p for p in _WRITTEN if p not in kept]:  # one build folder's files are remembered, no more
        del _WRITTEN[path]
    return paths


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _fingerprint(settings: Settings, engine, **options) -> str:
    """A hash of everything a build reads: sources, glossary, templates, settings, code, engine.

    The code is this package's and every registered builder's (one outside the package too).
    Not which outputs were asked for (the ``--no-<output>`` options): the state records what
    was built from these inputs, so a build of fewer outputs right after a full one has nothing to do.
    """
    digest = hashlib.sha256()
    from translate.render.builders import builders
    from translate.resources import default_templates

    code = Path(__file__).parent
    # The packaged default templates too: an edition that overrides none still depends on them.
    roots = [settings.corpus_dir.glob("*.md"), settings.corpus_dir.glob("*.po"), settings.templates_dir.rglob("*"),
             default_templates().rglob("*"), code.rglob("*.py")]
    files = [settings.glossary_path, settings.root / "edition.toml"]
    for group in roots:
        files += sorted(group)
    files += sorted({source for builder in builders() if (source := builder.source()) and not source.is_relative_to(code)})
    for path in files:
        try:
            found = _file_digest(path)
            if found is not None:
                digest.update(str(path).encode() + b"\0" + found + b"\0")
        except OSError as exc:  # e.g. paths.templates = "/proc/self": files that cannot be read
            from translate.errors import SettingsError

            raise SettingsError(f"cannot read this input ({exc.strerror or exc}); point the paths in edition.toml "
                                "at folders of ordinary files", path=path) from exc
    digest.update(json.dumps([engine.name, engine.model_id, repr(settings), options], default=str).encode())
    return digest.hexdigest()


#: Each input's digest, while the file is as it was when read: a process that builds again and again (``bitext
#: serve``) reads again only the inputs that changed, not every article (:class:`translate.rebuild.FileMemo`).
_DIGESTS: FileMemo[bytes] = FileMemo(limit=1 << 16)


def _file_digest(path: Path) -> bytes | None:
    """The SHA-256 of a file's bytes; None when ``path`` is not a file."""
    known = _DIGESTS.get(path)
    if known is not None:
        return known
    state = _DIGESTS.state(path)
    if not path.is_file():
        return None
    return _DIGESTS.keep(path, state, hashlib.sha256(path.read_bytes()).digest())


def _previous_build(build_dir: Path, fingerprint: str, wanted: tuple[str, ...]) -> dict | None:
    """The state of the last build when its inputs were the same, it built every ``wanted`` kind, and those files are there."""
    try:
        state = json.loads((build_dir / STATE_FILE).read_text(encoding="utf-8"))
        report = json.loads((build_dir / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    built = state.get("built") if isinstance(state, dict) else None
    if state.get("fingerprint") != fingerprint or not isinstance(built, dict):
        return None
    if not all(isinstance(built.get(kind), list) for kind in wanted):
        return None
    if not all((build_dir / name).is_file() for kind in wanted for name in built[kind]):
        return None
    state["report"] = report
    return state


def _unchanged_result(build_dir: Path, state: dict, engine, wanted: tuple[str, ...]) -> BuildResult:
    """A BuildResult for a build that found nothing to do: the edition's figures as last built."""
    from translate.models import QualityReport

    report = QualityReport.from_json(state["report"])
    edition = Edition(title=report.title, subtitle="", articles=(), terms=(),
                      glossary_version=report.glossary_version, engine=report.engine, model=report.model,
                      build_date=report.build_date, report=report)
    outputs = tuple(build_dir / name for kind in wanted for name in state["built"][kind])
    return BuildResult(edition, outputs, build_dir / "report.json", engine_warnings(engine, report), skipped=True)


def engine_warnings(engine, report) -> tuple[str, ...]:
    """The engine's warnings, and the gloss's when segments of the report show its English (none when all are edited)."""
    from translate.translation import gloss_warning

    notice = gloss_warning(engine, report.segments_by_origin["gloss"])
    return (*engine.warnings, *((notice,) if notice else ()))


def translated_edition(settings: Settings, engine, *, use_cache: bool = True, write_stores: bool = True,
                       build_date: str | None = None, backend=None, glossary=None):
    """Corpus → glossary → translate → post-edit → check: the edition and its report, nothing rendered.

    The one translate-and-check path of ``build`` and ``check``: machine English from the
    engine (through the translation memory), the translators' edits over it (syncing the PO
    stores when ``write_stores``), and the quality report (``edition.report``). ``glossary``: the termbase
    already loaded from ``settings.glossary_path`` (loaded here when None).
    """
    from translate.corpus import load_corpus
    from translate.glossary import Glossary
    from translate.postedit import apply_edits
    from translate.quality import check_edition
    from translate.translation import translate_articles
    from translate.translation.translator import edition_model

    glossary = glossary if glossary is not None else Glossary.load(settings.glossary_path)
    machine = translate_articles(load_corpus(settings.corpus_dir), engine, glossary,
                                 memory_path=settings.build_dir / "memory.sqlite" if use_cache else None,
                                 backend=backend)
    edits = apply_edits(machine, glossary, settings.corpus_dir, write=write_stores)
    edition = Edition(
        title=settings.title, subtitle=settings.subtitle, articles=edits.articles, terms=glossary.terms,
        glossary_version=glossary.version, engine=engine.name, model=edition_model(machine, engine.model_id),
        build_date=build_date or _dt.date.today().isoformat(), script=settings.script,
        translators=tuple(settings.translators),
    )
    return replace(edition, report=check_edition(edition, stale=edits.stale))


def check_project(settings: Settings, *, engine_name: str | None = None):
    """Translate (from the translation memory where possible) and check, without rendering or writing stores."""
    from translate.translation import open_engine

    engine = open_engine(settings, engine_name)
    with build_lock(settings.build_dir, wait=True):
        edition = translated_edition(settings, engine, write_stores=False)
    return edition.report
